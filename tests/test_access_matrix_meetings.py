"""The access matrix of the meeting table (SPEC D2, F1/F2; THREATS: the meeting participant): every role × the agenda
page, the minutes, the print view and the API → 200 or 404, and per participant organisation exactly which categories
of each signal on the agenda reach them.

One regional screening table (ZVH chairs; police, Veilig Thuis and municipalities A and B take part) that agreed to
share every category, so only the sharing rule (partners.check_share per partner type, on the table's legal ground)
narrows what each organisation sees. On its agenda: a signal of A and a signal of B, both classified and enriched.
Veilig Thuis may receive personal data in this region on the meldcode only (a regional rule), not on the ZVH covenant
the table runs on; a municipality is no chain partner, so another municipality's AF gets the minimum; the bringing
municipality's AF sees its own signal whole.

Every 200 that shows personal data writes exactly one access-log entry per signal shown with personal data, naming
the fields shown; a signal shown with the minimum writes none; every 404 shows nothing and writes nothing.
"""

import json

import pytest
from django.urls import reverse

from meldroute.accounts.constants import Role
from meldroute.audit.models import AccessLogEntry, AuditEvent
from meldroute.meetings import services as meeting_services
from meldroute.meetings.models import MeetingSeries
from meldroute.meetings.tests.conftest import ROUTE
from meldroute.organisations.constants import OrganisationKind
from meldroute.partners.constants import PERSONAL_CATEGORIES, DataCategory, LegalGround, PartnerType
from meldroute.partners.models import SharingRule
from meldroute.partners.services import ensure_default_sharing_rules
from meldroute.routing import services as routing_services
from meldroute.routing.constants import MeetingKind
from meldroute.triage import services as triage_services
from meldroute.triage.constants import Assessment, NoteSource
from tests.factories import OrganisationFactory, UserFactory, make_signal

pytestmark = [pytest.mark.django_db]

# What stands for each personal category of each signal (fictional); the field names the access log must name.
CATEGORY_FIELDS = {
    DataCategory.DESCRIPTION: {"description"},
    DataCategory.LOCATION: {"address", "postcode", "business_name", "kvk_number", "location_description"},
    DataCategory.PERSONS: {"persons_description"},
    DataCategory.ENRICHMENT: {"enrichment_notes"},
}


def secrets_of(m: str) -> dict[str, list[str]]:
    return {
        DataCategory.DESCRIPTION: [f"Omschrijving-{m}: zes mensen slapen in de schuur achter de garage"],
        DataCategory.LOCATION: [f"Bedachtstraat {m}-12", f"Garage Verzonnen {m}", f"1234567{ord(m) % 10}"],
        DataCategory.PERSONS: [f"Persoon-{m}: man met blauwe bestelbus"],
        DataCategory.ENRICHMENT: [f"Verrijking-{m}: acht personen ingeschreven"],
    }


PERSONAL = sorted(PERSONAL_CATEGORIES)
WHOLE = set(PERSONAL)  # an AF of the signal's own municipality
ALL = set(PERSONAL)  # what the table and the national rule give a statutory partner (police, ZVH)
MINIMUM: set[str] = set()  # reference, municipality, form, question only

# Per user: the personal categories they see of the signal of A and of B; None = not at the table (404).
MATRIX: dict[str, tuple[set[str], set[str]] | None] = {
    "af_a":            (WHOLE,   MINIMUM),
    "af_a2":           (WHOLE,   MINIMUM),
    "af_b":            (MINIMUM, WHOLE),
    "partner":         (ALL,     ALL),       # police: statutory partner, ZVH covenant allowed
    "partner_vt":      (MINIMUM, MINIMUM),   # Veilig Thuis: this region's rule allows the meldcode only
    "procesregisseur": (ALL,     ALL),       # ZVH (the chair)
    "zorgcoordinator": (ALL,     ALL),
    "casusregisseur":  (ALL,     ALL),
    "melder_a":        None,                 # filed A's signal, but a melder does not sit at tables
    "melder_a2":       None,
    "melder_b":        None,
    "af_c":            None,                 # another region
    "partner2":        None,                 # police of another region
    "ketenregisseur":  None,                 # aggregates only
    "beheerder":       None,
    "burgemeester":    None,
}
ENDPOINTS = ("page", "minutes", "print", "api")


