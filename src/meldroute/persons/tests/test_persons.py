"""Persons on a case: encryption at rest, pseudonyms, BSN and date checks, duplicates, minors, scoping, access log."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.http import Http404
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from meldroute.audit.models import AccessLogEntry, AuditEvent
from meldroute.core.exceptions import DomainError
from meldroute.persons import selectors, services
from meldroute.persons.models import Person

from .helpers import BSN_A, BSN_B, BSN_INVALID, add_suspect, add_victim, make_case, victim_data

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


@pytest.fixture
def case(world):
    return make_case(world)


def test_identity_is_encrypted_at_rest_and_read_back(world, case):
    person = add_victim(case, world.af_a, birth_date=date(1999, 4, 1), address="Verzonnenlaan 1", phone="0600000000")
    with connection.cursor() as cursor:
        cursor.execute("SELECT first_name, last_name, bsn, birth_date, address, phone FROM persons_person "
                       "WHERE id = %s", [person.pk])
        raw = cursor.fetchone()
    joined = " ".join(raw)
    for secret in ("Zwaantje", "Testpersoon", BSN_A, "1999-04-01", "Verzonnenlaan", "0600000000"):
        assert secret not in joined
    assert all(value.startswith("gAAAAA") for value in raw)  # Fernet tokens
    fresh = Person.objects.get(pk=person.pk)
    assert (fresh.first_name, fresh.bsn, fresh.birth_date) == ("Zwaantje", BSN_A, date(1999, 4, 1))
    assert fresh.bsn_hash and BSN_A not in fresh.bsn_hash


def test_adding_a_person_writes_one_audit_event_with_field_names_only(world, case):
    before = AuditEvent.objects.count()
    person = add_victim(case, world.af_a)
    events = AuditEvent.objects.filter(action="person.added", target_uuid=person.uuid)
    assert AuditEvent.objects.count() == before + 1 and events.count() == 1
    event = events.get()
    assert "bsn" in event.fields and "first_name" in event.fields
    assert "Zwaantje" not in str(event.details) and BSN_A not in str(event.details)


def test_pseudonyms_follow_the_order_and_the_role(world, case):
    a = add_victim(case, world.af_a)
    b = add_suspect(case, world.af_a)
    c = services.add_person(case, actor=world.casusregisseur, data={"role": "other", "first_name": "Iemand"})
    assert a.pseudonym == "Slachtoffer CS-GM8901-2026-001-A"
    assert b.pseudonym == "Verdachte CS-GM8901-2026-001-B"
    assert c.pseudonym == "Betrokkene CS-GM8901-2026-001-C"
    assert services._letter(25) == "Z" and services._letter(26) == "AA"


def test_invalid_bsn_is_refused_with_a_dutch_message(world, case):
    with pytest.raises(DomainError) as error:
        add_victim(case, world.af_a, bsn=BSN_INVALID)
    assert error.value.field == "bsn" and "elfproef" in error.value.message
    assert not Person.objects.exists()
    assert not AuditEvent.objects.filter(action="person.added").exists()


@pytest.mark.parametrize(("extra", "field"), [
    ({"birth_date": timezone.localdate() + timedelta(days=3)}, "birth_date"),
    ({"birth_date": date(1850, 1, 1)}, "birth_date"),
    ({"birth_date": date(2001, 1, 1), "exploitation_year": 1999}, "exploitation_year"),
    ({"exploitation_year": 1900}, "exploitation_year"),
    ({"victim_status": "actual", "status_decided_by": ""}, "status_decided_by"),
    ({"citizenship": "NL", "is_unaccompanied_minor_foreigner": True, "is_minor": True},
     "is_unaccompanied_minor_foreigner"),
    ({"is_unaccompanied_minor_foreigner": True, "birth_date": date(1990, 1, 1)}, "is_unaccompanied_minor_foreigner"),
])
def test_impossible_input_is_refused_at_its_field(world, case, extra, field):
    with pytest.raises(DomainError) as error:
        add_victim(case, world.af_a, **extra)
    assert error.value.field == field
    assert not Person.objects.exists()


def test_the_same_person_twice_on_one_case_is_refused(world, case):
    add_victim(case, world.af_a, birth_date=date(1995, 6, 1))
    with pytest.raises(DomainError) as error:
        add_victim(case, world.af_a, bsn="111 222 333")
    assert error.value.code == "duplicate" and "Slachtoffer CS-GM8901-2026-001-A" in error.value.message
    # Name and birth date match however they are typed.
    with pytest.raises(DomainError) as error:
        add_victim(case, world.af_a, bsn="", first_name="ZWAANTJE", last_name="Testpérsoon",
                   birth_date=date(1995, 6, 1))
    assert error.value.field == "last_name"


def test_the_same_person_elsewhere_in_the_region_must_be_confirmed(world, case):
    add_victim(case, world.af_a)
    other = make_case(world, municipality=world.b, reference="CS-GM8902-2026-001")
    with pytest.raises(DomainError) as error:
        services.add_person(other, actor=world.af_b, data=victim_data())
    assert error.value.code == "possible_duplicate" and error.value.field == "confirm_duplicate"
    assert "CS-GM8901" not in error.value.message  # never reveals the other case
    person = services.add_person(other, actor=world.af_b, data=victim_data(), confirm_duplicate=True)
    assert AuditEvent.objects.get(action="person.added", target_uuid=person.uuid).details["duplicate_confirmed"]
    # Another region: no warning.
    far = make_case(world, municipality=world.c, reference="CS-GM8903-2026-001", zorgcoordinator=False)
    assert services.add_person(far, actor=world.af_c, data=victim_data()).pk


def test_minor_is_derived_from_the_birth_date_with_age_band_at_exploitation(world, case):
    today = timezone.localdate()
    child = add_victim(case, world.af_a, bsn=BSN_B, birth_date=date(today.year - 15, 1, 1),
                       is_unaccompanied_minor_foreigner=True)
    assert child.is_minor and child.minor_at_exploitation and child.age_band == "minor"
    proposal = [p for p, _ in services.jeugdwet_proposal(child)]
    assert proposal == ["veilig_thuis", "other", "nidos"]
    adult = add_victim(case, world.af_a, bsn="", first_name="Anna", birth_date=date(1990, 3, 1),
                       exploitation_year=2014)
    assert not adult.is_minor and adult.age_band == "23-29" and services.jeugdwet_proposal(adult) == []
    # Exploitation began when she was 17: minor at exploitation, adult now.
    late = add_victim(case, world.af_a, bsn="", first_name="Bea", birth_date=date(2000, 6, 1), exploitation_year=2018)
    assert late.minor_at_exploitation and not late.is_minor


def test_only_the_case_regie_the_af_and_the_zorgcoordinator_add_persons(world, case):
    from tests.factories import UserFactory

    from meldroute.accounts.constants import Role
    off_team = UserFactory(username="zorgco2", organisation=world.zvh, roles=[Role.ZORGCOORDINATOR])
    for user in (world.af_b, world.melder_a, off_team):
        with pytest.raises(DomainError) as error:
            add_victim(case, user)
        assert error.value.code == "forbidden"
    assert not AuditEvent.objects.filter(action="person.added").exists()


def test_the_zorgcoordinator_on_the_team_registers_and_edits_a_victim(world, case):
    victim = add_victim(case, world.zorgcoordinator)
    assert victim.role == "victim" and victim.pseudonym == "Slachtoffer CS-GM8901-2026-001-A"
    event = AuditEvent.objects.get(action="person.added", target_uuid=victim.uuid)
    assert event.actor == world.zorgcoordinator and event.details["role"] == "victim"
    services.update_person(victim, actor=world.zorgcoordinator, data=victim_data(phone="0612345678"))
    assert Person.objects.get(pk=victim.pk).phone == "0612345678"
    assert AuditEvent.objects.filter(action="person.updated", target_uuid=victim.uuid,
                                     actor=world.zorgcoordinator).exists()


def test_the_zorgcoordinator_never_registers_a_suspect_or_turns_a_victim_into_one(world, case):
    for role in ("suspect", "other"):
        with pytest.raises(DomainError) as error:
            services.add_person(case, actor=world.zorgcoordinator, data={"role": role, "first_name": "Gerrit"})
        assert error.value.code == "forbidden" and error.value.field == "role"
    assert not Person.objects.exists() and not AuditEvent.objects.filter(action="person.added").exists()
    victim, suspect = add_victim(case, world.zorgcoordinator), add_suspect(case, world.af_a)
    with pytest.raises(DomainError) as error:
        services.update_person(victim, actor=world.zorgcoordinator, data=victim_data(role="suspect"))
    assert error.value.code == "forbidden" and Person.objects.get(pk=victim.pk).role == "victim"
    with pytest.raises(DomainError) as error:
        services.update_person(suspect, actor=world.zorgcoordinator, data={"role": "suspect", "first_name": "X"})
    assert error.value.code == "forbidden" and Person.objects.get(pk=suspect.pk).first_name == "Gerrit"
    assert not AuditEvent.objects.filter(action="person.updated").exists()


def test_the_zorgcoordinator_add_page_offers_victims_only_and_refuses_a_suspect(client, world, case):
    client.force_login(world.zorgcoordinator)
    url = reverse("persons:add", args=[case.uuid])
    body = client.get(url).content.decode()
    assert 'value="victim"' in body and 'value="suspect"' not in body
    response = client.post(url, {"role": "suspect", "first_name": "Gerrit", "gender": "male", "citizenship": "NL"})
    assert response.status_code == 200 and not Person.objects.exists()
    response = client.post(url, {"role": "victim", "first_name": "Zwaantje", "gender": "female", "citizenship": "RO"})
    person = Person.objects.get()
    assert response.status_code == 302 and person.role == "victim" and person.created_by == world.zorgcoordinator


# --- Scoping --------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("username", "victim", "suspect"), [
    ("af_a", True, True),
    ("af_a2", True, True),
    ("casusregisseur", True, True),
    ("procesregisseur", True, True),
    ("zorgcoordinator", True, False),  # on the team as zorgcoördinator: victims only
    ("af_b", False, False),
    ("af_c", False, False),
    ("partner", False, False),
    ("melder_a", False, False),
    ("ketenregisseur", False, False),
    ("beheerder", False, False),
    ("burgemeester", False, False),
])
def test_scoping_matrix(world, case, username, victim, suspect):
    v, s = add_victim(case, world.af_a), add_suspect(case, world.af_a)
    user = getattr(world, username)
    for person, allowed in ((v, victim), (s, suspect)):
        if allowed:
            assert selectors.get_person_for(user, person.uuid, purpose="test").person == person
        else:
            with pytest.raises(Http404):
                selectors.get_person_for(user, person.uuid, purpose="test")
    assert set(selectors.persons_visible_to(user)) == {p for p, ok in ((v, victim), (s, suspect)) if ok}


def test_a_zorgcoordinator_not_on_the_case_sees_nothing(world, case):
    from tests.factories import UserFactory

    from meldroute.accounts.constants import Role
    other = UserFactory(username="zorgco2", organisation=world.zvh, roles=[Role.ZORGCOORDINATOR])
    v = add_victim(case, world.af_a)
    with pytest.raises(Http404):
        selectors.get_person_for(other, v.uuid, purpose="test")


def test_zorgcoordinator_sees_identity_only_once_shared_with_care(world, case):
    v = add_victim(case, world.af_a)
    access = selectors.get_person_for(world.zorgcoordinator, v.uuid, purpose="test")
    assert not access.full and not access.identity and not access.may_see_identity and not access.attributes
    entry = AccessLogEntry.objects.filter(target_uuid=v.uuid).latest("id")
    assert "bsn" not in entry.fields and not entry.purpose.startswith("inzage identiteit")
    services.record_consent(v, actor=world.zorgcoordinator, kind="care", given=True, given_by="self")
    access = selectors.get_person_for(world.zorgcoordinator, v.uuid, purpose="test")
    assert access.may_see_identity and not access.identity  # shown only after a purpose is stated
    assert selectors.get_person_for(world.zorgcoordinator, v.uuid, purpose="test",
                                    identity_purpose="Intake opvang plannen").identity


def test_full_identity_view_is_access_logged_with_ground_and_purpose(world, case):
    v = add_victim(case, world.af_a)
    selectors.get_person_for(world.af_a, v.uuid, purpose="persoon inzien", identity_purpose="Melding Veilig Thuis")
    entry = AccessLogEntry.objects.filter(target_uuid=v.uuid).latest("id")
    assert entry.actor == world.af_a and entry.purpose.startswith("inzage identiteit (")
    assert entry.purpose.endswith("): Melding Veilig Thuis")
    assert {"bsn", "first_name", "birth_date"} <= set(entry.fields)


# --- Pages ----------------------------------------------------------------------------------------------------------

def test_person_page_shows_identity_after_a_purpose_and_who_looked(client, world, case):
    v = add_victim(case, world.af_a)
    client.force_login(world.af_a)
    response = client.get(reverse("persons:detail", args=[v.uuid]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Zwaantje" not in body and BSN_A not in body and 'data-testid="identity-ask"' in body
    response = client.post(reverse("persons:identity", args=[v.uuid]), {"purpose": "Melding Veilig Thuis"})
    body = response.content.decode()
    assert response.status_code == 200 and "Zwaantje Testpersoon" in body and BSN_A in body
    assert "inzage identiteit" in body and "Melding Veilig Thuis" in body  # the "who looked" list shows this read


@pytest.mark.parametrize("username", ["af_b", "af_c", "partner", "melder_a", "ketenregisseur", "beheerder"])
def test_person_pages_are_404_outside_the_scope(client, world, case, username):
    v = add_victim(case, world.af_a)
    client.force_login(getattr(world, username))
    for url in (reverse("persons:detail", args=[v.uuid]), reverse("persons:edit", args=[v.uuid]),
                reverse("persons:consent", args=[v.uuid]), reverse("persons:add", args=[case.uuid])):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("persons:consent_action", args=[v.uuid, "record"]), {}).status_code == 404


def test_zorgcoordinator_page_never_shows_a_suspect_or_unshared_identity(client, world, case):
    v, s = add_victim(case, world.af_a), add_suspect(case, world.af_a)
    client.force_login(world.zorgcoordinator)
    assert client.get(reverse("persons:detail", args=[s.uuid])).status_code == 404
    body = client.get(reverse("persons:detail", args=[v.uuid])).content.decode()
    assert "Zwaantje" not in body and BSN_A not in body and v.pseudonym in body
    assert client.get(reverse("persons:edit", args=[v.uuid])).status_code == 404


def test_add_person_page_keeps_input_on_a_bad_bsn(client, world, case):
    client.force_login(world.af_a)
    url = reverse("persons:add", args=[case.uuid])
    response = client.post(url, {"role": "victim", "first_name": "Zwaantje", "bsn": BSN_INVALID, "gender": "female",
                                 "citizenship": "RO"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "elfproef" in body and 'value="Zwaantje"' in body
    response = client.post(url, {"role": "victim", "first_name": "Zwaantje", "bsn": BSN_A, "gender": "female",
                                 "citizenship": "RO", "birth_date": "31-02-2001"})
    assert response.status_code == 200 and "geldige datum" in response.content.decode()
    response = client.post(url, {"role": "victim", "first_name": "Zwaantje", "bsn": BSN_A, "gender": "female",
                                 "citizenship": "RO"})
    person = Person.objects.get()
    assert response.status_code == 302 and response.url == reverse("persons:detail", args=[person.uuid])


def test_case_page_panel_lists_pseudonyms_and_the_minor_route(world, case):
    add_victim(case, world.af_a, bsn=BSN_B, birth_date=date(timezone.localdate().year - 14, 1, 1),
               is_unaccompanied_minor_foreigner=True)
    add_suspect(case, world.af_a)
    request = RequestFactory().get("/")
    template = Template("{% load persons_tags %}{% case_persons case %}")
    for user, sees_suspect in ((world.af_a, True), (world.zorgcoordinator, False)):
        request.user = user
        html = template.render(Context({"request": request, "case": case}))
        assert "Slachtoffer CS-GM8901-2026-001-A" in html and "Zwaantje" not in html
        assert ("Verdachte CS-GM8901-2026-001-B" in html) is sees_suspect
        # The zorgcoördinator sees nothing of a victim not shared with care: not even that it is a minor.
        assert ("Nidos" in html and "Veilig Thuis" in html and "minderjarig" in html) is sees_suspect
    request.user = world.af_a
    assert reverse("persons:add", args=[case.uuid]) in template.render(Context({"request": request, "case": case}))


def test_date_fields_show_their_value_in_iso_for_the_date_input(client, world, case):
    # A type="date" input shows (and posts back) only ISO dates: in "14-05-1997" the edit form would lose the date.
    v = add_victim(case, world.af_a, birth_date=date(1997, 5, 14))
    client.force_login(world.af_a)
    body = client.get(reverse("persons:edit", args=[v.uuid])).content.decode()
    assert 'name="birth_date" value="1997-05-14"' in body
    body = client.get(reverse("persons:consent", args=[v.uuid])).content.decode()
    assert f'name="record-given_on" value="{timezone.localdate().isoformat()}"' in body
