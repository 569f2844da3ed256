"""The access matrix for revoked referrals and dead personal links: every role × page/API/link → what it shows.

  sender      200 with the snapshot (the sender's audit keeps what went out)
  receiver    200 with only the fact of revocation and its date; the API likewise; answering refused
  everyone    404, nothing shown, nothing logged
  the link    after revocation or expiry: 404 "niet meer beschikbaar" for anyone holding it, nothing logged
Every 200 writes exactly one access-log entry for that user and referral, naming only the fields shown.
"""

from datetime import timedelta

import pytest
from django.urls import reverse

from meldroute.audit.models import AccessLogEntry
from meldroute.partners.constants import DataCategory as D
from meldroute.partners.constants import LegalGround as G
from meldroute.partners.services import ensure_default_sharing_rules
from meldroute.referrals import services
from meldroute.referrals.constants import ReferralStatus
from tests.factories import make_signal

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

DESCRIPTION = "Twaalf arbeiders slapen in de loods achter het kassencomplex."
USERS = ["melder_a", "melder_a2", "af_a", "af_a2", "melder_b", "af_b", "af_c", "partner", "partner2",
         "zorgcoordinator", "procesregisseur", "casusregisseur", "ketenregisseur", "beheerder", "burgemeester"]
SENDERS = {"af_a", "af_a2"}
RECEIVERS = {"partner"}


@pytest.fixture
def revoked(world):
    ensure_default_sharing_rules()
    signal = make_signal(world.melder_a, description=DESCRIPTION)
    referral = services.create_referral(signal, actor=world.af_a, receiver_organisation=world.police,
                                        purpose="Onderzoek arbeidsuitbuiting", legal_ground=G.PUBLIC_TASK,
                                        categories=[D.DESCRIPTION])
    _link, token = services.create_link(referral, actor=world.af_a)
    services.revoke_referral(referral, actor=world.af_a, reason="Verkeerde partner")
    referral.token = token
    return referral


def test_the_matrix_covers_every_user_of_the_world(world):
    from meldroute.accounts.models import User

    assert {name for name, value in vars(world).items() if isinstance(value, User)} == set(USERS)


@pytest.mark.parametrize("who", USERS)
def test_revoked_referral_page(client, world, revoked, who):
    user = getattr(world, who)
    client.force_login(user)
    page = client.get(reverse("referrals:detail", args=[revoked.uuid]))
    html = page.content.decode()
    entries = AccessLogEntry.objects.filter(actor=user, target_uuid=revoked.uuid)
    if who in SENDERS:
        assert page.status_code == 200 and DESCRIPTION in html
        assert entries.count() == 1 and set(revoked.shared_fields) <= set(entries.get().fields)
    elif who in RECEIVERS:
        assert page.status_code == 200 and DESCRIPTION not in html and 'data-testid="referral-revoked"' in html
        assert entries.count() == 1 and set(entries.get().fields) == {"status", "closed_at"}
    else:
        assert page.status_code == 404 and DESCRIPTION not in html and not entries.exists()


@pytest.mark.parametrize("who", USERS)
def test_revoked_referral_api(client, world, revoked, who):
    user = getattr(world, who)
    client.force_login(user)
    response = client.get(f"/api/v1/referrals/{revoked.uuid}/")
    entries = AccessLogEntry.objects.filter(actor=user, target_uuid=revoked.uuid)
    assert DESCRIPTION not in response.content.decode()
    if who in RECEIVERS:
        assert response.status_code == 200 and response.json()["status"] == ReferralStatus.REVOKED
        assert "shared_data" not in response.json() and entries.count() == 1
    else:
        # The API is the receiver's: the sender works on the page, everyone else learns nothing.
        assert response.status_code == 404 and not entries.exists()
    listing = client.get("/api/v1/referrals/").content.decode()
    assert DESCRIPTION not in listing


@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("action", ["accept", "reject", "complete"])
def test_nobody_answers_a_revoked_referral_through_the_api(client, world, revoked, who, action):
    client.force_login(getattr(world, who))
    response = client.post(f"/api/v1/referrals/{revoked.uuid}/{action}/",
                           {"reason": "Toch niet", "outcome": "Afgerond"}, content_type="application/json")
    assert 400 <= response.status_code < 500 and DESCRIPTION not in response.content.decode()
    revoked.refresh_from_db()
    assert revoked.status == ReferralStatus.REVOKED


@pytest.mark.parametrize("who", [None, *USERS])
def test_the_link_of_a_revoked_referral_is_dead_for_everyone(client, world, revoked, who):
    if who:
        client.force_login(getattr(world, who))
    before = AccessLogEntry.objects.count()
    page = client.get(reverse("referrals:public", args=[revoked.token]))
    assert page.status_code == 404 and "niet meer beschikbaar" in page.content.decode()
    assert DESCRIPTION not in page.content.decode() and revoked.signal.reference not in page.content.decode()
    answer = client.post(reverse("referrals:public_action", args=[revoked.token, "accepteren"]))
    assert answer.status_code == 404 and DESCRIPTION not in answer.content.decode()
    assert AccessLogEntry.objects.count() == before


def test_an_expired_link_is_dead_and_logs_nothing(client, clock, world):
    ensure_default_sharing_rules()
    signal = make_signal(world.melder_a, description=DESCRIPTION)
    referral = services.create_referral(signal, actor=world.af_a, receiver_organisation=world.police,
                                        purpose="Onderzoek arbeidsuitbuiting", legal_ground=G.PUBLIC_TASK,
                                        categories=[D.DESCRIPTION])
    _link, token = services.create_link(referral, actor=world.af_a)
    assert client.get(reverse("referrals:public", args=[token])).status_code == 200
    clock.shift(timedelta(days=services.link_days(), seconds=1))
    before = AccessLogEntry.objects.count()
    for response in (client.get(reverse("referrals:public", args=[token])),
                     client.post(reverse("referrals:public_action", args=[token, "accepteren"]))):
        assert response.status_code == 404 and "niet meer beschikbaar" in response.content.decode()
        assert DESCRIPTION not in response.content.decode()
    assert AccessLogEntry.objects.count() == before
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.IN_PROGRESS
