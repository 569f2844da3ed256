"""A route as YAML: what the beheerder downloads, edits and uploads. Parsing refuses in Dutch, never with a 500."""

import yaml
from django.db import transaction
from django.utils.translation import gettext as _

from meldroute.audit.services import record_event
from meldroute.core.exceptions import DomainError

from .models import RouteDefinition
from .services import ROUTE_TARGET, route_as_data, validate_route_data

MAX_YAML_BYTES = 200 * 1024
# Deeper than any route needs; keeps a hostile document from exhausting the stack while keys are normalised.
MAX_DEPTH = 20


class _Dumper(yaml.SafeDumper):
    """Writes multi-line text as a block (`|`), so a description reads and edits as the paragraph it is."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_Dumper.add_representer(str, _text)


def dump_route(definition: RouteDefinition) -> str:
    return yaml.dump(route_as_data(definition), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120)


def export_route(definition: RouteDefinition, *, actor) -> str:
    """The route as YAML for download; an export holds no personal data but leaves a trace."""
    text = dump_route(definition)
    with transaction.atomic():
        record_event(actor=actor, action="route.exported", target_type=ROUTE_TARGET, target_uuid=definition.uuid,
                     fields=["steps"], purpose="inrichting meldroute",
                     details={"region": definition.region.slug, "version": definition.version})
    return text


def export_filename(definition: RouteDefinition) -> str:
    return f"meldroute-{definition.region.slug}-v{definition.version}.yaml"


def _text_keys(value, depth: int = 0):
    """YAML allows any key (`1:`, `true:`); a route's keys are text, so an odd key gets a Dutch 'unknown' message."""
    if depth > MAX_DEPTH:
        raise DomainError(_("Het bestand is te diep genest voor een meldroute."), field="yaml")
    if isinstance(value, dict):
        return {str(key): _text_keys(item, depth + 1) for key, item in value.items()}
    if isinstance(value, list):
        return [_text_keys(item, depth + 1) for item in value]
    return value


def parse_route_yaml(text: str) -> dict:
    """Read and check a route written as YAML. Returns the route data (the preset format) ready for install_route."""
    if len(text.encode("utf-8")) > MAX_YAML_BYTES:
        raise DomainError(_("Het bestand is groter dan %(kb)s kB; een meldroute is veel kleiner.")
                          % {"kb": MAX_YAML_BYTES // 1024}, field="yaml")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or ""
        if mark is not None:
            message = _("De YAML is niet leesbaar op regel %(line)s, kolom %(column)s. Controleer de inspringing, "
                        "de dubbele punten en de aanhalingstekens op die regel (%(problem)s).") % {
                "line": mark.line + 1, "column": mark.column + 1, "problem": problem}
        else:
            message = _("De YAML is niet leesbaar (%(problem)s).") % {"problem": problem or error}
        raise DomainError(message, field="yaml") from error
    except RecursionError as error:
        raise DomainError(_("Het bestand is te diep genest voor een meldroute."), field="yaml") from error
    if not isinstance(data, dict):
        raise DomainError(_("Het bestand beschrijft geen meldroute: verwacht wordt een naam, een toelichting en een "
                            "lijst 'steps'."), field="yaml")
    data = _text_keys(data)
    validate_route_data(data)
    return data
