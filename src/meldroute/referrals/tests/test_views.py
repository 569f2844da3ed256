"""Referral pages and API: who sees what (404 for everyone else), and the receiver sees only the authorised fields."""

import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient
from tests.factories import make_api_token

from meldroute.audit.models import AccessLogEntry, AuditEvent
from meldroute.intake.constants import SignalStatus
from meldroute.partners.constants import DataCategory as D
from meldroute.referrals.constants import ReferralStatus
from meldroute.referrals.models import Referral

from .conftest import SECRET_ADDRESS, SECRET_PERSONS

OUTSIDERS = ["af_b", "af_c", "partner2", "melder_a", "ketenregisseur", "zorgcoordinator", "beheerder", "burgemeester"]


def api(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {make_api_token(user)}")
    return client


# --- Sending -------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_af_refers_through_the_page(client, world, signal):
    client.force_login(world.af_a)
    url = reverse("referrals:new", args=[signal.uuid])
    page = client.get(url)
    assert page.status_code == 200 and world.police.name in page.content.decode()
    response = client.post(url, {"receiver": f"org:{world.police.uuid}", "purpose": "Onderzoek",
                                 "legal_ground": "public_task", "categories": ["description"]})
    referral = Referral.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("referrals:detail", args=[referral.uuid])
    assert referral.categories == [D.SUMMARY, D.DESCRIPTION]
    signal_page = client.get(reverse("triage:signal", args=[signal.uuid])).content.decode()
    panel = signal_page.split('data-testid="referrals"')[1].split("</ul>")[0]
    assert world.police.name in panel and str(ReferralStatus.IN_PROGRESS.label) in panel


@pytest.mark.django_db
def test_refused_share_shows_the_dutch_message_at_the_field_and_keeps_the_input(client, world, signal, shop):
    client.force_login(world.af_a)
    page = client.post(reverse("referrals:new", args=[signal.uuid]),
                       {"receiver": f"entry:{shop.uuid}", "purpose": "Sparren over hulp",
                        "legal_ground": "public_task", "categories": ["persons"]})
    html = page.content.decode()
    assert page.status_code == 200
    assert "mogen niet naar" in html and 'id="id_categories_error"' in html
    assert "Sparren over hulp" in html and re.search(r'value="persons" id="id_categories_\d" checked', html)
    assert not Referral.objects.exists() and AuditEvent.objects.filter(action="referral.share_refused").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("who", OUTSIDERS + ["partner"])
def test_new_referral_page_is_404_for_everyone_but_the_municipalitys_af(client, world, signal, who):
    client.force_login(getattr(world, who))
    assert client.get(reverse("referrals:new", args=[signal.uuid])).status_code == 404
    assert client.post(reverse("referrals:new", args=[signal.uuid]),
                       {"receiver": f"org:{world.police.uuid}", "purpose": "x", "legal_ground": "public_task"}
                       ).status_code == 404
    assert not Referral.objects.exists()


# --- Reading -------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_receiver_sees_only_the_authorised_fields_on_the_page(client, world, referral):
    client.force_login(world.partner)
    page = client.get(reverse("referrals:detail", args=[referral.uuid]))
    html = page.content.decode()
    assert page.status_code == 200
    assert referral.signal.description in html  # authorised: the description
    assert SECRET_PERSONS not in html and SECRET_ADDRESS not in html and "Nagelstudio" not in html
    assert world.melder_a.last_name not in html  # never the reporter
    assert reverse("triage:signal", args=[referral.signal.uuid]) not in html  # never a way into the live signal
    assert "Persoonlijke links" not in html  # the sender's tools are not the receiver's
    assert AccessLogEntry.objects.filter(actor=world.partner, target_uuid=referral.uuid).count() == 1


@pytest.mark.django_db
def test_receiver_answers_on_the_page(client, world, referral):
    client.force_login(world.partner)
    url = reverse("referrals:action", args=[referral.uuid, "afwijzen"])
    page = client.post(url, {"afwijzen-reason": ""})
    assert page.status_code == 200 and "Geef de reden van de afwijzing." in page.content.decode()
    assert client.post(url, {"afwijzen-reason": "Geen taak voor de politie"}).status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REJECTED


@pytest.mark.django_db
def test_sender_sees_links_history_and_can_make_a_link_once(client, world, referral):
    client.force_login(world.af_a)
    page = client.post(reverse("referrals:action", args=[referral.uuid, "link"]))
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="new-link"' in html and "/verwijzing/" in html
    again = client.get(reverse("referrals:detail", args=[referral.uuid])).content.decode()
    assert 'data-testid="new-link"' not in again and "Link intrekken" in again
    link = referral.links.get()
    assert client.post(reverse("referrals:revoke_link", args=[referral.uuid, link.uuid])).status_code == 302
    link.refresh_from_db()
    assert link.revoked_at is not None


@pytest.mark.django_db
def test_sender_revokes_on_the_page(client, world, referral):
    client.force_login(world.af_a)
    response = client.post(reverse("referrals:action", args=[referral.uuid, "intrekken"]),
                           {"intrekken-reason": "Andere partner"})
    assert response.status_code == 302
    referral.refresh_from_db()
    referral.signal.refresh_from_db()
    assert referral.status == ReferralStatus.REVOKED and referral.signal.status == SignalStatus.IN_ROUTE


@pytest.mark.django_db
@pytest.mark.parametrize("who", OUTSIDERS)
def test_referral_pages_are_404_for_outsiders(client, world, referral, who):
    client.force_login(getattr(world, who))
    detail = client.get(reverse("referrals:detail", args=[referral.uuid]))
    assert detail.status_code == 404 and referral.signal.description not in detail.content.decode()
    for action in ("accepteren", "intrekken", "link"):
        assert client.post(reverse("referrals:action", args=[referral.uuid, action])).status_code == 404
    listing = client.get(reverse("referrals:list"))
    assert listing.status_code == 404 or referral.signal.reference not in listing.content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.IN_PROGRESS and not referral.links.exists()
    assert not AccessLogEntry.objects.filter(target_uuid=referral.uuid, actor=getattr(world, who)).exists()


@pytest.mark.django_db
def test_sender_cannot_answer_and_receiver_cannot_revoke(client, world, referral):
    client.force_login(world.af_a)
    assert client.post(reverse("referrals:action", args=[referral.uuid, "accepteren"])).status_code == 404
    client.force_login(world.partner)
    assert client.post(reverse("referrals:action", args=[referral.uuid, "intrekken"])).status_code == 404
    assert client.post(reverse("referrals:action", args=[referral.uuid, "link"])).status_code == 404
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.IN_PROGRESS


@pytest.mark.django_db
def test_partner_inbox_lists_received_referrals_without_personal_data(client, world, referral):
    client.force_login(world.partner)
    html = client.get(reverse("referrals:list")).content.decode()
    assert referral.signal.reference in html and referral.signal.description not in html
    assert f'href="{reverse("referrals:list")}"' in client.get(reverse("home")).content.decode()  # the home (homes)
    nav = client.get(reverse("referrals:list")).context["nav_items"]
    assert (reverse("referrals:list"), "Doorverwijzingen") in nav
    assert (reverse("partners:directory"), "Wegwijzer") in nav


# --- API -----------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_api_receiver_reads_only_the_authorised_fields(world, referral):
    client = api(world.partner)
    listing = client.get("/api/v1/referrals/").json()
    assert [r["id"] for r in listing["results"]] == [str(referral.uuid)]
    body = client.get(f"/api/v1/referrals/{referral.uuid}/").json()
    assert set(body["shared_data"]) == {"summary", "description"}
    assert SECRET_PERSONS not in str(body) and SECRET_ADDRESS not in str(body) and "reporter" not in str(body)
    assert AccessLogEntry.objects.filter(actor=world.partner, target_uuid=referral.uuid).count() == 1


@pytest.mark.django_db
def test_api_accept_reject_complete(world, signal, referral):
    client = api(world.partner)
    base = f"/api/v1/referrals/{referral.uuid}"
    bad = client.post(f"{base}/complete/", {"outcome": "x"}, format="json")
    assert bad.status_code == 400 and bad.json()["code"] == "refused"
    missing = client.post(f"{base}/reject/", {}, format="json")
    assert missing.status_code == 400 and "reason" in missing.json()["errors"]
    assert client.post(f"{base}/accept/").json()["status"] == "accepted"
    done = client.post(f"{base}/complete/", {"outcome": "Zaak gestart"}, format="json")
    assert done.status_code == 200 and done.json()["outcome"] == "Zaak gestart"


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["partner2", "af_a", "af_b", "melder_a", "ketenregisseur"])
def test_api_is_404_for_everyone_but_the_receiver(world, referral, who):
    client = api(getattr(world, who))
    assert client.get("/api/v1/referrals/").json()["results"] == []
    for method, path in (("get", ""), ("post", "accept/"), ("post", "reject/"), ("post", "complete/")):
        response = getattr(client, method)(f"/api/v1/referrals/{referral.uuid}/{path}", {"reason": "x"},
                                           format="json")
        assert response.status_code == 404 and response.json()["code"] == "not_found"
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.IN_PROGRESS


@pytest.mark.django_db
def test_api_needs_authentication(world, referral):
    assert APIClient().get("/api/v1/referrals/").status_code in (401, 403)
