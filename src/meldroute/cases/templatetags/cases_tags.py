"""The "Casus" panel on the AF's signal page. A tag, so triage (a lower layer) never imports cases."""

from typing import Any

from django import template

from meldroute.accounts.permissions import is_af_of
from meldroute.intake.constants import SignalStatus

from .. import selectors

register = template.Library()


@register.inclusion_tag("cases/_signal_panel.html", takes_context=True)
def signal_cases_panel(context: dict[str, Any], signal: Any) -> dict[str, Any]:
    user = context["request"].user
    return {
        "signal": signal,
        "cases": list(selectors.cases_of_signal(user, signal)),
        "can_open": is_af_of(user, signal.municipality_id) and signal.status != SignalStatus.CANCELLED,
    }
