"""Effort and findings (seed 003 §5.1, §7.1: "inspanningen en bevindingen" of the AF, zorgcoördinator,
procesregisseur and ketenregisseur): counted from Meldroute's own records per role and period. Counts only, never a
person; a count between 1 and the threshold is shown as "<threshold", as monitoring's figures are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from meldroute.accounts.constants import Role
from meldroute.care.models import CareTrajectory
from meldroute.cases.models import Case
from meldroute.intake.constants import SignalStatus
from meldroute.intake.models import SignalStatusChange
from meldroute.meetings.models import Meeting
from meldroute.monitoring.constants import shared_threshold
from meldroute.organisations.models import Organisation
from meldroute.referrals.models import Referral
from meldroute.triage.models import EnrichmentNote

HANDLED = (SignalStatus.IN_ROUTE, SignalStatus.FORWARDED, SignalStatus.CLOSED)


@dataclass
class EffortRow:
    role: str
    label: str
    value: int
    threshold: int

    @property
    def display(self) -> str:
        return f"<{self.threshold}" if 0 < self.value < self.threshold else str(self.value)


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start, end) as aware datetimes."""
    return (timezone.make_aware(datetime.combine(start, time.min)),
            timezone.make_aware(datetime.combine(end, time.min)))


def effort_of(municipality: Organisation, start: date, end: date) -> list[EffortRow]:
    """Per role, what Meldroute's records show for the municipality between start (inclusive) and end (exclusive)."""
    since, until = _bounds(start, end)
    threshold = shared_threshold()
    signals = Q(signal__municipality=municipality)
    handled = (SignalStatusChange.objects.filter(signals, to_status__in=HANDLED, created_at__gte=since,
                                                 created_at__lt=until).values("signal").distinct().count())
    lookups = EnrichmentNote.objects.filter(signals, retrieved_at__gte=since, retrieved_at__lt=until).count()
    referrals = Referral.objects.filter(signals, created_at__gte=since, created_at__lt=until).count()
    meetings = Meeting.objects.filter(present_organisations=municipality, date__gte=start, date__lt=end).count()
    cases = Case.objects.filter(municipality=municipality, created_at__gte=since, created_at__lt=until).count()
    trajectories = CareTrajectory.objects.filter(responsible_municipality=municipality, started_on__gte=start,
                                                 started_on__lt=end).count()
    rows = [
        (Role.AF, _("Signalen afgehandeld (gerouteerd, doorgezet of afgesloten)"), handled),
        (Role.AF, _("Bevragingen van registers (BRP, KvK)"), lookups),
        (Role.AF, _("Doorverwijzingen naar ketenpartners"), referrals),
        (Role.KETENREGISSEUR, _("Overleggen bijgewoond door de gemeente"), meetings),
        (Role.PROCESREGISSEUR, _("Casussen gestart"), cases),
        (Role.ZORGCOORDINATOR, _("Zorgtrajecten gestart (gemeente verantwoordelijk)"), trajectories),
    ]
    return [EffortRow(str(Role(role).label), label, value, threshold) for role, label, value in rows]