@pytest.fixture
def setting(world):
    ensure_default_sharing_rules()
    routing_services.install_route(world.region, ROUTE, actor=world.beheerder)
    vt = OrganisationFactory(name="Veilig Thuis Regio Een", code="VT-R1", kind=OrganisationKind.VEILIG_THUIS,
                             region=world.region, email="")
    world.partner_vt = UserFactory(username="partner_vt", organisation=vt, roles=[Role.PARTNER])
    for category in PERSONAL_CATEGORIES:
        SharingRule.objects.create(region=world.region, partner_type=PartnerType.VEILIG_THUIS, category=category,
                                   grounds=[LegalGround.MELDCODE])
    series = MeetingSeries.objects.create(
        region=world.region, kind=MeetingKind.SCREENING, name="Screeningsoverleg Regio Een",
        chair_organisation=world.zvh, shared_categories=[c for c in DataCategory.values if c != "summary"])
    series.participants.set([world.zvh, world.police, vt, world.a, world.b])
    signals = {}
    for m, melder, af in (("A", world.melder_a, world.af_a), ("B", world.melder_b, world.af_b)):
        secrets = secrets_of(m)
        location = secrets[DataCategory.LOCATION]
        signal = make_signal(melder, description=secrets[DataCategory.DESCRIPTION][0], address=location[0],
                             business_name=location[1], kvk_number=location[2],
                             persons_description=secrets[DataCategory.PERSONS][0])
        triage_services.add_enrichment_note(signal, actor=af, source=NoteSource.BRP,
                                            text=secrets[DataCategory.ENRICHMENT][0])
        triage_services.classify_signal(signal, actor=af, assessment=Assessment.SUSPECTED, forms=["labour"])
        signals[m] = signal
    meeting = meeting_services.next_meeting(series, actor=world.procesregisseur)
    meeting_services.compile_agenda(meeting, actor=world.procesregisseur)
    assert {item.signal_id for item in meeting.items.all()} == {s.pk for s in signals.values()}
    return meeting, signals


def url_of(endpoint: str, meeting) -> str:
    return {
        "page": reverse("meetings:meeting", args=[meeting.uuid]),
        "minutes": reverse("meetings:minutes", args=[meeting.uuid]),
        "print": reverse("meetings:minutes", args=[meeting.uuid]) + "?print=1",
        "api": f"/api/v1/meetings/{meeting.uuid}/",
    }[endpoint]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("username", list(MATRIX))
def test_meeting_matrix(client, world, setting, username, endpoint):
    meeting, signals = setting
    user = getattr(world, username)
    client.force_login(user)
    logs_before, events_before = AccessLogEntry.objects.count(), AuditEvent.objects.count()
    last_log = AccessLogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = client.get(url_of(endpoint, meeting))
    body = response.content.decode()
    if endpoint == "api":
        body = json.dumps(response.json(), ensure_ascii=False)
    expected = MATRIX[username]
    if expected is None:
        assert response.status_code == 404
        for m, signal in signals.items():
            assert signal.reference not in body
            for texts in secrets_of(m).values():
                assert not any(text in body for text in texts)
        assert AccessLogEntry.objects.count() == logs_before and AuditEvent.objects.count() == events_before
        return
    assert response.status_code == 200
    assert AuditEvent.objects.count() == events_before  # reading writes no audit event
    logged = {e.target_uuid: set(e.fields) for e in AccessLogEntry.objects.filter(id__gt=last_log)}
    new_entries = AccessLogEntry.objects.count() - logs_before
    for m, shown in zip(("A", "B"), expected, strict=True):
        signal = signals[m]
        assert signal.reference in body  # the minimal set always
        for category, texts in secrets_of(m).items():
            for text in texts:
                assert (text in body) == (category in shown), (m, category, text)
        if shown:
            assert logged[signal.uuid] == set().union(*(CATEGORY_FIELDS[c] for c in shown))
        else:
            assert signal.uuid not in logged
    # Exactly one entry per signal shown with personal data: none for the minimum, never two.
    assert new_entries == sum(1 for shown in expected if shown)
    assert AccessLogEntry.objects.filter(actor=user).count() == new_entries


@pytest.mark.parametrize("username", list(MATRIX))
def test_meeting_list_shows_the_table_to_participants_only_and_logs_nothing(client, world, setting, username):
    meeting, _signals = setting
    user = getattr(world, username)
    client.force_login(user)
    logs_before = AccessLogEntry.objects.count()
    listing = client.get("/api/v1/meetings/").json()["results"]
    page = client.get(reverse("meetings:list"))
    if MATRIX[username] is None:
        assert listing == []
        assert page.status_code == 404 or "Screeningsoverleg Regio Een" not in page.content.decode()
    else:
        assert [m["id"] for m in listing] == [str(meeting.uuid)]
        assert page.status_code == 200 and "Screeningsoverleg Regio Een" in page.content.decode()
    assert AccessLogEntry.objects.count() == logs_before


@pytest.mark.parametrize("username", [u for u, seen in MATRIX.items() if seen is None])
def test_outsiders_cannot_decide_and_nothing_is_written(client, world, setting, username):
    meeting, _signals = setting
    client.force_login(getattr(world, username))
    events_before, logs_before = AuditEvent.objects.count(), AccessLogEntry.objects.count()
    for item in meeting.items.all():
        assert client.post(reverse("meetings:decide", args=[meeting.uuid, item.uuid]),
                           {f"punt{item.position}-decision": "no_trafficking"}).status_code == 404
        assert client.post(f"/api/v1/meetings/{meeting.uuid}/items/{item.uuid}/decision/",
                           {"decision": "no_trafficking"}, content_type="application/json").status_code == 404
    assert not meeting.items.exclude(decision="").exists()
    assert AuditEvent.objects.count() == events_before and AccessLogEntry.objects.count() == logs_before
