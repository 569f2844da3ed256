"""Revoking means revoked (THREATS: "partner whose referral was revoked or expired").

Each test is an attack by the receiving partner after the sender took the referral back, or after the personal link
ran out: the page, the API and the link show only that the referral was revoked (and when) — nothing of what went
out — while the sender keeps the snapshot for their own audit.
"""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meldroute.audit.models import AccessLogEntry
from meldroute.partners.constants import DataCategory as D
from meldroute.partners.constants import LegalGround as G
from meldroute.partners.services import ensure_default_sharing_rules
from meldroute.referrals import services
from meldroute.referrals.constants import ReferralStatus
from meldroute.referrals.models import Referral
from tests.factories import make_signal

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

DESCRIPTION = "Werkt dag en nacht in de nagelsalon, slaapt achter in de zaak."
ADDRESS = "Sluisweg 7"
BUSINESS = "Nagelstudio Glans"
PURPOSE = "Onderzoek naar mogelijke uitbuiting van Roos Verzonnen"
REASON = "Verkeerde partner; Roos Verzonnen is al in beeld"


@pytest.fixture
def referral(world):
    ensure_default_sharing_rules()
    signal = make_signal(world.melder_a, description=DESCRIPTION, address=ADDRESS, business_name=BUSINESS)
    return services.create_referral(signal, actor=world.af_a, receiver_organisation=world.police, purpose=PURPOSE,
                                    legal_ground=G.PUBLIC_TASK, categories=[D.DESCRIPTION, D.LOCATION])


@pytest.fixture
def revoked(world, referral):
    return services.revoke_referral(referral, actor=world.af_a, reason=REASON)


def _secrets(referral: Referral) -> list[str]:
    """Everything that went out beyond the summary (code, date, municipality: what the receiver's list shows too),
    and the sender's texts about it."""
    values = [v for category, section in referral.shared_data.items() if category != D.SUMMARY
              for v in section.values() if v and len(str(v)) > 3]
    return [*values, DESCRIPTION, ADDRESS, BUSINESS, PURPOSE, REASON]


def _assert_shows_nothing(text: str, referral: Referral) -> None:
    for secret in _secrets(referral):
        assert str(secret) not in text, f"{secret!r} leaked"


def test_partner_reopens_the_revoked_referral_page_and_sees_only_that_it_was_revoked(client, world, revoked):
    client.force_login(world.partner)
    page = client.get(reverse("referrals:detail", args=[revoked.uuid]))
    html = page.content.decode()
    assert page.status_code == 200
    _assert_shows_nothing(html, revoked)
    assert 'data-testid="referral-revoked"' in html and 'data-testid="shared-data"' not in html
    assert "no-store" in page["Cache-Control"]
    # What was read is what was shown: the fact of revocation, not the shared fields.
    entry = AccessLogEntry.objects.filter(actor=world.partner, target_uuid=revoked.uuid).get()
    assert set(entry.fields) <= {"status", "closed_at"}


