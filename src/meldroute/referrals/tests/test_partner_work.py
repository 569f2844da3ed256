"""Issue 14, the partner's and the AF's work on referrals: list filters and the acute badge, the structured outcome,
questions on a referral between receiver and sender, and the warning before a second open referral to one partner."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient
from tests.factories import make_api_token, make_signal

from meldroute.audit.models import AccessLogEntry, AuditEvent
from meldroute.notifications.constants import Kind
from meldroute.notifications.models import Notification
from meldroute.referrals import services
from meldroute.referrals.constants import OutcomeKind, ReferralStatus
from meldroute.referrals.models import Referral, ReferralMessage
from meldroute.retention.services import _anonymise_referral

from .conftest import refer

OUTSIDERS = ["af_b", "partner2", "melder_a", "ketenregisseur", "zorgcoordinator", "beheerder"]


def api(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {make_api_token(user)}")
    return client


def _refs(html: str, *referrals: Referral) -> list[bool]:
    return [r.signal.reference in html for r in referrals]


# --- The list: filters and the acute badge -------------------------------------------------------

@pytest.fixture
def three(world, rules):
    """Three referrals to the police: an acute one waiting, one accepted last month, one rejected."""
    acute = refer(make_signal(world.melder_a, is_acute=True), world.af_a, to=world.police)
    older = refer(make_signal(world.melder_a), world.af_a, to=world.police)
    Referral.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(days=30))
    services.accept_referral(older, actor=world.partner)
    rejected = refer(make_signal(world.melder_a), world.af_a, to=world.police)
    services.reject_referral(rejected, actor=world.partner, reason="Geen taak voor de politie")
    return acute, older, rejected


@pytest.mark.django_db
def test_partner_filters_the_list_by_status_acute_and_received_date(client, world, three):
    acute, older, rejected = three
    client.force_login(world.partner)
    url = reverse("referrals:list")
    everything = client.get(url).content.decode()
    assert _refs(everything, acute, older, rejected) == [True, True, True]
    assert everything.count('data-testid="acute-badge"') == 1
    assert _refs(client.get(url, {"status": "open"}).content.decode(), acute, older, rejected) == [True, True, False]
    assert _refs(client.get(url, {"status": "rejected"}).content.decode(), acute, older, rejected) == [
        False, False, True]
    assert _refs(client.get(url, {"acute": "on"}).content.decode(), acute, older, rejected) == [True, False, False]
    today = timezone.localdate()
    recent = client.get(url, {"received_from": (today - timedelta(days=7)).isoformat()}).content.decode()
    assert _refs(recent, acute, older, rejected) == [True, False, True]
    until = client.get(url, {"received_until": (today - timedelta(days=29)).isoformat()}).content.decode()
    assert _refs(until, acute, older, rejected) == [False, True, False]


@pytest.mark.django_db
def test_an_invalid_filter_is_named_at_its_field_and_the_rest_still_filters(client, world, three):
    acute, older, rejected = three
    client.force_login(world.partner)
    page = client.get(reverse("referrals:list"), {"received_from": "gisteren", "acute": "on", "status": "x"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Vul een datum in" in html and "Kies een status uit de lijst." in html
    assert 'value="gisteren"' in html  # the typed input stays
    assert _refs(html, acute, older, rejected) == [True, False, False]
    reversed_dates = client.get(reverse("referrals:list"), {"received_from": "2026-06-10",
                                                            "received_until": "2026-06-01"}).content.decode()
    assert "De einddatum ligt voor de begindatum." in reversed_dates


@pytest.mark.django_db
def test_the_filters_stay_in_the_pagination_links(client, world, rules):
    for _ in range(26):
        refer(make_signal(world.melder_a, is_acute=True), world.af_a, to=world.police)
    client.force_login(world.partner)
    html = client.get(reverse("referrals:list"), {"acute": "on"}).content.decode()
    assert "acute=on&amp;pagina=2" in html


@pytest.mark.django_db
def test_the_af_list_has_the_same_filters_and_sees_only_its_municipality(client, world, three):
    acute, older, rejected = three
    other = refer(make_signal(world.melder_b), world.af_b, to=world.police)
    client.force_login(world.af_a)
    html = client.get(reverse("referrals:list"), {"status": "open"}).content.decode()
    assert _refs(html, acute, older, rejected, other) == [True, True, False, False]


# --- The structured outcome ----------------------------------------------------------------------

@pytest.mark.django_db
def test_partner_returns_a_structured_outcome_on_the_page(client, world, referral):
    services.accept_referral(referral, actor=world.partner)
    client.force_login(world.partner)
    url = reverse("referrals:action", args=[referral.uuid, "afronden"])
    missing = client.post(url, {"afronden-outcome": "Iets gedaan"}).content.decode()
    assert "Kies wat er met de doorverwijzing is gedaan." in missing and "Iets gedaan" in missing
    no_org = client.post(url, {"afronden-outcome_kind": "handed_over"}).content.decode()
    assert "Schrijf aan welke organisatie u het heeft overgedragen." in no_org
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED  # nothing was written by the refusals
    assert client.post(url, {"afronden-outcome_kind": "handed_over",
                             "afronden-handed_to": "Arbeidsinspectie"}).status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.outcome_kind, referral.outcome_handed_to) == (
        ReferralStatus.DONE, OutcomeKind.HANDED_OVER, "Arbeidsinspectie")
    assert referral.outcome == "Overgedragen aan een andere organisatie: Arbeidsinspectie"  # no text: the kind reads
    event = AuditEvent.objects.filter(action="referral.status_changed").latest("id")
    assert event.details["outcome_kind"] == "handed_over"
    client.force_login(world.af_a)
    page = client.get(reverse("referrals:detail", args=[referral.uuid])).content.decode()
    assert "Overgedragen aan een andere organisatie: Arbeidsinspectie" in page


@pytest.mark.django_db
def test_other_needs_a_text_and_no_action_does_not(world, referral):
    services.accept_referral(referral, actor=world.partner)
    with pytest.raises(Exception, match="Beschrijf de uitkomst"):
        services.complete_referral(referral, actor=world.partner, outcome_kind=OutcomeKind.OTHER, outcome=" ")
    with pytest.raises(Exception, match="Kies wat er"):
        services.complete_referral(referral, actor=world.partner, outcome_kind="labour", outcome="x")
    services.complete_referral(referral, actor=world.partner, outcome_kind=OutcomeKind.NO_ACTION,
                               handed_to="genegeerd")
    referral.refresh_from_db()
    assert (referral.outcome, referral.outcome_handed_to) == ("Geen actie", "")


@pytest.mark.django_db
def test_api_complete_takes_the_structured_outcome_and_refuses_an_unknown_kind(world, referral):
    client = api(world.partner)
    base = f"/api/v1/referrals/{referral.uuid}"
    client.post(f"{base}/accept/")
    bad = client.post(f"{base}/complete/", {"outcome_kind": "labour", "outcome": "x"}, format="json")
    assert bad.status_code == 400 and "outcome_kind" in bad.json()["errors"]
    done = client.post(f"{base}/complete/", {"outcome_kind": "investigation", "outcome": "Onderzoek gestart"},
                       format="json")
    assert done.status_code == 200
    assert (done.json()["outcome_kind"], done.json()["outcome"]) == ("investigation", "Onderzoek gestart")


# --- Questions on a referral ---------------------------------------------------------------------

@pytest.mark.django_db
def test_receiver_asks_the_sender_a_question_and_gets_an_answer(client, world, referral):
    client.force_login(world.partner)
    detail = reverse("referrals:detail", args=[referral.uuid])
    url = reverse("referrals:action", args=[referral.uuid, "bericht"])
    empty = client.post(url, {"bericht-text": "  "})
    assert empty.status_code == 200 and "Schrijf uw vraag of antwoord." in empty.content.decode()
    assert client.post(url, {"bericht-text": "Is de melder bereikbaar voor een gesprek?"}).status_code == 302
    question = ReferralMessage.objects.get()
    assert question.from_receiver and question.author == world.partner
    told = Notification.objects.get(kind=Kind.REFERRAL_MESSAGE)
    assert told.user == world.af_a and "bereikbaar" not in told.text and referral.signal.reference in told.text
    assert AuditEvent.objects.filter(action="referral.message_posted", target_uuid=referral.uuid).count() == 1

    client.force_login(world.af_a)
    page = client.get(detail).content.decode()
    assert "Is de melder bereikbaar voor een gesprek?" in page and "Antwoord versturen" in page
    assert "messages" in AccessLogEntry.objects.filter(target_uuid=referral.uuid).latest("id").fields
    assert client.post(url, {"bericht-text": "Ja, via de AF."}).status_code == 302
    answer = ReferralMessage.objects.latest("id")
    assert not answer.from_receiver
    assert Notification.objects.filter(kind=Kind.REFERRAL_MESSAGE, user=world.partner).exists()
    client.force_login(world.partner)
    html = client.get(detail).content.decode()
    assert html.index("Is de melder bereikbaar") < html.index("Ja, via de AF.")


@pytest.mark.django_db
@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_cannot_read_or_post_messages(client, world, referral, who):
    services.post_message(referral, actor=world.partner, text="Geheime vraag")
    before = (ReferralMessage.objects.count(), AuditEvent.objects.count())
    client.force_login(getattr(world, who))
    assert client.get(reverse("referrals:detail", args=[referral.uuid])).status_code == 404
    assert client.post(reverse("referrals:action", args=[referral.uuid, "bericht"]),
                       {"bericht-text": "Ik ook"}).status_code == 404
    assert (ReferralMessage.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.django_db
def test_after_revocation_the_receiver_reads_no_messages_and_cannot_post(client, world, referral):
    services.post_message(referral, actor=world.partner, text="Wie is de contactpersoon?")
    services.revoke_referral(referral, actor=world.af_a, reason="Vergissing")
    client.force_login(world.partner)
    page = client.get(reverse("referrals:detail", args=[referral.uuid])).content.decode()
    assert "Wie is de contactpersoon?" not in page
    response = client.post(reverse("referrals:action", args=[referral.uuid, "bericht"]), {"bericht-text": "Nog één"})
    assert ReferralMessage.objects.count() == 1 and response.status_code in (200, 302)
    api_view = api(world.partner).get(f"/api/v1/referrals/{referral.uuid}/").json()
    assert "messages" not in api_view
    client.force_login(world.af_a)  # the sender keeps its record
    assert "Wie is de contactpersoon?" in client.get(reverse("referrals:detail", args=[referral.uuid])
                                                     ).content.decode()


@pytest.mark.django_db
def test_api_partner_asks_a_question_and_reads_the_conversation(world, referral):
    client = api(world.partner)
    base = f"/api/v1/referrals/{referral.uuid}"
    assert client.post(f"{base}/message/", {"text": ""}, format="json").status_code == 400
    response = client.post(f"{base}/message/", {"text": "Welke taal spreekt het slachtoffer?"}, format="json")
    assert response.status_code == 201
    assert response.json()["messages"][0] | {"created_at": None} == {
        "sender": "receiver", "author_label": world.partner.get_full_name() or world.partner.username,
        "text": "Welke taal spreekt het slachtoffer?", "created_at": None}
    assert api(world.partner2).post(f"{base}/message/", {"text": "x"}, format="json").status_code == 404


@pytest.mark.django_db
def test_retention_removes_the_conversation_with_the_referrals_texts(world, referral):
    services.post_message(referral, actor=world.partner, text="Vraag met een naam erin")
    services.accept_referral(referral, actor=world.partner)
    services.complete_referral(referral, actor=world.partner, outcome_kind=OutcomeKind.HANDED_OVER,
                               handed_to="Stichting Voorbeeld")
    _anonymise_referral(referral)
    referral.refresh_from_db()
    assert not ReferralMessage.objects.exists() and referral.outcome_handed_to == ""


# --- A second referral to the same partner -------------------------------------------------------

@pytest.mark.django_db
def test_a_second_open_referral_to_the_same_partner_asks_for_confirmation(client, world, signal):
    refer(signal, world.af_a, to=world.police)
    client.force_login(world.af_a)
    url = reverse("referrals:new", args=[signal.uuid])
    fields = {"receiver": f"org:{world.police.uuid}", "purpose": "Tweede vraag aan de politie",
              "legal_ground": "public_task", "categories": ["description"]}
    assert 'name="confirm_duplicate"' not in client.get(url).content.decode()  # offered only after the warning
    warned = client.post(url, fields).content.decode()
    assert "staat al open bij" in warned and 'name="confirm_duplicate"' in warned
    assert "Tweede vraag aan de politie" in warned  # the input is kept
    assert Referral.objects.filter(signal=signal).count() == 1
    assert client.post(url, fields | {"confirm_duplicate": "on"}).status_code == 302
    assert Referral.objects.filter(signal=signal).count() == 2


@pytest.mark.django_db
def test_no_warning_for_another_partner_or_after_the_first_closed(world, signal, shop):
    first = refer(signal, world.af_a, to=world.police)
    refer(signal, world.af_a, entry=shop, categories=())  # another receiver: no question
    with pytest.raises(Exception, match="staat al open"):
        refer(signal, world.af_a, to=world.police)
    services.reject_referral(first, actor=world.partner, reason="Niet voor ons")
    signal.refresh_from_db()
    refer(signal, world.af_a, to=world.police)  # the first is closed: a new one is normal
    assert Referral.objects.filter(signal=signal, receiver_organisation=world.police).count() == 2
