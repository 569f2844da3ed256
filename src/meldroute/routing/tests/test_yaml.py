"""A route as YAML: every preset survives dump → parse unchanged; bad YAML is refused in Dutch and installs nothing."""

import pytest
import yaml

from meldroute.audit.models import AuditEvent
from meldroute.core.exceptions import DomainError
from meldroute.routing import services
from meldroute.routing.models import RouteDefinition, RouteStep
from meldroute.routing.presets import PRESETS
from meldroute.routing.yaml_io import MAX_YAML_BYTES, dump_route, export_filename, export_route, parse_route_yaml

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

GOOD = """\
name: Proefroute
description: Een kleine route om mee te testen.
steps:
  - key: oppakken
    number: "1"
    position: 1
    title: AF pakt het signaal op
    actor: af
    action: pick_up
    deadline: {hours: 4}
  - key: politie
    position: 2
    title: Prostitutie — doorverwijzen naar de politie
    actor: af
    action: refer
    target: police
    when: {prostitution: true, not_decision: no_trafficking}
    deadline: {working_days: 5}
"""


@pytest.mark.parametrize("slug", list(PRESETS))
def test_every_preset_round_trips_through_yaml(world, slug):
    definition = services.install_preset(world.region, slug, actor=world.beheerder)
    text = dump_route(definition)

    assert parse_route_yaml(text) == services.route_as_data(definition)
    # And installing the export gives the same steps again.
    again = services.install_route(world.region, parse_route_yaml(text), actor=world.beheerder)
    assert services.route_as_data(again) == services.route_as_data(definition)
    assert again.version == definition.version + 1


def test_dump_keeps_dutch_characters_readable(world):
    definition = services.install_preset(world.region, "west-friesland", actor=world.beheerder)
    text = dump_route(definition)
    assert "geïnformeerd" in text or "ë" in text or "ï" in text
    assert "\\x" not in text and "\\u" not in text
    assert list(yaml.safe_load(text))[:2] == ["name", "preset"]  # the order a person writes it in


def test_parse_returns_route_data_ready_for_install(world):
    data = parse_route_yaml(GOOD)
    definition = services.install_route(world.region, data, actor=world.beheerder)
    step = definition.steps.get(key="politie")
    assert step.conditions == {"prostitution": True, "not_decision": "no_trafficking"}
    assert step.deadline_working_days == 5 and step.target == "police"


def _refused(text: str) -> DomainError:
    with pytest.raises(DomainError) as caught:
        parse_route_yaml(text)
    return caught.value


def test_syntax_error_names_the_line(world):
    broken = GOOD.replace("    title: AF pakt het signaal op", "    title: AF pakt: het signaal op: [")
    error = _refused(broken)
    assert "regel 7, kolom 19" in error.message  # the title line of the first step
    assert "niet leesbaar" in error.message
    assert error.field == "yaml"


@pytest.mark.parametrize("text, expected", [
    ("", "beschrijft geen meldroute"),
    ("- een\n- lijst\n", "beschrijft geen meldroute"),
    ("gewoon tekst", "beschrijft geen meldroute"),
    ("name: X\nsteps: []\n", "minstens één stap"),
    (GOOD.replace("actor: af\n    action: refer", "actor: burgemeester\n    action: refer"),
     "Stap 2: onbekende actor 'burgemeester'"),
    (GOOD.replace("key: politie", "key: oppakken"), "Stap 2: de sleutel 'oppakken' komt twee keer voor"),
    (GOOD.replace("prostitution: true", "weer: mooi"), "Stap 2: onbekend routekenmerk 'weer'"),
    (GOOD.replace("prostitution: true", "1: true"), "Stap 2: onbekend routekenmerk '1'"),
    (GOOD.replace("prostitution: true", "prostitution: misschien"), "'prostitution' is ja of nee"),
    (GOOD.replace("target: police", "target: screening"), "past niet bij de actie"),
    (GOOD.replace("{working_days: 5}", "{weeks: 5}"), "een termijn is 'hours' of 'working_days'"),
    (GOOD.replace("key: politie", "key: " + "x" * 65), "hoogstens 64 tekens"),
    (GOOD.replace("position: 2", "position: 99999999999"), "de volgorde is een heel getal"),
    ("name: X\n---\nname: Y\n", "niet leesbaar"),
    ("a: &a [*a]\n", "te diep genest"),
    ("name: " + "[" * 5000 + "]" * 5000, "te diep genest"),
])
def test_bad_routes_are_refused_in_dutch(world, text, expected):
    error = _refused(text)
    assert expected in error.message


def test_deep_nesting_is_refused_without_crashing(world):
    error = _refused("name: X\nsteps:\n  - key: a\n    when: " + "{a: " * 40 + "1" + "}" * 40 + "\n")
    assert "te diep genest" in error.message


def test_too_large_a_document_is_refused_before_parsing(world):
    error = _refused("name: X\n# " + "x" * MAX_YAML_BYTES + "\n")
    assert "groter dan 200 kB" in error.message


def test_a_refused_route_installs_nothing(world):
    with pytest.raises(DomainError):
        services.install_route(world.region, yaml.safe_load(GOOD.replace("actor: af\n    action: refer",
                                                                         "actor: niemand\n    action: refer")),
                               actor=world.beheerder)
    assert not RouteDefinition.objects.exists() and not RouteStep.objects.exists()
    assert not AuditEvent.objects.filter(action="route.installed").exists()


def test_export_is_audited_without_personal_data(world):
    definition = services.install_preset(world.region, "zoeterwoude", actor=world.beheerder)
    text = export_route(definition, actor=world.beheerder)
    assert text == dump_route(definition)
    event = AuditEvent.objects.get(action="route.exported")
    assert event.actor == world.beheerder and event.target_uuid == definition.uuid
    assert event.details == {"region": "regio-een", "version": 1}
    assert export_filename(definition) == "meldroute-regio-een-v1.yaml"


@pytest.mark.parametrize("description", ["één regel", "twee\nregels\n", "  ingesprongen\nen nog wat  \n\n\n",
                                         "eindigt zonder regeleinde\nhier", "yes", "- geen lijst: wel tekst\n#\n"])
def test_any_text_survives_the_round_trip(world, description):
    data = yaml.safe_load(GOOD)
    data["description"] = description
    data["steps"][0]["description"] = description
    definition = services.install_route(world.region, data, actor=world.beheerder)
    text = dump_route(definition)
    assert parse_route_yaml(text) == services.route_as_data(definition)
    assert parse_route_yaml(text)["description"] == description


def test_multi_line_text_is_written_as_a_block(world):
    definition = services.install_preset(world.region, "noord-midden-limburg", actor=world.beheerder)
    assert "description: |" in dump_route(definition)
