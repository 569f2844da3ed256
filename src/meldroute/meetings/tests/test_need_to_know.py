"""Need-to-know at the meeting table (THREATS: the meeting participant). Each test is an attack by a participant who
sits at the table — police, Veilig Thuis, the AF of another municipality — reading the agenda page, the minutes, the
print view and the API: none shows what the sharing rule does not give their organisation of another municipality's
signal; the bringing municipality's AF sees its own signal whole; a case shows only on a table it was brought to."""

import json
from types import SimpleNamespace

import pytest
from django.urls import reverse
from rest_framework.test import APIClient
from tests.factories import OrganisationFactory, UserFactory, make_signal

from meldroute.accounts.constants import Role
from meldroute.audit.models import AccessLogEntry
from meldroute.cases import services as case_services
from meldroute.cases.tests.conftest import concrete_signal
from meldroute.meetings import selectors, services
from meldroute.meetings.constants import MINIMAL_CATEGORIES
from meldroute.meetings.models import AgendaItem, MeetingSeries
from meldroute.organisations.constants import OrganisationKind
from meldroute.partners.constants import PERSONAL_CATEGORIES, DataCategory, LegalGround, PartnerType
from meldroute.partners.models import SharingRule
from meldroute.partners.services import ensure_default_sharing_rules
from meldroute.routing.constants import MeetingKind
from meldroute.triage import services as triage_services
from meldroute.triage.constants import Assessment, NoteSource

pytestmark = pytest.mark.django_db

# Fictional; each stands for one category of personal data and must never reach a viewer the rule refuses.
SECRETS = {
    DataCategory.DESCRIPTION: "Vier vrouwen slapen boven de nagelsalon en mogen niet naar buiten",
    DataCategory.LOCATION: "Verzonnenlaan 13",
    "kvk": "99887766",
    "business": "Nagelstudio Fictief",
    DataCategory.PERSONS: "Eigenaar Berend Bedacht, circa 50 jaar",
    DataCategory.ENRICHMENT: "BRP: zeven personen ingeschreven op het adres",
}
ALL_CATEGORIES = sorted(c for c in DataCategory.values if c != DataCategory.SUMMARY)


@pytest.fixture
def table(world, tables):
    """Region 1's screening table sharing every category (so only the sharing rule restricts), with police,
    Veilig Thuis and both municipalities at it; A's signal on the agenda, classified and enriched."""
    ensure_default_sharing_rules()
    vt = OrganisationFactory(name="Veilig Thuis Regio Een", code="VT-R1", kind=OrganisationKind.VEILIG_THUIS,
                             region=world.region, email="")
    vt_user = UserFactory(username="partner_vt", organisation=vt, roles=[Role.PARTNER])
    series = tables.screening
    series.shared_categories = ALL_CATEGORIES
    series.save()
    series.participants.set([world.zvh, world.police, vt, world.a, world.b])
    signal = make_signal(world.melder_a, description=SECRETS[DataCategory.DESCRIPTION],
                         address=SECRETS[DataCategory.LOCATION], kvk_number=SECRETS["kvk"],
                         business_name=SECRETS["business"], persons_description=SECRETS[DataCategory.PERSONS])
    triage_services.add_enrichment_note(signal, actor=world.af_a, source=NoteSource.BRP,
                                        text=SECRETS[DataCategory.ENRICHMENT])
    triage_services.classify_signal(signal, actor=world.af_a, assessment=Assessment.SUSPECTED, forms=["sexual"])
    meeting = services.next_meeting(series, actor=world.procesregisseur)
    services.compile_agenda(meeting, actor=world.procesregisseur)
    assert meeting.items.get().signal == signal
    return SimpleNamespace(series=series, meeting=meeting, signal=signal, vt=vt, vt_user=vt_user)


def refuse_personal_data(region, partner_type: str, *, grounds=()) -> None:
    """A regional rule: the personal categories go to this partner type only on `grounds` (none: never)."""
    for category in PERSONAL_CATEGORIES:
        SharingRule.objects.update_or_create(region=region, partner_type=partner_type, category=category,
                                             defaults={"grounds": list(grounds)})


def everything_read_by(user, meeting) -> dict[str, str]:
    """What the user gets from the agenda page, the minutes, the print view and the API."""
    client = APIClient()
    client.force_login(user)
    out = {}
    for name, url in (("page", reverse("meetings:meeting", args=[meeting.uuid])),
                      ("minutes", reverse("meetings:minutes", args=[meeting.uuid])),
                      ("print", reverse("meetings:minutes", args=[meeting.uuid]) + "?print=1")):
        response = client.get(url)
        assert response.status_code == 200, name
        out[name] = response.content.decode()
    response = client.get(f"/api/v1/meetings/{meeting.uuid}/")
    assert response.status_code == 200
    out["api"] = json.dumps(response.json(), ensure_ascii=False)
    return out


def secrets_in(text: str) -> list[str]:
    return [key for key, secret in SECRETS.items() if secret in text]


# --- Participants of other organisations: only what the rule gives their partner type ---------------------------

