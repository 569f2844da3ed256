"""The start page: the AF lands in the inbox and a reporter on their own signals; every other role sees its work,
one panel per piece of work of each of its roles (meldroute.core.home_panels, filled in by homes.panels and by any
app that registers a panel)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from meldroute.accounts.constants import Role
from meldroute.accounts.requests import AuthenticatedHttpRequest
from meldroute.core.home_panels import Panel, registrations_for


@login_required
@require_safe
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    roles = user.roles  # one query; has_role would ask again for every role
    if Role.AF in roles:
        return redirect("triage:inbox")
    registrations = registrations_for(roles)
    if not registrations and Role.MELDER in roles:
        return redirect("intake:mine")
    today = timezone.localdate()
    panels: list[Panel] = []
    for registration in registrations:
        try:
            panel = registration.build(user, today)
        except Http404:  # the role without the organisation its panel needs: nothing to show, not an error
            continue
        if panel is not None:
            panels.append(panel)
    return render(request, "homes/home.html", {"panels": panels, "today": today})
