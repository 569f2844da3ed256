"""The "Overleggen" panel on the AF's signal page: where the signal is or was on an agenda. A tag, so triage (a lower
layer) never imports meetings."""

from django import template

from meldroute.intake.services import is_af_of

from ..models import AgendaItem

register = template.Library()


@register.inclusion_tag("meetings/_signal_panel.html", takes_context=True)
def signal_meetings_panel(context, signal):
    user = context["request"].user
    if not is_af_of(user, signal.municipality_id):  # the signal page is the AF's; nobody else gets this panel
        return {"items": []}
    items = (AgendaItem.objects.filter(signal=signal)
             .select_related("meeting__series", "owner_organisation").order_by("-meeting__date"))
    return {"items": list(items)}
