"""Who is told about a referral (issue 14): the partner when one arrives (acute marked) or is revoked, the AF when
the partner answers — in the application and by mail through the outbox, with a code and a link, no personal data."""

import pytest
from tests.factories import make_signal

from meldroute.core.jobs import run_due_jobs
from meldroute.notifications.constants import Kind
from meldroute.notifications.models import Notification, OutboxMail
from meldroute.partners.constants import DataCategory as D
from meldroute.referrals import services

from .conftest import SECRET_ADDRESS, SECRET_PERSONS, refer

pytestmark = pytest.mark.clock


def texts(user, kind):
    return [n.text for n in Notification.objects.filter(user=user, kind=kind)]


def test_a_new_referral_tells_the_partner_contacts_and_the_organisations_mailbox(world, referral, mailoutbox):
    mine = Notification.objects.get(user__organisation=world.police)
    assert mine.kind == Kind.REFERRAL_RECEIVED and referral.signal.reference in mine.text
    assert not mine.is_urgent
    assert Notification.objects.filter(user=world.af_a).count() == 0

    run_due_jobs()
    addresses = sorted(a for m in mailoutbox for a in m.to)
    assert world.police.email in addresses or not world.police.email
    body = " ".join(m.subject + m.body for m in mailoutbox)
    assert referral.signal.reference in body
    for secret in (SECRET_PERSONS, SECRET_ADDRESS, "Nagelstudio"):
        assert secret not in body


def test_an_acute_referral_is_marked_acute(world, rules):
    signal = make_signal(world.melder_a, is_acute=True)
    refer(signal, world.af_a, to=world.police)
    assert Notification.objects.filter(kind=Kind.REFERRAL_RECEIVED, is_urgent=True).exists()


def test_the_partners_answer_tells_the_af_who_sent_it(world, referral):
    services.accept_referral(referral, actor=world.partner)
    services.complete_referral(referral, outcome="Onderzoek gestart.", actor=world.partner)

    told = texts(world.af_a, Kind.REFERRAL_ANSWERED)
    assert len(told) == 2 and all(referral.signal.reference in t for t in told)
    assert any("afgerond" in t for t in told)


def test_a_revoked_referral_tells_the_partner(world, referral):
    services.revoke_referral(referral, actor=world.af_a, reason="Per abuis verstuurd.")
    assert Notification.objects.filter(kind=Kind.REFERRAL_REVOKED, user__organisation=world.police).exists()


def test_a_referral_to_a_wegwijzer_entry_without_accounts_writes_no_notification(world, signal, shop):
    before = OutboxMail.objects.count()
    refer(signal, world.af_a, entry=shop, categories=(D.SUMMARY,))
    assert not Notification.objects.filter(kind=Kind.REFERRAL_RECEIVED).exists()
    assert OutboxMail.objects.count() == before
