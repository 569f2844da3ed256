"""A route as YAML: what the beheerder downloads, edits and uploads. Parsing refuses in Dutch, never with a 500."""

from typing import Any

import yaml
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meldroute.audit.services import record_event
from meldroute.audit.targets import target_of
from meldroute.core.exceptions import DomainError

from .models import RouteDefinition
from .services import route_as_data, validate_route_data

MAX_YAML_BYTES = 200 * 1024
# Deeper than any route needs; keeps a hostile document from exhausting the stack while keys are normalised.
MAX_DEPTH = 20
# More parts (mappings, lists, values) than a 200 kB route can hold without aliases. An alias (*a) repeats what its
# anchor (&a) holds, so a few hundred bytes of nested aliases ("billion laughs") unfold into millions of parts.
MAX_NODES = 100_000


class _Dumper(yaml.SafeDumper):
    """Writes multi-line text as a block (`|`), so a description reads and edits as the paragraph it is."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_Dumper.add_representer(str, _text)


def dump_route_data(data: dict[str, Any]) -> str:
    """A route in the preset format (a draft's data) as YAML."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120)


def dump_route(definition: RouteDefinition) -> str:
    return dump_route_data(route_as_data(definition))


def export_route(definition: RouteDefinition, *, actor: Any) -> str:
    """The route as YAML for download; an export holds no personal data but leaves a trace."""
    text = dump_route(definition)
    with transaction.atomic():
        record_event(actor=actor, action="route.exported", target_type=target_of(definition),
                     target_uuid=definition.uuid,
                     fields=["steps"], purpose="inrichting meldroute",
                     details={"region": definition.region.slug, "version": definition.version})
    return text


def export_filename(definition: RouteDefinition) -> str:
    return f"meldroute-{definition.region.slug}-v{definition.version}.yaml"


def _text_keys(value: Any, depth: int = 0, budget: list[int] | None = None) -> Any:
    """YAML allows any key (`1:`, `true:`); a route's keys are text, so an odd key gets a Dutch 'unknown' message.

    Unfolds aliases into copies, so it counts what it copies: a document that unfolds into more than MAX_NODES
    parts is refused before it costs minutes of work and gigabytes of memory."""
    budget = [MAX_NODES] if budget is None else budget
    budget[0] -= 1
    if budget[0] < 0:
        raise DomainError(_("Het bestand bevat te veel onderdelen voor een meldroute (herhalingen met & en * tellen "
                            "mee)."), field="yaml")
    if depth > MAX_DEPTH:
        raise DomainError(_("Het bestand is te diep genest voor een meldroute."), field="yaml")
    if isinstance(value, dict):
        return {str(key): _text_keys(item, depth + 1, budget) for key, item in value.items()}
    if isinstance(value, list):
        return [_text_keys(item, depth + 1, budget) for item in value]
    return value


# PyYAML names the problem in English; the beheerder reads Dutch. The frequent problems, by the start of its text.
YAML_PROBLEMS = [
    ("mapping values are not allowed", gettext_lazy("een dubbele punt waar die niet mag: zet tekst met een dubbele "
                                                    "punt tussen aanhalingstekens, of controleer de inspringing")),
    ("could not find expected ':'", gettext_lazy("hier ontbreekt een dubbele punt")),
    ("found character '\\t'", gettext_lazy("een tab: spring in met spaties")),
    ("found character", gettext_lazy("een teken waarmee een waarde niet kan beginnen: zet de waarde tussen "
                                     "aanhalingstekens")),
    ("found unexpected end of stream", gettext_lazy("het bestand houdt midden in een waarde op (een "
                                                    "aanhalingsteken of haakje is niet gesloten)")),
    ("expected ','", gettext_lazy("een lijst [ ] of een beschrijving { } is niet goed gesloten")),
    ("expected <block end>", gettext_lazy("de inspringing klopt niet")),
    ("found undefined alias", gettext_lazy("een verwijzing (*naam) zonder anker (&naam)")),
    ("second occurrence", gettext_lazy("hetzelfde anker (&naam) staat er twee keer in")),
    ("but found another document", gettext_lazy("het bestand bevat meer dan één document (---)")),
    ("could not determine a constructor", gettext_lazy("een onbekend type (!!...)")),
]


def _unreadable(error: yaml.YAMLError) -> str:
    """A Dutch message for a YAML syntax error: where it is, and what is wrong when PyYAML's problem is a known one."""
    if isinstance(error, yaml.reader.ReaderError):
        return _("Het bestand bevat een teken dat in YAML niet mag (U+%(code)04X op positie %(position)s).") % {
            "code": error.character if isinstance(error.character, int) else ord(error.character or "\0"),
            "position": error.position + 1}
    mark = getattr(error, "problem_mark", None)
    problem = str(getattr(error, "problem", None) or "")
    hint = next((str(text) for start, text in YAML_PROBLEMS if problem.startswith(start)), "")
    if mark is None:
        return _("De YAML is niet leesbaar: %(hint)s.") % {"hint": hint} if hint else _("De YAML is niet leesbaar.")
    where = {"line": mark.line + 1, "column": mark.column + 1, "hint": hint}
    if hint:
        return _("De YAML is niet leesbaar op regel %(line)s, kolom %(column)s: %(hint)s.") % where
    return _("De YAML is niet leesbaar op regel %(line)s, kolom %(column)s. Controleer de inspringing, de dubbele "
             "punten en de aanhalingstekens op die regel.") % where


def parse_route_yaml(text: str) -> dict[str, Any]:
    """Read and check a route written as YAML. Returns the route data (the preset format) ready for install_route."""
    if len(text.encode("utf-8")) > MAX_YAML_BYTES:
        raise DomainError(_("Het bestand is groter dan %(kb)s kB; een meldroute is veel kleiner.")
                          % {"kb": MAX_YAML_BYTES // 1024}, field="yaml")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise DomainError(_unreadable(error), field="yaml") from error
    except RecursionError as error:
        raise DomainError(_("Het bestand is te diep genest voor een meldroute."), field="yaml") from error
    except Exception as error:
        # PyYAML's constructors raise plain ValueError, KeyError, AttributeError... for a value that looks like a
        # date or is tagged as a number but is none ("2024-02-30", "!!int abc", a 5000-digit number).
        raise DomainError(_("De YAML is niet leesbaar: een waarde lijkt op een datum, getal of ja/nee maar is het niet "
                            "(bijvoorbeeld 2024-02-30 of !!int abc). Zet zo'n waarde tussen aanhalingstekens."),
                          field="yaml") from error
    if not isinstance(data, dict):
        raise DomainError(_("Het bestand beschrijft geen meldroute: verwacht wordt een naam, een toelichting en een "
                            "lijst 'steps'."), field="yaml")
    route: dict[str, Any] = _text_keys(data)
    validate_route_data(route)
    return route
