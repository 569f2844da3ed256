"""'Geen mensenhandel, ander fenomeen' hands the signal on (seed 000 §4.2): as a referral of its own kind through the
sharing rules, or recorded as passed on outside Meldroute with who and when; audited, in the signal's history."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from tests.factories import OrganisationFactory, make_signal

from meldroute.audit.models import AuditEvent
from meldroute.core.exceptions import DomainError
from meldroute.intake.constants import Outcome, SignalStatus
from meldroute.partners.constants import DataCategory as D
from meldroute.partners.constants import LegalGround as G
from meldroute.partners.constants import PartnerType
from meldroute.partners.models import DirectoryEntry
from meldroute.partners.services import ensure_default_sharing_rules
from meldroute.referrals.constants import ReferralKind
from meldroute.referrals.selectors import receiver_view
from meldroute.triage import services
from meldroute.triage.models import Handover

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

# The set clock's date, read at collection (the clock is set before it: conftest.py), for the parametrised cases.
TODAY = timezone.localdate()


@pytest.fixture
def setting(world):
    ensure_default_sharing_rules()
    world.vt = OrganisationFactory(name="Veilig Thuis Regio Een", code="VT-R1", kind="veilig_thuis",
                                   region=world.region, email="")
    world.signal = make_signal(world.melder_a, description="Ruzie en geweld thuis, kinderen aanwezig.",
                               persons_description="Moeder en twee kinderen", address="Dorpsstraat 3")
    services.classify_signal(world.signal, actor=world.af_a, assessment="none")
    return world


def test_handover_as_referral_carries_its_own_field_set_and_closes_the_signal(setting):
    w = setting
    handover = services.hand_over_signal(
        w.signal, actor=w.af_a, phenomenon="domestic_violence", text="Meldcode gevolgd.", receiver_organisation=w.vt,
        purpose="Overdracht huiselijk geweld", legal_ground=G.MELDCODE, categories=[D.CLASSIFICATION, D.DESCRIPTION])
    w.signal.refresh_from_db()
    referral = handover.referral
    assert referral.kind == ReferralKind.PHENOMENON and referral.phenomenon == "domestic_violence"
    # Its own field set: the phenomenon, not the trafficking classification.
    assert referral.shared_data[D.CLASSIFICATION] == {"phenomenon": "Huiselijk geweld / kindermishandeling",
                                                      "assessment": "Geen sprake van mensenhandel"}
    assert "classification.phenomenon" in referral.shared_fields
    assert "classification.forms" not in referral.shared_fields
    assert D.PERSONS not in referral.shared_data and D.LOCATION not in referral.shared_data
    assert (w.signal.status, w.signal.outcome, w.signal.phenomenon) == (
        SignalStatus.CLOSED, Outcome.OTHER_PHENOMENON, "domestic_violence")
    assert handover.proposed_receiver == "Veilig Thuis" and handover.receiver_name == w.vt.name
    history = w.signal.status_changes.last().text
    assert "doorverwezen naar Veilig Thuis Regio Een" in history
    assert {"referral.created", "signal.handed_over"} <= set(
        AuditEvent.objects.values_list("action", flat=True))
    # What the receiver reads: exactly that field set.
    view = receiver_view(referral)
    assert view is not None


def test_the_sharing_rule_decides_and_a_refusal_leaves_the_signal_open(setting):
    w = setting
    shop = DirectoryEntry.objects.create(region=w.region, partner_type=PartnerType.SHOP, name="SHOP")
    with pytest.raises(DomainError) as error:
        services.hand_over_signal(w.signal, actor=w.af_a, phenomenon="illegal_prostitution", text="x",
                                  directory_entry=shop, purpose="p", legal_ground=G.PUBLIC_TASK,
                                  categories=[D.PERSONS])
    assert error.value.field == "categories"
    w.signal.refresh_from_db()
    assert w.signal.status != SignalStatus.CLOSED and not Handover.objects.exists()
    assert AuditEvent.objects.filter(action="referral.share_refused").exists()  # the attempt stays on record


def test_handover_outside_meldroute_records_who_and_when(setting):
    w = setting
    handover = services.hand_over_signal(
        w.signal, actor=w.af_a, phenomenon="poor_housing", text="Telefonisch overgedragen.",
        receiver_name="Bouw- en woningtoezicht", contact="Team BWT, dienstdoende inspecteur",
        handed_over_on=TODAY - timedelta(days=1))
    w.signal.refresh_from_db()
    assert handover.referral is None and handover.handed_over_on == TODAY - timedelta(days=1)
    assert w.signal.status == SignalStatus.CLOSED and w.signal.phenomenon == "poor_housing"
    history = w.signal.status_changes.last().text
    yesterday = (TODAY - timedelta(days=1)).strftime("%d-%m-%Y")
    assert "buiten Meldroute doorgegeven aan Bouw- en woningtoezicht" in history and yesterday in history
    event = AuditEvent.objects.get(action="signal.handed_over")
    assert event.details["via"] == "outside" and event.details["as_proposed"] is False
    assert "Team BWT" not in str(event.details)  # names of fields and facts, never the values typed


@pytest.mark.parametrize(("values", "field"), [
    ({"phenomenon": "weather"}, "phenomenon"),
    ({"text": " "}, "text"),
    ({"receiver_name": ""}, "receiver_name"),
    ({"contact": ""}, "contact"),
    ({"handed_over_on": None}, "handed_over_on"),
    ({"handed_over_on": TODAY + timedelta(days=1)}, "handed_over_on"),
])
def test_bad_outside_handover_is_refused_at_its_field(setting, values, field):
    w = setting
    kwargs = {"phenomenon": "care_need", "text": "Overgedragen.", "receiver_name": "Wijkteam", "contact": "Intake",
              "handed_over_on": TODAY, **values}
    with pytest.raises(DomainError) as error:
        services.hand_over_signal(w.signal, actor=w.af_a, **kwargs)
    assert error.value.field == field
    assert not Handover.objects.exists()


def test_only_the_af_of_the_municipality_and_only_an_open_signal(setting):
    w = setting
    with pytest.raises(DomainError):
        services.hand_over_signal(w.signal, actor=w.af_b, phenomenon="care_need", text="x", receiver_name="W",
                                  contact="c", handed_over_on=TODAY)
    services.close_signal(w.signal, actor=w.af_a, outcome=Outcome.NO_TRAFFICKING, text="Klaar.")
    with pytest.raises(DomainError):
        services.hand_over_signal(w.signal, actor=w.af_a, phenomenon="care_need", text="x", receiver_name="W",
                                  contact="c", handed_over_on=TODAY)
    assert not Handover.objects.exists()


def test_page_proposes_the_receiver_and_sends_the_referral(client, setting):
    w = setting
    client.force_login(w.af_a)
    url = reverse("triage:handover", args=[w.signal.uuid])
    page = client.get(url + "?fenomeen=domestic_violence").content.decode()
    assert "Voorgestelde ontvanger" in page and "Veilig Thuis" in page
    assert 'data-testid="handover-doorverwijzing"' in page
    response = client.post(url, {"fenomeen": "domestic_violence", "wijze": "doorverwijzing",
                                 "receiver": f"org:{w.vt.uuid}", "purpose": "Overdracht",
                                 "legal_ground": G.MELDCODE, "categories": [D.DESCRIPTION], "text": "Meldcode."})
    assert response.status_code == 302
    w.signal.refresh_from_db()
    assert w.signal.status == SignalStatus.CLOSED
    detail = client.get(reverse("triage:signal", args=[w.signal.uuid])).content.decode()
    assert 'data-testid="handover"' in detail and "doorverwezen naar Veilig Thuis Regio Een" in detail
    referral_page = client.get(reverse("referrals:detail", args=[w.signal.referrals.get().uuid])).content.decode()
    assert "Overdracht ander fenomeen (geen mensenhandel)" in referral_page
    assert "Ruzie en geweld thuis" in referral_page  # the description, the one category chosen


def test_page_outside_keeps_input_and_says_what_is_missing(client, setting):
    w = setting
    client.force_login(w.af_a)
    url = reverse("triage:handover", args=[w.signal.uuid])
    page = client.get(url + "?fenomeen=poor_housing").content.decode()
    assert 'data-testid="handover-buiten"' in page and "Bouw- en woningtoezicht (BWT) van de gemeente" in page
    response = client.post(url, {"fenomeen": "poor_housing", "wijze": "buiten", "receiver_name": "BWT",
                                 "contact": "", "handed_over_on": "2026-06-10", "text": "Gebeld."})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Vul de contactpersoon of afdeling in" in body and "Gebeld." in body
    response = client.post(url, {"fenomeen": "poor_housing", "wijze": "buiten", "receiver_name": "BWT",
                                 "contact": "Inspecteur van dienst", "handed_over_on": "2026-06-10",
                                 "text": "Gebeld."})
    assert response.status_code == 302
    assert Handover.objects.get().contact == "Inspecteur van dienst"


def test_page_without_a_phenomenon_asks_for_one(client, setting):
    client.force_login(setting.af_a)
    url = reverse("triage:handover", args=[setting.signal.uuid])
    assert "Welk ander fenomeen?" in client.get(url).content.decode()
    assert "Kies welk ander fenomeen het is." in client.get(url + "?fenomeen=weer").content.decode()


def test_the_close_form_no_longer_takes_other_phenomenon_as_a_bare_label(client, world):
    """Issue 13: the signal is handed on, not only labelled — the close form points to the hand-over."""
    from django.urls import reverse
    from tests.factories import make_signal

    from meldroute.intake.constants import SignalStatus

    signal = make_signal(world.melder_a)
    client.force_login(world.af_a)
    page = client.get(reverse("triage:signal", args=[signal.uuid])).content.decode()
    assert 'value="other_phenomenon"' not in page and 'data-testid="handover-link"' in page

    response = client.post(reverse("triage:action", args=[signal.uuid, "close"]),
                           {"outcome": "other_phenomenon", "phenomenon": "poor_housing", "text": "Slechte woning."})
    assert "Geef het signaal door aan wie het aangaat" in response.content.decode()
    signal.refresh_from_db()
    assert signal.status != SignalStatus.CLOSED