@pytest.mark.parametrize("who", ["police", "veilig_thuis", "af_other_municipality"])
def test_a_participant_whose_partner_type_the_rule_refuses_sees_only_the_minimum_everywhere(world, table, who):
    if who == "police":
        user = world.partner
        refuse_personal_data(world.region, PartnerType.POLICE)
    elif who == "veilig_thuis":
        user = table.vt_user
        # Veilig Thuis may receive personal data on the meldcode only, not on the ZVH covenant the table runs on.
        refuse_personal_data(world.region, PartnerType.VEILIG_THUIS, grounds=[LegalGround.MELDCODE])
    else:
        user = world.af_b  # a municipality is no chain partner: the national rule asks consent or vital interest
    read = everything_read_by(user, table.meeting)
    for name, text in read.items():
        assert secrets_in(text) == [], name
        assert table.signal.reference in text and "Seksuele uitbuiting" in text, name  # the minimal set
        assert "Wekelijks screeningsoverleg" in text, name  # the question to the table
    item = json.loads(read["api"])["items"][0]["signal"]
    assert item["categories"] == ["classification", "summary"] and item["is_whole"] is False
    assert not {"description", "location", "persons", "enrichment"} & set(item)
    assert not AccessLogEntry.objects.filter(actor=user, target_uuid=table.signal.uuid).exists()


@pytest.mark.parametrize("who", ["police", "veilig_thuis"])
def test_a_category_the_rule_allows_for_the_partner_type_is_shown_and_its_read_logged(world, table, who):
    user = world.partner if who == "police" else table.vt_user
    # Only the description may go to this partner type on the table's ground; the other categories may not.
    partner_type = PartnerType.POLICE if who == "police" else PartnerType.VEILIG_THUIS
    refuse_personal_data(world.region, partner_type)
    SharingRule.objects.filter(region=world.region, partner_type=partner_type,
                               category=DataCategory.DESCRIPTION).update(grounds=[LegalGround.ZVH_COVENANT])
    read = everything_read_by(user, table.meeting)
    for name, text in read.items():
        assert secrets_in(text) == [DataCategory.DESCRIPTION], name
    entries = AccessLogEntry.objects.filter(actor=user, target_uuid=table.signal.uuid)
    assert entries.count() == 4  # page, minutes, print view, API: one entry each
    assert {tuple(e.fields) for e in entries} == {("description",)}


def test_with_the_national_rules_police_gets_what_the_table_shares(world, table):
    read = everything_read_by(world.partner, table.meeting)
    for name, text in read.items():
        assert set(secrets_in(text)) == set(SECRETS), name


def test_a_table_sharing_less_than_the_rule_allows_gives_no_more_than_the_table(world, table):
    table.series.shared_categories = [DataCategory.LOCATION]
    table.series.save()
    for name, text in everything_read_by(world.partner, table.meeting).items():
        assert set(secrets_in(text)) == {DataCategory.LOCATION, "kvk", "business"}, name


def test_a_signal_classified_no_trafficking_goes_to_the_table_with_the_minimum(world, table):
    triage_services.classify_signal(table.signal, actor=world.af_a, assessment=Assessment.NONE, forms=["labour"])
    read = everything_read_by(world.partner, table.meeting)  # police: the national rule would allow everything
    for name, text in read.items():
        assert secrets_in(text) == [], name
        assert "Arbeidsuitbuiting" in text, name
    assert not AccessLogEntry.objects.filter(actor=world.partner, target_uuid=table.signal.uuid).exists()


# --- The bringing municipality's AF ---------------------------------------------------------------------------

def test_the_bringing_af_sees_the_own_signal_whole_even_where_the_table_shares_nothing(world, table):
    table.series.shared_categories = []
    table.series.save()
    read = everything_read_by(world.af_a, table.meeting)
    for name, text in read.items():
        assert set(secrets_in(text)) == set(SECRETS), name
    assert json.loads(read["api"])["items"][0]["signal"]["is_whole"] is True
    entries = AccessLogEntry.objects.filter(actor=world.af_a, target_uuid=table.signal.uuid,
                                            purpose="bespreking in overleg")
    assert entries.count() == 4
    assert set(entries[0].fields) >= {"description", "address", "kvk_number", "persons_description",
                                      "enrichment_notes"}


def test_the_other_af_of_the_table_sees_the_minimum_while_the_bringing_af_sees_all(world, table):
    sharing_b = selectors.AgendaSharing(world.af_b, table.series)
    sharing_a = selectors.AgendaSharing(world.af_a, table.series)
    assert sharing_b.categories_for(table.signal) == MINIMAL_CATEGORIES | {DataCategory.CLASSIFICATION}
    assert sharing_a.categories_for(table.signal) == frozenset(DataCategory.values)


def test_one_agenda_item_view_gives_the_same_as_the_agenda(world, table):
    item = table.meeting.items.get()
    entry = selectors.agenda_item_view_for(world.af_b, item)
    assert entry.signal.description is None and entry.signal.location is None
    assert entry.signal.persons is None and entry.signal.enrichment is None and entry.fields_read == ()


# --- A case only on a table it was brought to --------------------------------------------------------------------

