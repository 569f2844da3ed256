"""Issue 13: the tables the seeds name (themaoverleg, bestuurlijke mensenhandeltafel, the OM for criminal
exploitation, guests per item), shelter decided by the screeningsoverleg, moving an item, attendance, a meeting held
only on its date, the decision form per decision, and the minutes to every participant (PDF, outbox)."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from tests.factories import OrganisationFactory, UserFactory, make_signal

from meldroute.accounts.constants import Role
from meldroute.audit.models import AuditEvent
from meldroute.care.models import PlacementRequest
from meldroute.care.services import send_placement_request_alerts, take_placement_request
from meldroute.core.exceptions import DomainError
from meldroute.meetings import services
from meldroute.meetings.constants import Cadence, MeetingStatus, Ordinal, SeriesKind, Weekday
from meldroute.meetings.forms import DecisionForm
from meldroute.meetings.models import AgendaItem, ItemGuest, MeetingSeries, MinutesCopy, SeriesGuest
from meldroute.meetings.tests.conftest import meeting_day
from meldroute.organisations.constants import OrganisationKind
from meldroute.organisations.models import Organisation
from meldroute.routing.constants import Decision
from meldroute.triage import services as triage_services
from meldroute.triage.constants import Assessment

pytestmark = [pytest.mark.django_db]


def agenda(world, tables):
    meeting = services.next_meeting(tables.screening, actor=world.procesregisseur)
    services.compile_agenda(meeting, actor=world.procesregisseur)
    return meeting


def classified(world, form: str, **kwargs):
    signal = make_signal(world.melder_a, **kwargs)
    triage_services.classify_signal(signal, actor=world.af_a, assessment=Assessment.SUSPECTED, forms=[form])
    return signal


# --- The tables of seed 002 ----------------------------------------------------------------------------------------

def test_a_themaoverleg_meets_four_times_and_the_bestuurlijke_tafel_twice_a_year(world):
    thema = MeetingSeries(kind=SeriesKind.THEME, cadence=Cadence.QUARTERLY, weekday=Weekday.MONDAY,
                          ordinal=Ordinal.FIRST)
    assert services.next_date(thema, date(2026, 6, 10)) == date(2026, 7, 6)
    assert services.next_date(thema, date(2026, 7, 7)) == date(2026, 10, 5)
    tafel = MeetingSeries(kind=SeriesKind.ADMINISTRATIVE_TABLE, cadence=Cadence.HALF_YEARLY,
                          weekday=Weekday.THURSDAY, ordinal=Ordinal.SECOND)
    assert services.next_date(tafel, date(2026, 6, 10)) == date(2026, 10, 8)
    assert services.next_date(tafel, date(2026, 10, 9)) == date(2027, 4, 8)
    assert "Vier keer per jaar" in thema.cadence_label and "Twee keer per jaar" in tafel.cadence_label


def test_a_bestuurlijke_tafel_takes_no_signals_from_the_route(world, tables):
    make_signal(world.melder_a)
    series = MeetingSeries.objects.create(region=world.region, kind=SeriesKind.ADMINISTRATIVE_TABLE,
                                          name="Bestuurlijke mensenhandeltafel", cadence=Cadence.HALF_YEARLY,
                                          chair_organisation=world.riec)
    series.participants.set([world.riec, world.a, world.police])
    meeting = services.next_meeting(series, actor=None)
    assert services.compile_agenda(meeting, actor=None) == []


# --- Guests --------------------------------------------------------------------------------------------------------

def test_the_om_is_invited_to_the_criminal_items_only(world, tables):
    om = OrganisationFactory(name="OM Regio Een", code="OM-T1", kind=OrganisationKind.OTHER, region=world.region)
    SeriesGuest.objects.create(series=tables.screening, organisation=om, forms=["criminal"])
    criminal, labour = classified(world, "criminal"), classified(world, "labour")
    meeting = agenda(world, tables)
    assert list(ItemGuest.objects.values_list("item__signal", flat=True)) == [criminal.pk]
    assert not ItemGuest.objects.filter(item__signal=labour).exists()
    services.compile_agenda(meeting, actor=world.procesregisseur)  # idempotent
    assert ItemGuest.objects.count() == 1
    event = AuditEvent.objects.filter(action="meeting.agenda_compiled", target_uuid=meeting.uuid).get()
    assert event.details["guests_invited"] == 1


def test_inviting_an_organisation_to_one_item_is_the_chairs_and_audited(world, tables):
    heit = OrganisationFactory(name="HEIT", code="HEIT-T", kind=OrganisationKind.OTHER, region=world.region)
    make_signal(world.melder_a)
    meeting = agenda(world, tables)
    item = meeting.items.get()
    with pytest.raises(DomainError) as refused:
        services.invite_to_item(item, actor=world.partner, organisation=heit)
    assert refused.value.code == "forbidden"
    with pytest.raises(DomainError) as refused:
        services.invite_to_item(item, actor=world.procesregisseur, organisation=world.police)
    assert refused.value.field == "organisation" and "al aan het hele overleg" in refused.value.message
    with pytest.raises(DomainError) as refused:
        services.invite_to_item(item, actor=world.procesregisseur, organisation=world.police2)
    assert "regio" in refused.value.message
    services.invite_to_item(item, actor=world.procesregisseur, organisation=heit)
    with pytest.raises(DomainError):
        services.invite_to_item(item, actor=world.procesregisseur, organisation=heit)
    assert AuditEvent.objects.filter(action="meeting.guest_invited", target_uuid=meeting.uuid).count() == 1


# --- Moving an item, attendance, the date ---------------------------------------------------------------------------

def test_an_item_moves_to_the_next_meeting_with_its_reason_and_guests(world, tables, clock):
    heit = OrganisationFactory(name="HEIT", code="HEIT-T", kind=OrganisationKind.OTHER, region=world.region)
    signal = make_signal(world.melder_a)
    meeting = agenda(world, tables)
    item = meeting.items.get()
    services.invite_to_item(item, actor=world.procesregisseur, organisation=heit)
    with pytest.raises(DomainError) as refused:
        services.move_item(item, actor=world.procesregisseur, reason="  ")
    assert refused.value.field == "reason"
    moved = services.move_item(item, actor=world.procesregisseur, reason="Wacht op de politie.")
    item.refresh_from_db()
    assert item.moved_to == moved and item.move_reason == "Wacht op de politie."
    assert moved.signal == signal and moved.meeting.date == meeting.date + timedelta(days=7)
    assert moved.meeting.status == MeetingStatus.PLANNED
    assert list(moved.guests.values_list("organisation", flat=True)) == [heit.pk]
    assert AuditEvent.objects.filter(action="meeting.item_moved", target_uuid=meeting.uuid).count() == 1
    with pytest.raises(DomainError):
        services.decide_item(item, actor=world.procesregisseur, decision=Decision.MONITOR)
    # A moved item counts as handled: the meeting can close, and a cancel leaves it in place.
    meeting_day(clock, meeting)
    services.close_meeting(meeting, actor=world.procesregisseur)
    assert AgendaItem.objects.filter(pk=item.pk).exists()


def test_a_meeting_cannot_be_held_before_its_date(world, tables, clock):
    make_signal(world.melder_a)
    meeting = agenda(world, tables)
    services.decide_item(meeting.items.get(), actor=world.procesregisseur, decision=Decision.NO_TRAFFICKING)
    assert meeting.date > timezone.localdate()
    with pytest.raises(DomainError) as refused:
        services.close_meeting(meeting, actor=world.procesregisseur)
    assert "pas op die dag" in refused.value.message
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED
    meeting_day(clock, meeting)
    services.close_meeting(meeting, actor=world.procesregisseur)
    assert meeting.status == MeetingStatus.HELD


def test_attendance_is_recorded_from_the_table_and_its_guests(world, tables):
    heit = OrganisationFactory(name="HEIT", code="HEIT-T", kind=OrganisationKind.OTHER, region=world.region)
    make_signal(world.melder_a)
    meeting = agenda(world, tables)
    with pytest.raises(DomainError) as refused:
        services.record_attendance(meeting, actor=world.procesregisseur, organisations=[heit])
    assert refused.value.field == "organisations"
    services.invite_to_item(meeting.items.get(), actor=world.procesregisseur, organisation=heit)
    services.record_attendance(meeting, actor=world.procesregisseur, organisations=[world.zvh, heit])
    assert set(meeting.present_organisations.all()) == {world.zvh, heit}
    event = AuditEvent.objects.get(action="meeting.attendance_recorded", target_uuid=meeting.uuid)
    assert sorted(event.details["present"]) == sorted([world.zvh.code, heit.code])
    with pytest.raises(DomainError):
        services.record_attendance(meeting, actor=world.partner, organisations=[world.zvh])


# --- Shelter ---------------------------------------------------------------------------------------------------------

def test_shelter_in_an_acute_situation_starts_the_placement_request_for_the_zorgcoordinator(world, tables):
    acute = make_signal(world.melder_a, is_acute=True)
    meeting = agenda(world, tables)
    item = meeting.items.get(signal=acute)
    mail.outbox.clear()
    with pytest.raises(DomainError) as refused:
        services.decide_item(item, actor=world.procesregisseur, decision=Decision.NO_TRAFFICKING, shelter=True)
    assert refused.value.field == "shelter" and not PlacementRequest.objects.exists()
    services.decide_item(item, actor=world.procesregisseur, decision=Decision.CONTINUE,
                         owner_organisation=world.zvh, action="Opvang regelen.", shelter=True)
    request = PlacementRequest.objects.get()
    assert request.reference == acute.reference and request.municipality == world.a and request.agenda_item == item
    assert request.is_open and item.shelter
    assert AuditEvent.objects.filter(action="care.placement_requested", target_uuid=request.uuid).count() == 1
    send_placement_request_alerts()  # (on_commit does not run inside the test's transaction)
    assert [m.to for m in mail.outbox] == [[world.zorgcoordinator.email]]
    assert acute.reference in mail.outbox[0].body and acute.description not in mail.outbox[0].body
    assert send_placement_request_alerts() == 0  # once
    take_placement_request(request, actor=world.zorgcoordinator)
    request.refresh_from_db()
    assert not request.is_open and request.taken_by == world.zorgcoordinator


def test_shelter_is_not_for_a_signal_that_is_not_acute_or_another_table(world, tables):
    make_signal(world.melder_a)
    meeting = agenda(world, tables)
    with pytest.raises(DomainError) as refused:
        services.decide_item(meeting.items.get(), actor=world.procesregisseur, decision=Decision.MONITOR,
                             shelter=True)
    assert "niet acuut" in refused.value.message
    acute = make_signal(world.melder_a, is_acute=True)
    own = services.next_meeting(tables.signaling, actor=world.af_a)
    services.compile_agenda(own, actor=world.af_a)
    with pytest.raises(DomainError) as refused:
        services.decide_item(own.items.get(signal=acute), actor=world.af_a, decision=Decision.MONITOR, shelter=True)
    assert "screeningsoverleg" in refused.value.message
    assert not PlacementRequest.objects.exists()


def test_the_decision_form_keeps_only_what_the_decision_needs(world, tables):
    participants = Organisation.objects.filter(pk=world.police.pk)
    form = DecisionForm({"decision": Decision.NO_TRAFFICKING, "owner_organisation": world.police.pk,
                         "action": "Niets.", "refer_to": "police"}, participants=participants)
    assert form.is_valid()
    assert form.cleaned_data["owner_organisation"] is None and form.cleaned_data["action"] == ""
    assert form.cleaned_data["refer_to"] == ""
    assert form.decision_fields()[Decision.REFER] == ["refer_to", "owner_organisation", "action", "deadline"]
    assert "shelter" in DecisionForm(participants=participants, shelter=True).decision_fields()[Decision.CONTINUE]


# --- Minutes to each participant -------------------------------------------------------------------------------------

def test_closing_sends_each_organisation_a_link_to_its_minutes_and_a_down_mail_server_loses_nothing(
        world, tables, clock, monkeypatch, settings):
    UserFactory(username="politie2", organisation=world.police, roles=[Role.PARTNER], email="politie@example.org")
    make_signal(world.melder_a, description="Geheime omschrijving van de loods.")
    meeting = agenda(world, tables)
    services.decide_item(meeting.items.get(), actor=world.procesregisseur, decision=Decision.MONITOR)
    meeting_day(clock, meeting)
    services.close_meeting(meeting, actor=world.procesregisseur)
    copies = MinutesCopy.objects.filter(meeting=meeting)
    assert set(copies.values_list("organisation", flat=True)) == {world.zvh.pk, world.police.pk, world.a.pk}

    def down(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("meldroute.core.jobs.send_template_mail", down)
    with pytest.raises(ConnectionRefusedError):
        services.send_minutes_notices()
    assert not copies.exclude(notified_at=None).exists()  # the claim rolled back: nothing lost
    monkeypatch.undo()
    mail.outbox.clear()
    assert services.send_minutes_notices() == 3
    assert services.send_minutes_notices() == 0
    police_mail = next(m for m in mail.outbox if "politie@example.org" in m.to)
    assert reverse("meetings:minutes_pdf", args=[meeting.uuid]) in police_mail.body
    assert "Geheime omschrijving" not in police_mail.body
    assert AuditEvent.objects.filter(action="meeting.minutes_sent", target_uuid=meeting.uuid).count() == 3


def test_the_minutes_pdf_is_a_real_pdf_for_a_participant(client, world, tables, clock):
    make_signal(world.melder_a)
    meeting = agenda(world, tables)
    services.decide_item(meeting.items.get(), actor=world.procesregisseur, decision=Decision.MONITOR)
    meeting_day(clock, meeting)
    client.force_login(world.partner)
    assert client.get(reverse("meetings:minutes_pdf", args=[meeting.uuid])).status_code == 404  # not held yet
    services.close_meeting(meeting, actor=world.procesregisseur)
    response = client.get(reverse("meetings:minutes_pdf", args=[meeting.uuid]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    listing = client.get(reverse("meetings:list")).content.decode()
    assert reverse("meetings:minutes_pdf", args=[meeting.uuid]) in listing


# --- The agenda page ------------------------------------------------------------------------------------------------

def test_the_agenda_has_a_compact_overview_and_folded_details(client, world, tables):
    signal = classified(world, "labour")
    meeting = agenda(world, tables)
    client.force_login(world.procesregisseur)
    page = client.get(reverse("meetings:meeting", args=[meeting.uuid])).content.decode()
    overview = page.split('data-testid="agenda-overview"')[1].split("</table>")[0]
    for text in (signal.reference, world.a.name, "Arbeidsuitbuiting", "Wekelijks screeningsoverleg"):
        assert text in overview
    assert "<details" in page and "meldroute/meetings.js" in page and "data-decision-fields" in page
    assert "Naar het volgende overleg verplaatsen" in page and "Organisatie uitnodigen voor dit punt" in page
    assert "Aanwezigheid" in page and 'data-testid="not-yet"' in page


def test_moving_on_the_page_needs_a_reason_and_keeps_the_input(client, world, tables):
    make_signal(world.melder_a)
    meeting = agenda(world, tables)
    item = meeting.items.get()
    client.force_login(world.procesregisseur)
    url = reverse("meetings:move", args=[meeting.uuid, item.uuid])
    prefix = f"verplaatsen{item.position}"
    bad = client.post(url, {f"{prefix}-reason": "x" * 301})
    assert bad.status_code == 200 and "x" * 301 in bad.content.decode()
    assert "300" in bad.content.decode()
    response = client.post(url, {f"{prefix}-reason": "Wacht op informatie."})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.is_moved
    page = client.get(reverse("meetings:meeting", args=[meeting.uuid])).content.decode()
    assert "Wacht op informatie." in page


def test_the_api_shows_shelter_the_move_and_who_is_a_guest(client, world, tables):
    heit = OrganisationFactory(name="HEIT", code="HEIT-T", kind=OrganisationKind.OTHER, region=world.region)
    heit_user = UserFactory(username="heit_api", organisation=heit, roles=[Role.PARTNER])
    acute = make_signal(world.melder_a, is_acute=True)
    other = make_signal(world.melder_a)
    meeting = agenda(world, tables)
    services.decide_item(meeting.items.get(signal=acute), actor=world.procesregisseur, decision=Decision.MONITOR,
                         shelter=True)
    moved_item = meeting.items.get(signal=other)
    services.invite_to_item(moved_item, actor=world.procesregisseur, organisation=heit)
    moved = services.move_item(moved_item, actor=world.procesregisseur, reason="Wacht op de politie.")
    client.force_login(world.procesregisseur)
    data = client.get(f"/api/v1/meetings/{meeting.uuid}/").json()
    by_ref = {i["signal"]["reference"]: i for i in data["items"]}
    assert by_ref[acute.reference]["shelter"] is True and data["is_guest"] is False
    assert by_ref[other.reference]["moved_to_meeting"] == str(moved.meeting.uuid)
    assert by_ref[other.reference]["move_reason"] == "Wacht op de politie."
    client.force_login(heit_user)
    data = client.get(f"/api/v1/meetings/{meeting.uuid}/").json()
    assert data["is_guest"] is True and [i["signal"]["reference"] for i in data["items"]] == [other.reference]


@pytest.mark.parametrize("value", ["", "abc", "999999", "-1", "\x00", "1 OR 1=1"])
def test_bad_input_on_invite_and_attendance_is_a_dutch_message_at_the_field(client, world, tables, value):
    make_signal(world.melder_a)
    meeting = agenda(world, tables)
    item = meeting.items.get()
    client.force_login(world.procesregisseur)
    events_before = AuditEvent.objects.count()
    invite = client.post(reverse("meetings:invite", args=[meeting.uuid, item.uuid]),
                         {f"uitnodigen{item.position}-organisation": value})
    assert invite.status_code == 200 and "Kies een organisatie" in invite.content.decode()
    attendance = client.post(reverse("meetings:attendance", args=[meeting.uuid]), {"organisations": [value]})
    # A Dutch message at the field (a NUL gets Django's own Dutch refusal), the page and input kept, never a 500.
    assert attendance.status_code == 200 and "mr-error-summary" in attendance.content.decode()
    assert value == "\x00" or "Kies organisaties die aan dit overleg deelnemen" in attendance.content.decode()
    assert not ItemGuest.objects.exists() and AuditEvent.objects.count() == events_before
