"""The demo's retention: one hold, so the FG's report shows a record retention passes by (a fictional investigation)."""

from datetime import timedelta

from django.utils import timezone

from meldroute.accounts.models import User
from meldroute.intake.constants import SignalStatus
from meldroute.intake.models import Signal
from meldroute.organisations.models import Region
from meldroute.retention.models import RetentionHold
from meldroute.retention.services import place_hold


def seed_retention(region: Region, users: dict[str, User]) -> int:
    """A hold on the oldest closed signal that led nowhere: the police asked to keep it for an investigation."""
    if RetentionHold.objects.filter(region=region).exists():
        return 0
    signal = (Signal.objects.filter(municipality__region=region, status=SignalStatus.CLOSED, referrals__isnull=True,
                                    cases__isnull=True).order_by("closed_at").first())
    if signal is None:
        return 0
    actor = users.get("fg.veenhorst") or users["beheerder"]
    place_hold(actor=actor, region_id=region.pk, reference=signal.reference,
               reason="Verzoek politie: lopend onderzoek, kenmerk ON-DEMO-014 (fictief)",
               until=timezone.localdate() + timedelta(days=548))
    return 1
