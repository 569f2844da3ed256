"""The wegwijzer: every chain partner of the user's region and the national ones, with the sharing rule."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from meldroute.accounts.requests import AuthenticatedHttpRequest

from .forms import DirectoryFilterForm
from .selectors import RuleLine, describe_rules, directory_for


@login_required
def directory(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET or None)
    chosen = form.cleaned_data["vorm"] if form.is_valid() else ""
    organisation = request.user.organisation
    region = organisation.region_id if organisation is not None else None
    entries = directory_for(request.user, form=chosen)
    cache: dict[str, list[RuleLine]] = {}
    rows = []
    for entry in entries:
        if entry.partner_type not in cache:
            cache[entry.partner_type] = describe_rules(region, entry.partner_type)
        rows.append((entry, cache[entry.partner_type]))
    return render(request, "partners/directory.html", {"form": form, "rows": rows, "chosen": chosen})
