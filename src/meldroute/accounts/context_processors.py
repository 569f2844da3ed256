"""Navigation entries for the signed-in user's roles."""

from django.urls import reverse
from django.utils.translation import gettext as _

from .constants import Role


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    if user.can_report:
        items += [(reverse("intake:report"), _("Signaal melden")), (reverse("intake:mine"), _("Mijn meldingen"))]
    if user.has_role(Role.AF):
        items.append((reverse("triage:inbox"), _("Inbox signalen")))
        items.append((reverse("absence"), _("Afwezigheid")))
    if user.has_role(Role.BEHEERDER):
        items.append((reverse("admin:index"), _("Beheer")))
    return {"nav_items": items}
