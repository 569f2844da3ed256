"""The start page: sends each role to where its work is."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from .constants import Role


@login_required
def home(request):
    user = request.user
    if user.has_role(Role.AF):
        return redirect("triage:inbox")
    if user.can_report:
        return redirect("intake:mine")
    return render(request, "accounts/home.html")
