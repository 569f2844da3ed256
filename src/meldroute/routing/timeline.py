"""routing's entries on a signal's timeline (intake.timeline): the route steps completed. One query."""

from typing import Any

from django.utils.translation import gettext as _

from meldroute.intake.models import Signal
from meldroute.intake.timeline import TimelineEntry, user_label

from .constants import StepState
from .models import SignalRouteStep


def entries(user: Any, signal: Signal) -> list[TimelineEntry]:
    steps = (SignalRouteStep.objects.visible_to(user)
             .filter(signal_route__signal=signal, state=StepState.DONE, completed_at__isnull=False)
             .select_related("completed_by").order_by("completed_at", "id"))
    result = []
    for step in steps:
        assert step.completed_at is not None
        text = _("Routestap afgerond: %(step)s") % {"step": str(step)}
        if step.note:
            text += f" — {step.note}"
        result.append(TimelineEntry(when=step.completed_at, kind="route", text=text,
                                    actor=user_label(step.completed_by)))
    return result
