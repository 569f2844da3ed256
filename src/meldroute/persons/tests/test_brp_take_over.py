"""Issue 14: a BRP person on the AF's signal page taken into one of the signal's cases with one click — through
persons' service, audited, access-logged, with only the fields a person carries."""

import pytest
from django.urls import reverse
from tests.factories import make_signal

from meldroute.audit.models import AccessLogEntry, AuditEvent
from meldroute.cases import services as case_services
from meldroute.core.exceptions import DomainError
from meldroute.persons import services
from meldroute.persons.models import Person
from meldroute.triage import fake_services
from meldroute.triage import services as triage_services
from meldroute.triage.tests.conftest import fake_registers, registers  # noqa: F401 — the fake BRP

pytestmark = pytest.mark.django_db
BSN = fake_services.fake_bsn(7)
PURPOSE = "Nagaan wie de betrokkene is"


@pytest.fixture
def looked_up(world, registers):  # noqa: F811
    signal = make_signal(world.melder_a)
    note = triage_services.lookup_brp(signal, actor=world.af_a, purpose=PURPOSE, bsn=BSN)
    triage_services.classify_signal(signal, actor=world.af_a, assessment="suspected", forms=["labour"])
    case = case_services.open_case(actor=world.af_a, signals=[signal], title="Loods Kasweg")
    return signal, note, case


def take(client, note, case, index=0, role="victim"):
    return client.post(reverse("persons:from_brp", args=[note.uuid, index]), {"case": str(case.uuid), "role": role})


def test_the_brp_answer_keeps_only_the_fields_a_person_carries(looked_up):
    _signal, note, _case = looked_up
    [record] = note.people
    assert set(record) == {"bsn", "first_name", "last_name", "name", "birth_date", "address"}
    assert record["bsn"] == BSN and record["last_name"] and record["birth_date"]


def test_one_click_takes_the_brp_person_into_the_case(client, world, looked_up):
    signal, note, case = looked_up
    client.force_login(world.af_a)
    page = client.get(reverse("triage:signal", args=[signal.uuid])).content.decode()
    assert reverse("persons:from_brp", args=[note.uuid, 0]) in page and f"Opnemen in casus {case.reference}" in page
    response = take(client, note, case)
    assert response.status_code == 302 and response["Location"].endswith("#h-notes")
    person = Person.objects.get(case=case)
    expected = fake_services.person_by_bsn(BSN)
    assert person.bsn == BSN and person.role == "victim" and person.last_name in expected["naam"]["volledigeNaam"]
    assert person.birth_date.isoformat() == expected["geboorte"]["datum"]["datum"]
    assert person.phone == "" and person.created_by == world.af_a
    event = AuditEvent.objects.get(action="person.taken_from_brp", target_uuid=person.uuid)
    assert event.details["note"] == str(note.uuid) and BSN not in str(event.details) + str(event.fields)
    assert AuditEvent.objects.filter(action="person.added", target_uuid=person.uuid).exists()
    assert AccessLogEntry.objects.filter(target_type="brp.bevraging", target_uuid=signal.uuid,
                                         purpose="BRP-persoon opnemen in casus", actor=world.af_a).exists()


def test_a_second_click_links_the_person_already_on_the_case(client, world, looked_up):
    _signal, note, case = looked_up
    client.force_login(world.af_a)
    take(client, note, case)
    response = take(client, note, case, role="suspect")
    assert response.status_code == 302 and Person.objects.filter(case=case).count() == 1
    person, created = services.add_person_from_brp(case, actor=world.af_a, note=note, index=0, role="victim")
    assert not created and person.role == "victim"


def test_a_case_of_another_signal_is_refused_with_a_message(client, world, looked_up):
    _signal, note, _case = looked_up
    other = make_signal(world.melder_a)
    triage_services.classify_signal(other, actor=world.af_a, assessment="suspected", forms=["labour"])
    other_case = case_services.open_case(actor=world.af_a, signals=[other], title="Andere loods")
    client.force_login(world.af_a)
    response = take(client, note, other_case)
    assert response.status_code == 302 and not Person.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "Kies een casus waar dit signaal bij hoort." in page
    with pytest.raises(DomainError):
        services.add_person_from_brp(other_case, actor=world.af_a, note=note, index=3, role="victim")


def test_bad_input_is_a_message_not_an_error(client, world, looked_up):
    _signal, note, case = looked_up
    client.force_login(world.af_a)
    assert take(client, note, case, index=5).status_code == 302
    assert take(client, note, case, role="boss").status_code == 302
    assert client.post(reverse("persons:from_brp", args=[note.uuid, 0]), {"case": "x"}).status_code == 302
    assert not Person.objects.exists()


@pytest.mark.parametrize("who", ["af_b", "af_c", "melder_a", "partner", "casusregisseur", "burgemeester"])
def test_others_get_404_and_nothing_is_written(client, world, looked_up, who):
    _signal, note, case = looked_up
    client.force_login(getattr(world, who))
    before = AuditEvent.objects.count()
    assert take(client, note, case).status_code == 404
    assert not Person.objects.exists() and AuditEvent.objects.count() == before
    assert not AccessLogEntry.objects.filter(purpose="BRP-persoon opnemen in casus").exists()
