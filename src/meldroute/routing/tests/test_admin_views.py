"""The beheerder's meldroute pages: read, choose a preset, edit and import YAML (as a draft), export; others 404."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from tests.factories import UserFactory, make_signal

from meldroute.accounts.constants import Role
from meldroute.audit.models import AuditEvent
from meldroute.routing import drafts, services
from meldroute.routing.constants import DraftStatus, StepState
from meldroute.routing.models import RouteDefinition, RouteDraft, SignalRoute
from meldroute.routing.views import describe_conditions, describe_deadline
from meldroute.routing.yaml_io import MAX_YAML_BYTES, dump_route

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

MANAGE = reverse("routing:manage")
PRESET = reverse("routing:preset")
EDIT = reverse("routing:edit")
IMPORT = reverse("routing:import")


def as_beheerder(client, world):
    client.force_login(world.beheerder)
    return client


def install(world, slug="west-friesland"):
    return services.install_preset(world.region, slug, actor=world.beheerder)


def publish(world, draft):
    """The second pair of eyes: another beheerder of the region publishes the draft."""
    world.beheerder2 = getattr(world, "beheerder2", None) or UserFactory(username="beheerder2", organisation=world.b,
                                                                         roles=[Role.BEHEERDER])
    return drafts.publish_draft(draft, actor=world.beheerder2)


def test_the_yaml_editor_continues_the_open_draft(client, world):
    v1 = install(world)
    text = dump_route(v1).replace("Meldroute West-Friesland", "Meldroute WF", 1)
    as_beheerder(client, world).post(EDIT, {"yaml": text, "base_version": "1"})
    response = client.get(EDIT)
    assert response.context["form"]["yaml"].value().startswith("name: Meldroute WF")
    assert response.context["form"]["base_version"].value() == 1


def versions(world) -> list[int]:
    return list(RouteDefinition.objects.filter(region=world.region).order_by("version").values_list("version",
                                                                                                    flat=True))


def upload(text: str | bytes, name="route.yaml"):
    return SimpleUploadedFile(name, text.encode() if isinstance(text, str) else text, content_type="application/yaml")


# --- Reading ------------------------------------------------------------------------------------------

def test_conditions_and_deadlines_read_as_plain_dutch():
    assert describe_conditions({}) == "altijd"
    assert describe_conditions({"acute": True, "prostitution": True, "not_decision": "no_trafficking"}) == (
        "alleen als: acuut; prostitutie betrokken; niet als besluit = geen mensenhandel")
    assert describe_conditions({"side": ["victim", "both"]}) == (
        "alleen als: soort signaal = slachtoffersignaal of beide")
    assert describe_conditions({"not_decision": "no_trafficking"}) == "niet als besluit = geen mensenhandel"
    assert describe_conditions({"acute": False}) == "alleen als: niet acuut"
    assert describe_deadline(4, None) == "binnen 4 uur"
    assert describe_deadline(None, 5) == "binnen 5 werkdagen"
    assert describe_deadline(None, 1) == "binnen 1 werkdag"
    assert describe_deadline(None, None) == "geen termijn"


def test_without_a_route_the_page_invites_choosing_a_preset(client, world):
    response = as_beheerder(client, world).get(MANAGE)
    assert response.status_code == 200
    assert "nog geen meldroute ingesteld" in response.content.decode()


def test_the_active_route_reads_as_numbered_steps_in_dutch(client, world):
    install(world, "west-friesland")
    body = as_beheerder(client, world).get(MANAGE).content.decode()
    assert "Meldroute West-Friesland" in body
    assert 'data-testid="active-version">1 ' in body
    assert "Beleidsplan Aanpak mensenhandel West-Friesland" in body  # the source
    assert "Aandachtsfunctionaris pakt het acute signaal direct op" in body
    assert "alleen als: acuut" in body and "binnen 4 uur" in body and "binnen 5 werkdagen" in body
    assert "Doorverwijzen naar een ketenpartner: Prostitutie Controle Team" in body
    assert "alleen als: prostitutie betrokken" in body
    assert "Inbrengen in een overleg: Ondermijningsoverleg / -tafel" in body


def test_navigation_shows_meldroute_to_the_beheerder_only(client, world):
    assert f'href="{MANAGE}"' in as_beheerder(client, world).get(reverse("home"), follow=True).content.decode()
    client.force_login(world.af_a)
    assert f'href="{MANAGE}"' not in client.get(reverse("home"), follow=True).content.decode()


# --- Choosing a preset -----------------------------------------------------------------------------------

def test_choosing_a_preset_needs_confirmation_and_installs_nothing_without(client, world):
    response = as_beheerder(client, world).post(PRESET, {"preset": "zoeterwoude"})
    assert response.status_code == 200
    assert "Bevestig dat u de meldroute wilt vervangen." in response.content.decode()
    assert versions(world) == []


def test_an_unknown_preset_is_refused_at_the_field(client, world):
    response = as_beheerder(client, world).post(PRESET, {"preset": "amsterdam", "confirm": "on"})
    assert response.status_code == 200
    assert "Kies een van de standaardroutes." in response.content.decode()
    assert versions(world) == []


def test_choosing_a_preset_makes_a_draft_that_a_second_beheerder_publishes_as_a_new_version(client, world):
    install(world, "west-friesland")
    response = as_beheerder(client, world).post(PRESET, {"preset": "zoeterwoude", "confirm": "on"}, follow=True)
    assert response.status_code == 200
    assert "Het concept is opgeslagen." in response.content.decode() and versions(world) == [1]
    draft = RouteDraft.objects.get(region=world.region, status=DraftStatus.DRAFT)
    assert draft.data["preset"] == "zoeterwoude"
    assert AuditEvent.objects.get(action="route.draft_saved").actor == world.beheerder
    publish(world, draft)
    active = RouteDefinition.objects.get(region=world.region, is_active=True)
    assert (active.version, active.preset, active.name) == (2, "zoeterwoude", "Meldroute Zoeterwoude")
    event = AuditEvent.objects.filter(action="route.installed").latest("id")
    assert event.actor == world.beheerder2 and event.target_uuid == active.uuid
    assert event.details["version"] == 2 and event.details["preset"] == "zoeterwoude"


# --- Editing ------------------------------------------------------------------------------------------

def test_the_editor_starts_from_the_active_route(client, world):
    definition = install(world)
    response = as_beheerder(client, world).get(EDIT)
    assert response.status_code == 200
    assert response.context["form"]["yaml"].value() == dump_route(definition)
    assert response.context["form"]["base_version"].value() == 1


def test_saving_an_edit_makes_a_draft_whose_publishing_keeps_signals_on_their_old_steps(client, world):
    v1 = install(world)
    signal = make_signal(world.melder_a)  # starts on version 1
    before = list(SignalRoute.objects.get(signal=signal).steps.values_list("key", "title", "state"))

    text = dump_route(v1).replace("Aandachtsfunctionaris pakt het signaal op", "AF pakt het signaal binnen 3 dagen op")
    text = text.replace("working_days: 5\n", "working_days: 3\n", 1)
    response = as_beheerder(client, world).post(EDIT, {"yaml": text, "base_version": "1"}, follow=True)

    assert response.status_code == 200 and versions(world) == [1]  # a draft, not yet in use
    publish(world, RouteDraft.objects.get(region=world.region))
    assert versions(world) == [1, 2]
    v2 = RouteDefinition.objects.get(region=world.region, is_active=True)
    assert v2.steps.get(key="af-geinformeerd").title == "AF pakt het signaal binnen 3 dagen op"
    route = SignalRoute.objects.get(signal=signal)
    assert route.definition_id == v1.id and route.version == 1
    assert list(route.steps.values_list("key", "title", "state")) == before
    assert route.steps.get(key="af-geinformeerd").state == StepState.ACTIVE
    # The overview lists version 1 as an earlier version that one signal still follows.
    body = client.get(MANAGE).content.decode()
    assert 'data-version="1"' in body and 'data-testid="open-count">1<' in body
    assert AuditEvent.objects.filter(action="route.installed", target_uuid=v2.uuid, actor=world.beheerder2).exists()


def test_bad_yaml_in_the_editor_keeps_the_input_and_installs_nothing(client, world):
    v1 = install(world)
    text = dump_route(v1).replace("actor: af\n", "actor: de-buurman\n", 1)
    response = as_beheerder(client, world).post(EDIT, {"yaml": text, "base_version": "1"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Stap 1: onbekende actor &#x27;de-buurman&#x27;" in body
    assert 'aria-invalid="true"' in body
    assert response.context["form"]["yaml"].value() == text
    assert versions(world) == [1]


def test_a_yaml_syntax_error_in_the_editor_names_the_line(client, world):
    install(world)
    broken = "name: X\nsteps:\n  - key: a\n   title: ["
    response = as_beheerder(client, world).post(EDIT, {"yaml": broken, "base_version": "1"})
    assert response.status_code == 200
    assert "niet leesbaar op regel 4" in response.content.decode()
    assert versions(world) == [1]


def test_saving_without_changes_makes_no_new_version(client, world):
    v1 = install(world)
    response = as_beheerder(client, world).post(EDIT, {"yaml": dump_route(v1), "base_version": "1"}, follow=True)
    assert "Er is niets gewijzigd" in response.content.decode()
    assert versions(world) == [1]


def test_saving_over_a_newer_version_is_refused(client, world):
    v1 = install(world)
    install(world, "zoeterwoude")  # someone else installed version 2 meanwhile
    text = dump_route(v1).replace("Meldroute West-Friesland", "Meldroute WF", 1)
    response = as_beheerder(client, world).post(EDIT, {"yaml": text, "base_version": "1"})
    assert "Intussen is versie 2 van de meldroute in gebruik genomen." in response.content.decode()
    assert versions(world) == [1, 2]


# --- Import and export ---------------------------------------------------------------------------------

def test_importing_a_yaml_file_makes_a_draft(client, world):
    v1 = install(world, "noord-midden-limburg")
    text = dump_route(v1).replace("Meldroute Noord- en Midden-Limburg", "Meldroute NML, aangepast", 1)
    response = as_beheerder(client, world).post(IMPORT, {"file": upload(text)}, follow=True)
    assert response.status_code == 200 and versions(world) == [1]
    publish(world, RouteDraft.objects.get(region=world.region))
    active = RouteDefinition.objects.get(region=world.region, is_active=True)
    assert (active.version, active.name) == (2, "Meldroute NML, aangepast")


@pytest.mark.parametrize("content, expected", [
    ("name: X\nsteps:\n  - key: a\n    title: [\n", "niet leesbaar op regel"),
    ("name: X\nsteps:\n  - {key: a, title: A, actor: af, action: vliegen}\n", "onbekende actie &#x27;vliegen&#x27;"),
    ("name: X\nsteps:\n  - {key: a, title: A, actor: af, action: pick_up}\n"
     "  - {key: a, title: B, actor: af, action: pick_up}\n", "komt twee keer voor"),
    ("name: X\nsteps:\n  - {key: a, title: A, actor: af, action: pick_up, when: {zon: true}}\n",
     "onbekend routekenmerk &#x27;zon&#x27;"),
    (b"name: \xff\xfe kapot\n", "geen tekst in UTF-8"),
    ("# " + "x" * (MAX_YAML_BYTES + 10), "groter dan 200 kB"),
])
def test_a_bad_import_is_refused_at_the_field_and_installs_nothing(client, world, content, expected):
    response = as_beheerder(client, world).post(IMPORT, {"file": upload(content)})
    assert response.status_code == 200
    assert expected in response.content.decode()
    assert versions(world) == [] and not RouteDraft.objects.exists()
    assert not AuditEvent.objects.filter(action__in=["route.installed", "route.draft_saved"]).exists()


def test_export_downloads_the_yaml_and_is_audited(client, world):
    v1 = install(world)
    install(world, "zoeterwoude")
    response = as_beheerder(client, world).get(reverse("routing:export", args=[v1.uuid]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="meldroute-regio-een-v1.yaml"'
    assert response.content.decode() == dump_route(v1)
    event = AuditEvent.objects.get(action="route.exported")
    assert event.actor == world.beheerder and event.target_uuid == v1.uuid


def test_an_earlier_version_can_be_read(client, world):
    v1 = install(world)
    make_signal(world.melder_a)
    install(world, "zoeterwoude")
    response = as_beheerder(client, world).get(reverse("routing:version", args=[v1.uuid]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "nee, alleen nog voor signalen die erop begonnen" in body
    assert "1 in totaal, waarvan 1 nog onderweg" in body
    assert "Signaal verrijken (BRP, KvK, handhaving, wijkteam) en beoordelen" in body


# --- Nobody else ----------------------------------------------------------------------------------------

OUTSIDERS = ["af_a", "melder_a", "partner", "ketenregisseur", "burgemeester", "zorgcoordinator", "procesregisseur"]


@pytest.mark.parametrize("username", OUTSIDERS)
def test_nobody_but_a_beheerder_reaches_any_page(client, world, username):
    v1 = install(world)
    client.force_login(getattr(world, username))
    pages = [MANAGE, PRESET, EDIT, IMPORT, reverse("routing:version", args=[v1.uuid]),
             reverse("routing:export", args=[v1.uuid])]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "West-Friesland" not in response.content.decode()
    assert client.post(PRESET, {"preset": "zoeterwoude", "confirm": "on"}).status_code == 404
    assert client.post(EDIT, {"yaml": dump_route(v1).replace("West", "Oost"), "base_version": "1"}).status_code == 404
    assert client.post(IMPORT, {"file": upload(dump_route(v1))}).status_code == 404
    assert versions(world) == [1]
    assert not AuditEvent.objects.filter(action="route.exported").exists()


def test_the_beheerder_of_another_region_sees_and_changes_only_their_own_region(client, world):
    v1 = services.install_route(world.region, {**services.route_as_data(install(world)), "name": "Eigen route R1"},
                                actor=world.beheerder)
    client.force_login(UserFactory(username="beheerder_c", organisation=world.c, roles=[Role.BEHEERDER]))
    for url in (reverse("routing:version", args=[v1.uuid]), reverse("routing:export", args=[v1.uuid])):
        assert client.get(url).status_code == 404, url
    for url in (MANAGE, PRESET, EDIT, IMPORT):
        body = client.get(url).content.decode()
        assert "Regio Twee" in body and "Eigen route R1" not in body, url

    client.post(PRESET, {"preset": "zoeterwoude", "confirm": "on"})
    client.post(IMPORT, {"file": upload(dump_route(v1).replace("Eigen route R1", "Geleende route"))})
    # Both became the one open draft of their own region (the import replaced the preset's draft).
    assert not RouteDefinition.objects.filter(region=world.region2).exists()
    assert list(RouteDraft.objects.values_list("region", flat=True)) == [world.region2.pk]
    assert RouteDraft.objects.get().data["name"] == "Geleende route"
    assert versions(world) == [1, 2]
    assert RouteDefinition.objects.get(region=world.region, is_active=True) == v1
    assert not AuditEvent.objects.filter(action="route.exported").exists()


def test_anonymous_users_are_sent_to_the_login(client, world):
    response = client.get(MANAGE)
    assert response.status_code == 302 and reverse("login") in response["Location"]
