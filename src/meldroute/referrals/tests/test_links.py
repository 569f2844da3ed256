"""Personal links: only a hash is stored, 14 days valid, revocable, every use logged, nothing shown when invalid."""

from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from meldroute.audit.models import AccessLogEntry, AuditEvent
from meldroute.intake.constants import SignalStatus
from meldroute.referrals import services
from meldroute.referrals.constants import ReferralStatus
from meldroute.referrals.models import ReferralLink, hash_token

from .conftest import SECRET_ADDRESS, SECRET_PERSONS, refer

pytestmark = pytest.mark.clock  # reads the clock: run again at awkward moments (scripts/test.sh)


def _url(token, action=None):
    return reverse("referrals:public_action", args=[token, action]) if action else reverse("referrals:public",
                                                                                          args=[token])


@pytest.fixture
def shop_referral(world, signal, shop):
    from meldroute.partners.constants import DataCategory as D
    from meldroute.partners.constants import LegalGround as G

    return refer(signal, world.af_a, entry=shop, categories=[D.CLASSIFICATION], ground=G.CONSENT)


@pytest.mark.django_db
def test_link_stores_only_the_hash_and_is_valid_for_14_days(world, shop_referral):
    link, token = services.create_link(shop_referral, actor=world.af_a)
    assert link.token_hash == hash_token(token) and token not in str(ReferralLink.objects.values())
    assert abs(link.expires_at - (timezone.now() + timedelta(days=14))) < timedelta(minutes=1)
    event = AuditEvent.objects.get(action="referral.link_created")
    assert token not in str(event.details)


@pytest.mark.django_db
def test_link_shows_only_the_authorised_fields_and_logs_every_use(client, world, shop_referral):
    _link, token = services.create_link(shop_referral, actor=world.af_a)
    for _ in range(2):
        page = client.get(_url(token))
        assert page.status_code == 200
    html = page.content.decode()
    assert shop_referral.signal.reference in html
    assert SECRET_PERSONS not in html and SECRET_ADDRESS not in html and "Nagelstudio" not in html
    assert shop_referral.signal.description not in html
    assert world.melder_a.username not in html and world.melder_a.last_name not in html
    assert page["Cache-Control"] == "no-store" and page["Referrer-Policy"] == "no-referrer"
    uses = AccessLogEntry.objects.filter(target_uuid=shop_referral.uuid, purpose__contains="persoonlijke link")
    assert uses.count() == 2 and {u.actor_label for u in uses} == {f"persoonlijke link: {shop_referral.receiver_name}"}


@pytest.mark.django_db
def test_expired_link_shows_nothing(client, world, shop_referral):
    _link, token = services.create_link(shop_referral, actor=world.af_a)
    later = timezone.now() + timedelta(days=14, minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + timedelta(days=13, hours=23)):
        assert client.get(_url(token)).status_code == 200
    with mock.patch("django.utils.timezone.now", return_value=later):
        page = client.get(_url(token))
    assert page.status_code == 404 and shop_referral.signal.reference not in page.content.decode()


@pytest.mark.django_db
def test_revoked_and_unknown_links_show_nothing(client, world, shop_referral):
    link, token = services.create_link(shop_referral, actor=world.af_a)
    assert client.get(_url(token + "x")).status_code == 404
    assert client.get(_url("x" * 500)).status_code == 404
    services.revoke_link(link, actor=world.af_a)
    page = client.get(_url(token))
    assert page.status_code == 404 and shop_referral.signal.reference not in page.content.decode()
    assert client.post(_url(token, "accepteren")).status_code == 404
    shop_referral.refresh_from_db()
    assert shop_referral.status == ReferralStatus.IN_PROGRESS
    assert AuditEvent.objects.filter(action="referral.link_revoked").count() == 1


@pytest.mark.django_db
def test_receiver_answers_through_the_link_and_the_outcome_returns_the_signal(client, world, shop_referral):
    link, token = services.create_link(shop_referral, actor=world.af_a)
    assert client.post(_url(token, "accepteren")).status_code == 302
    page = client.post(_url(token, "afronden"), {"afronden-outcome_kind": "other", "afronden-outcome": ""})
    assert page.status_code == 200 and "Beschrijf de uitkomst." in page.content.decode()
    assert client.post(_url(token, "afronden"), {"afronden-outcome_kind": "other",
                                                 "afronden-outcome": "Slachtoffer is in contact met SHOP"}
                       ).status_code == 302
    shop_referral.refresh_from_db()
    assert shop_referral.status == ReferralStatus.DONE and shop_referral.outcome.startswith("Slachtoffer")
    last = shop_referral.status_changes.last()
    assert last.actor is None and "persoonlijke link" in last.actor_label
    event = AuditEvent.objects.filter(action="referral.status_changed", target_uuid=shop_referral.uuid).last()
    assert event.actor is None and event.details["link"] == str(link.uuid)
    assert event.actor_label == f"persoonlijke link: {shop_referral.receiver_name}"
    shop_referral.signal.refresh_from_db()
    assert shop_referral.signal.status == SignalStatus.IN_ROUTE
    # Every use, the answers included, is access-logged.
    assert AccessLogEntry.objects.filter(target_uuid=shop_referral.uuid, actor__isnull=True).count() == 3


@pytest.mark.django_db
def test_a_link_belongs_to_one_referral(world, signal, shop_referral):
    from meldroute.core.exceptions import DomainError

    other = refer(signal, world.af_a, to=world.police)
    link, _token = services.create_link(shop_referral, actor=world.af_a)
    with pytest.raises(DomainError):
        services.accept_referral(other, link=link)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["af_b", "partner", "melder_a"])
def test_only_the_senders_af_makes_or_revokes_links(world, shop_referral, who):
    from meldroute.core.exceptions import DomainError

    with pytest.raises(DomainError):
        services.create_link(shop_referral, actor=getattr(world, who))
    link, _token = services.create_link(shop_referral, actor=world.af_a)
    with pytest.raises(DomainError):
        services.revoke_link(link, actor=getattr(world, who))
