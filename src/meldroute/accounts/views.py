"""The start page (each role to where its work is) and the AF's own absence."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from meldroute.core.exceptions import DomainError

from . import services
from .constants import Role
from .forms import AbsenceForm
from .models import User


@login_required
def home(request):
    user = request.user
    if user.has_role(Role.AF):
        return redirect("triage:inbox")
    if user.can_report:
        return redirect("intake:mine")
    return render(request, "accounts/home.html")


@login_required
@require_http_methods(["GET", "POST"])
def absence(request):
    """An AF says when they are away, so acute alerts go to the achtervang."""
    if not request.user.has_role(Role.AF):
        raise Http404
    form = AbsenceForm(request.POST or None, initial={"absent_until": request.user.absent_until})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_absence(request.user, actor=request.user, until=form.cleaned_data["absent_until"])
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Uw afwezigheid is opgeslagen."))
            return redirect("absence")
    colleagues = (User.objects.with_role(Role.AF)
                  .filter(organisation_id=request.user.organisation_id).exclude(pk=request.user.pk))
    return render(request, "accounts/absence.html", {"form": form, "colleagues": colleagues})