def test_a_case_placed_on_a_table_it_was_not_brought_to_shows_nothing(client, world, tables):
    signal = concrete_signal(world)
    case = case_services.open_case(actor=world.af_a, signals=[signal], title="Loods Kwekerijweg")
    own = tables.signaling  # A's own table: police and A
    services.bring_case_to_meeting(case, actor=world.af_a, series=own, reason="Voortgang bespreken.")
    own_meeting = services.next_meeting(own, actor=world.af_a)
    services.compile_agenda(own_meeting, actor=world.af_a)
    assert own_meeting.items.filter(case=case).exists()
    # The regional screening table never had the case brought to it; an item there (a forged row, an import, a
    # future code path) must not show it.
    screening_meeting = services.next_meeting(tables.screening, actor=world.procesregisseur)
    AgendaItem.objects.create(meeting=screening_meeting, case=case, position=99)
    client.force_login(world.partner)
    for url in (reverse("meetings:meeting", args=[screening_meeting.uuid]),
                reverse("meetings:minutes", args=[screening_meeting.uuid]),
                f"/api/v1/meetings/{screening_meeting.uuid}/"):
        assert case.reference not in client.get(url).content.decode(), url
    assert case.reference in client.get(reverse("meetings:meeting", args=[own_meeting.uuid])).content.decode()
    assert [e.case for e in selectors.agenda_for(world.partner, screening_meeting) if e.case] == []


def test_compile_agenda_places_a_case_only_on_the_series_it_was_brought_to(world, tables):
    signal = concrete_signal(world)
    case = case_services.open_case(actor=world.af_a, signals=[signal], title="Loods Kwekerijweg")
    services.bring_case_to_meeting(case, actor=world.af_a, series=tables.signaling, reason="Voortgang bespreken.")
    twin = MeetingSeries.objects.create(region=world.region, kind=MeetingKind.SCREENING, name="Tweede tafel",
                                        chair_organisation=world.zvh)
    twin.participants.set([world.zvh, world.a])
    for series, chair in ((tables.screening, world.procesregisseur), (twin, world.procesregisseur)):
        meeting = services.next_meeting(series, actor=chair)
        services.compile_agenda(meeting, actor=chair)
        assert not meeting.items.filter(case=case).exists()


def test_a_signal_goes_to_its_own_municipality_table_not_also_to_a_wider_one_of_the_same_kind(world, tables):
    """The regional screening table (police, ZVH, A and B) and A's own screening table: A's signal is brought to A's
    table only, so the regional participants never see it; B's signal (no own table) goes to the regional one."""
    own = MeetingSeries.objects.create(region=world.region, municipality=world.a, kind=MeetingKind.SCREENING,
                                       name="Screeningsoverleg Aadorp", chair_organisation=world.a)
    own.participants.set([world.a])
    tables.screening.participants.add(world.b)
    signal_a = make_signal(world.melder_a, description=SECRETS[DataCategory.DESCRIPTION])
    signal_b = make_signal(world.melder_b)
    regional = services.next_meeting(tables.screening, actor=world.procesregisseur)
    services.compile_agenda(regional, actor=world.procesregisseur)
    own_meeting = services.next_meeting(own, actor=world.af_a)
    services.compile_agenda(own_meeting, actor=world.af_a)
    assert set(regional.items.values_list("signal", flat=True)) == {signal_b.pk}
    assert set(own_meeting.items.values_list("signal", flat=True)) == {signal_a.pk}
    client = APIClient()
    client.force_login(world.partner)
    assert signal_a.reference not in client.get(f"/api/v1/meetings/{regional.uuid}/").content.decode()


def test_the_rule_costs_no_query_per_item(world, table):
    """AgendaSharing decides once per viewer and region: three more signals on the agenda cost no more queries for
    a viewer who sees the minimum (the access-log writes per shown signal are the only per-item cost)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    refuse_personal_data(world.region, PartnerType.POLICE)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            selectors.agenda_for(world.partner, table.meeting)
        return len(captured)

    queries()  # warm caches (content types, translations) so both counts measure the same work
    before = queries()
    for _ in range(3):
        signal = make_signal(world.melder_b)
        triage_services.classify_signal(signal, actor=world.af_b, assessment=Assessment.POTENTIAL, forms=["labour"])
    services.compile_agenda(table.meeting, actor=world.procesregisseur)
    assert table.meeting.items.count() == 4
    assert queries() == before


def test_once_the_table_decided_no_trafficking_the_minutes_keep_the_minimum(world, table):
    """Police saw the signal while it was discussed (the national rule allows it); after the decision "geen
    mensenhandel" the minutes and the API no longer carry its personal data for them. The bringing AF still sees it."""
    assert set(secrets_in(everything_read_by(world.partner, table.meeting)["minutes"])) == set(SECRETS)
    services.decide_item(table.meeting.items.get(), actor=world.procesregisseur, decision="no_trafficking")
    for name, text in everything_read_by(world.partner, table.meeting).items():
        assert secrets_in(text) == [], name
    assert set(secrets_in(everything_read_by(world.af_a, table.meeting)["minutes"])) == set(SECRETS)
