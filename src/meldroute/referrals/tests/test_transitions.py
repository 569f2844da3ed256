"""Every (from, to) pair of referral states against the table: allowed steps succeed, all others are refused."""

import itertools

import pytest

from meldroute.audit.models import AuditEvent
from meldroute.core.exceptions import DomainError
from meldroute.referrals import services
from meldroute.referrals.constants import ALLOWED_TRANSITIONS, ReferralStatus
from meldroute.referrals.models import Referral

PAIRS = list(itertools.product(ReferralStatus.values, repeat=2))


def _act(referral, to_status, world):
    if to_status == ReferralStatus.ACCEPTED:
        return services.accept_referral(referral, actor=world.partner)
    if to_status == ReferralStatus.REJECTED:
        return services.reject_referral(referral, actor=world.partner, reason="Niet onze taak")
    if to_status == ReferralStatus.DONE:
        return services.complete_referral(referral, actor=world.partner, outcome="Aangifte opgenomen")
    if to_status == ReferralStatus.REVOKED:
        return services.revoke_referral(referral, actor=world.af_a, reason="Vergissing")
    return services._transition(referral, actor=world.af_a, to_status=to_status, purpose="test")


@pytest.mark.django_db
@pytest.mark.parametrize(("from_status", "to_status"), PAIRS)
def test_every_transition_pair_follows_the_table(world, referral, from_status, to_status):
    Referral.objects.filter(pk=referral.pk).update(status=from_status, reason="x", outcome="x")
    referral.refresh_from_db()
    before = AuditEvent.objects.filter(action="referral.status_changed").count()
    if to_status in ALLOWED_TRANSITIONS[from_status]:
        _act(referral, to_status, world)
        referral.refresh_from_db()
        assert referral.status == to_status
        assert referral.status_changes.last().to_status == to_status
        assert AuditEvent.objects.filter(action="referral.status_changed").count() == before + 1
    else:
        with pytest.raises(DomainError):
            _act(referral, to_status, world)
        referral.refresh_from_db()
        assert referral.status == from_status
        assert AuditEvent.objects.filter(action="referral.status_changed").count() == before
