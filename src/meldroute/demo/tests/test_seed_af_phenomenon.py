"""Issue 13 in the demo: the AF OOV and the AF Zorg are recorded, Weidewaard's route gives each their signals, and
Dijkmeer handed two signals of another phenomenon on (one as a referral, one outside Meldroute)."""

import pytest

from meldroute.accounts.models import User
from meldroute.intake.constants import Outcome, SignalStatus
from meldroute.intake.models import Signal
from meldroute.partners.selectors import phenomenon_receiver
from meldroute.referrals.constants import ReferralKind
from meldroute.triage.models import Handover

pytestmark = pytest.mark.clock


DEMO_SIGNALS = 20  # the conftest's seeded_once seeds a demo this size


def test_the_demo_records_which_af_is_which(seeded):
    assert User.objects.get(username="af.veenhorst").af_duty == "oov"
    assert User.objects.get(username="af2.veenhorst").af_duty == "zorg"


def test_weidewaards_route_gives_each_af_their_signals(seeded):
    signals = Signal.objects.filter(municipality__code="GM9931").select_related("assigned_to", "route")
    by_side = {s.route.facts["side"]: s.assigned_to.username for s in signals}
    assert by_side == {"perpetrator": "af.weidewaard", "victim": "af2.weidewaard"}


def test_dijkmeer_handed_two_signals_of_another_phenomenon_on(seeded):
    handovers = {h.phenomenon: h for h in Handover.objects.select_related("signal", "referral")}
    assert set(handovers) == {"domestic_violence", "poor_housing"}
    assert handovers["domestic_violence"].referral.kind == ReferralKind.PHENOMENON
    assert handovers["poor_housing"].referral is None and handovers["poor_housing"].contact
    for handover in handovers.values():
        assert (handover.signal.status, handover.signal.outcome) == (SignalStatus.CLOSED, Outcome.OTHER_PHENOMENON)
    region = handovers["poor_housing"].signal.municipality.region_id
    assert phenomenon_receiver(region, "care_need").region_id == region
