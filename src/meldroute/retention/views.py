"""The FG's and beheerder's retention pages: the dry-run report (screen and CSV), holds placed and lifted."""

import csv
import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meldroute.accounts.requests import AuthenticatedHttpRequest
from meldroute.audit.services import record_access, record_event
from meldroute.core.exceptions import DomainError
from meldroute.organisations.models import Region

from .forms import HoldForm
from .models import RetentionHold, RetentionRun
from .permissions import retention_region
from .rules import RULES
from .selectors import RuleReport, holds_for, retention_plan
from .services import lift_hold, place_hold

REPORT_FIELDS = ["record_type", "rule", "reference", "due_on", "state"]


def _plan(region: Region) -> list[RuleReport]:
    return retention_plan(timezone.now(), region_id=region.pk)


def _render(request: AuthenticatedHttpRequest, region: Region, form: HoldForm, status: int = 200) -> HttpResponse:
    plan = _plan(region)
    record_access(actor=request.user, target_type=region.audit_target, target_uuid=region.uuid,
                  fields=REPORT_FIELDS, purpose="bewaartermijnen: proefrapport")
    context: dict[str, Any] = {
        "region": region, "plan": plan, "rules": RULES, "form": form, "holds": holds_for(region.pk),
        "today": timezone.localdate(), "runs": RetentionRun.objects.order_by("-day")[:5],
    }
    return render(request, "retention/report.html", context, status=status)


@login_required
def report(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = retention_region(request.user)
    return _render(request, region, HoldForm())


@login_required
def report_csv(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = retention_region(request.user)
    plan = _plan(region)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["soort", "regel", "code", "datum", "stand"])
    states = (("due", _("gaat bij de volgende run")), ("held", _("geblokkeerd")), ("upcoming", _("binnenkort")))
    rows = 0
    for rule_report in plan:
        for attribute, label in states:
            for item in getattr(rule_report, attribute):
                writer.writerow([rule_report.rule.record_type, rule_report.rule.key, item.reference,
                                 item.due_on.isoformat(), label])
                rows += 1
    record_event(actor=request.user, action="retention.report_exported", target_type=region.audit_target,
                 target_uuid=region.uuid, fields=REPORT_FIELDS, purpose="bewaartermijnen: proefrapport (CSV)",
                 details={"rows": rows})
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="bewaartermijnen-{timezone.localdate():%Y-%m-%d}.csv"'
    return response


@login_required
@require_POST
def hold_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = retention_region(request.user)
    form = HoldForm(request.POST)
    if form.is_valid():
        try:
            place_hold(actor=request.user, region_id=region.pk, **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("De blokkade is geplaatst: de bewaartermijn wacht tot de einddatum."))
            return redirect("retention:report")
    return _render(request, region, form)


@login_required
@require_POST
def hold_lift(request: AuthenticatedHttpRequest, hold_uuid: str) -> HttpResponse:
    region = retention_region(request.user)
    hold = RetentionHold.objects.filter(uuid=hold_uuid, region=region).first()
    if hold is None:
        raise Http404
    try:
        lift_hold(hold, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("De blokkade is opgeheven."))
    return redirect("retention:report")