def test_partner_reads_the_revoked_referral_through_the_api_and_gets_only_the_revocation(client, world, revoked):
    client.force_login(world.partner)
    response = client.get(f"/api/v1/referrals/{revoked.uuid}/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == ReferralStatus.REVOKED and body["revoked_at"]
    for key in ("shared_data", "purpose", "legal_ground", "categories", "reason", "outcome"):
        assert key not in body
    _assert_shows_nothing(response.content.decode(), revoked)


def test_partner_answers_the_revoked_referral_through_the_api_and_learns_nothing(client, world, revoked):
    client.force_login(world.partner)
    response = client.post(f"/api/v1/referrals/{revoked.uuid}/accept/", content_type="application/json")
    assert 400 <= response.status_code < 500
    _assert_shows_nothing(response.content.decode(), revoked)
    revoked.refresh_from_db()
    assert revoked.status == ReferralStatus.REVOKED


def test_the_old_link_of_a_revoked_referral_shows_only_no_longer_available(client, world, referral):
    _link, token = services.create_link(referral, actor=world.af_a)
    services.revoke_referral(referral, actor=world.af_a, reason=REASON)
    page = client.get(reverse("referrals:public", args=[token]))
    html = page.content.decode()
    assert page.status_code == 404 and "niet meer beschikbaar" in html
    _assert_shows_nothing(html, referral)
    assert referral.signal.reference not in html


def test_a_link_left_valid_on_a_revoked_referral_still_shows_nothing(client, world, referral):
    """The mechanism, not the example: the link view checks the referral's status, not only the link's own."""
    _link, token = services.create_link(referral, actor=world.af_a)
    Referral.objects.filter(pk=referral.pk).update(status=ReferralStatus.REVOKED, closed_at=timezone.now())
    page = client.get(reverse("referrals:public", args=[token]))
    assert page.status_code == 404 and "niet meer beschikbaar" in page.content.decode()
    _assert_shows_nothing(page.content.decode(), referral)
    answer = client.post(reverse("referrals:public_action", args=[token, "accepteren"]))
    assert answer.status_code == 404
    _assert_shows_nothing(answer.content.decode(), referral)
    assert not AccessLogEntry.objects.filter(target_uuid=referral.uuid, actor__isnull=True).exists()


def test_an_expired_link_shows_only_no_longer_available(client, clock, world, referral):
    _link, token = services.create_link(referral, actor=world.af_a)
    clock.shift(timedelta(days=services.link_days(), minutes=1))
    page = client.get(reverse("referrals:public", args=[token]))
    html = page.content.decode()
    assert page.status_code == 404 and "niet meer beschikbaar" in html
    _assert_shows_nothing(html, referral)
    assert referral.signal.reference not in html
    assert "no-store" in page["Cache-Control"]


def test_an_unknown_token_looks_exactly_like_an_expired_one(client, clock, world, referral):
    _link, token = services.create_link(referral, actor=world.af_a)
    unknown = client.get(reverse("referrals:public", args=["x" * 43])).content.decode()
    clock.shift(timedelta(days=services.link_days(), minutes=1))
    expired = client.get(reverse("referrals:public", args=[token])).content.decode()
    assert _without_csrf(unknown) == _without_csrf(expired)


def _without_csrf(html: str) -> str:
    # The masked CSRF token differs per response; the language form names the address the user typed.
    return re.sub(r"/verwijzing/[^/\"]+/", "", re.sub(r"[A-Za-z0-9]{64}", "", html))


def test_the_sender_keeps_the_snapshot_after_revoking(client, world, revoked):
    client.force_login(world.af_a)
    page = client.get(reverse("referrals:detail", args=[revoked.uuid]))
    html = page.content.decode()
    assert page.status_code == 200 and DESCRIPTION in html and PURPOSE in html and REASON in html
    entry = AccessLogEntry.objects.filter(actor=world.af_a, target_uuid=revoked.uuid).last()
    assert set(revoked.shared_fields) <= set(entry.fields)
    revoked.refresh_from_db()
    assert revoked.shared_data[D.DESCRIPTION]["description"] == DESCRIPTION


def test_the_receivers_open_referral_still_shows_what_went_out(client, world, referral):
    client.force_login(world.partner)
    html = client.get(reverse("referrals:detail", args=[referral.uuid])).content.decode()
    assert DESCRIPTION in html and 'data-testid="referral-revoked"' not in html
    body = client.get(f"/api/v1/referrals/{referral.uuid}/").json()
    assert body["shared_data"][D.DESCRIPTION]["description"] == DESCRIPTION


def test_partner_answers_the_revoked_referral_on_the_page_and_sees_only_the_revocation(client, world, revoked):
    client.force_login(world.partner)
    for action, data in (("accepteren", {}), ("afwijzen", {"afwijzen-reason": "Niet onze taak"}),
                         ("afronden", {"afronden-outcome": "Gesprek gevoerd"})):
        response = client.post(reverse("referrals:action", args=[revoked.uuid, action]), data, follow=True)
        assert response.status_code == 200
        _assert_shows_nothing(response.content.decode(), revoked)
    revoked.refresh_from_db()
    assert revoked.status == ReferralStatus.REVOKED
