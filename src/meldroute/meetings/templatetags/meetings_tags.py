"""The "Overleggen" panel on the AF's signal page (where the signal is or was on an agenda) and the "Agenderen voor
overleg" panel on the case page. Tags, so triage and cases (lower layers) never import meetings."""

from typing import Any

from django import template

from meldroute.accounts.permissions import is_af_of

from ..forms import CaseAgendaRequestForm
from ..models import AgendaItem
from ..selectors import case_agenda_for, series_for_case

register = template.Library()


@register.inclusion_tag("meetings/_signal_panel.html", takes_context=True)
def signal_meetings_panel(context: dict[str, Any], signal: Any) -> dict[str, Any]:
    user = context["request"].user
    if not is_af_of(user, signal.municipality_id):  # the signal page is the AF's; nobody else gets this panel
        return {"items": []}
    items = (AgendaItem.objects.filter(signal=signal)
             .select_related("meeting__series", "owner_organisation").order_by("-meeting__date"))
    return {"items": list(items)}


@register.inclusion_tag("meetings/_case_panel.html", takes_context=True)
def case_meetings_panel(context: dict[str, Any], case: Any) -> dict[str, Any]:
    """The case's agenda items and pending requests, and the request form with the tables the user may choose.
    Shown to whoever sees the case whole (a care-only zorgcoördinator does not); the form only for an open case
    and a user whose organisation sits at a table that discusses the case's municipality."""
    user = context["request"].user
    agenda = case_agenda_for(user, case)
    choices = series_for_case(user, case)
    has_choices = case.is_open and choices.exists()
    show = bool(agenda["items"] or agenda["pending"] or has_choices)
    form = CaseAgendaRequestForm(prefix="agenderen", series=choices) if has_choices else None
    return {"show": show, "case": case, "form": form, **agenda}
