"""The access export (AVG art. 15): everything about the data subject, nothing about anyone else, made by the FG of
the person's organisation with a reason, recorded and audited."""

import io
import json
import zipfile

import pytest
from django.urls import reverse
from pypdf import PdfReader

from meldroute.audit.models import AccessLogEntry, AuditEvent
from meldroute.core.exceptions import DomainError
from meldroute.partners.constants import DataCategory
from meldroute.persons import services as person_services
from meldroute.persons.tests.helpers import make_case, victim_data
from meldroute.privacy import selectors, services
from meldroute.privacy.dsar import REDACTED
from meldroute.privacy.models import SubjectRequest

from .conftest import SUSPECT, VICTIM

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

REASON = "Brief van betrokkene, kenmerk INZ-2026-014, ontvangen 8 juni 2026"


def _export(fg, person):
    subject = selectors.get_subject_for(fg, person.uuid, purpose="test")
    export = services.export_subject_data(subject, actor=fg, reason=REASON)
    with zipfile.ZipFile(io.BytesIO(export.content)) as archive:
        names = archive.namelist()
        data = json.loads(archive.read(next(n for n in names if n.endswith(".json"))))
        pdf = archive.read(next(n for n in names if n.endswith(".pdf")))
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return data, json.dumps(data, ensure_ascii=False), text


def test_export_holds_every_record_of_the_subject(fg, story):
    data, raw, text = _export(fg, story.victim)
    (person,) = data["persoonsgegevens"]
    assert person["identiteit"]["bsn"] == story.bsn and person["identiteit"]["voornaam"] == VICTIM[0]
    assert [c["casusnummer"] for c in data["casussen"]] == [story.case.reference]
    assert data["casussen"][0]["uw_rol"] == ["Slachtoffer"]
    assert data["casussen"][0]["andere_betrokkenen"] == ["andere betrokkene"]
    assert [s["ontvangstcode"] for s in data["signalen"]] == [story.signal.reference]
    (referral,) = data["doorverwijzingen"]
    assert referral["ontvanger"] == story.referral.receiver_name and set(referral["gedeelde_gegevens"]) >= {
        str(DataCategory.DESCRIPTION.label), str(DataCategory.PERSONS.label)}
    assert person["vormen_van_uitbuiting"] == ["Seksuele uitbuiting"]
    assert [(c["gegeven"], c["ingetrokken_op"]) for c in data["toestemmingen"]] == [(True, "")]
    assert data["zorg"][0]["opvang"][0]["aanbieder"] == "Opvang Fictief"
    assert data["inzage_door_medewerkers"] and all("organisatie" in e for e in data["inzage_door_medewerkers"])
    assert data["wijzigingen"][0]["handeling"] == "vastgelegd op een casus"
    changes = {(c["record"], c["handeling"]) for c in data["wijzigingen"]}
    assert (f"{story.victim.pseudonym} (zorgtraject)", "opvang vastgelegd") in changes  # care is theirs too
    for value in (story.bsn, VICTIM[1], story.case.reference, story.signal.reference):
        assert value in raw and value in text


def test_export_names_no_other_person_not_even_in_free_text(fg, story):
    _data, raw, text = _export(fg, story.victim)
    for secret in (*SUSPECT, story.suspect_bsn, "Verzonnenweg", story.suspect.pseudonym):
        assert secret not in raw, secret
        assert secret not in text, secret
    assert REDACTED in raw  # the signal's description and the referral's purpose named the suspect
    assert "melder_a" not in raw and "af_a" not in raw  # employees by organisation only


def test_export_is_recorded_audited_and_access_logged(fg, story):
    events, reads = AuditEvent.objects.count(), AccessLogEntry.objects.count()
    _export(fg, story.victim)
    request = SubjectRequest.objects.get()
    assert request.kind == "access" and request.reason == REASON and list(request.persons.all()) == [story.victim]
    assert AuditEvent.objects.count() == events + 1
    event = AuditEvent.objects.latest("id")
    assert event.action == "privacy.access_export" and event.target_uuid == request.uuid
    assert REASON not in json.dumps(event.details) and REASON not in event.purpose
    logged = AccessLogEntry.objects.filter(id__gt=reads, target_uuid=story.victim.uuid)
    assert logged.filter(purpose__contains="art. 15").count() == 1


def test_export_without_a_reason_is_refused_and_writes_nothing(fg, story):
    subject = selectors.get_subject_for(fg, story.victim.uuid, purpose="test")
    events = AuditEvent.objects.count()
    with pytest.raises(DomainError) as refused:
        services.export_subject_data(subject, actor=fg, reason="  kort ")
    assert refused.value.field == "reason"
    assert AuditEvent.objects.count() == events and not SubjectRequest.objects.exists()


def test_the_same_person_on_two_cases_is_one_subject_but_another_regions_case_is_not(world, fg, story):
    second = make_case(world, reference="CS-GM8901-2026-002")
    again = person_services.add_person(second, actor=world.af_a, data=victim_data(), confirm_duplicate=True)
    elsewhere = person_services.add_person(make_case(world, municipality=world.c, reference="CS-GM8903-2026-001"),
                                           actor=world.af_c, data=victim_data())
    subject = selectors.get_subject_for(fg, story.victim.uuid, purpose="test")
    assert {p.pk for p in subject.records} == {story.victim.pk, again.pk}
    assert elsewhere.pk not in {p.pk for p in subject.records}
    data, _raw, _text = _export(fg, story.victim)
    assert len(data["persoonsgegevens"]) == 2 and len(data["casussen"]) == 2


def test_find_by_bsn_stays_in_the_fgs_scope_and_logs_the_search_not_the_number(fg, fg_b, story):
    assert selectors.find_by_bsn(fg, "111 222 333") == [story.victim]
    assert selectors.find_by_bsn(fg_b, story.bsn) == []
    entry = AccessLogEntry.objects.latest("id")
    assert entry.fields == ["bsn"] and story.bsn not in entry.purpose


def test_the_view_downloads_one_zip_with_pdf_and_json(client, fg, story):
    client.force_login(fg)
    response = client.post(reverse("privacy:export", args=[story.victim.uuid]), {"export-reason": REASON})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert sorted(n.rsplit(".", 1)[1] for n in archive.namelist()) == ["json", "pdf"]


def test_the_view_keeps_the_input_and_answers_in_dutch_on_a_short_reason(client, fg, story):
    client.force_login(fg)
    response = client.post(reverse("privacy:export", args=[story.victim.uuid]), {"export-reason": "te kort"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "minstens 10 tekens" in body and "te kort" in body
    assert not SubjectRequest.objects.exists()


def test_search_by_case_number_finds_persons_without_a_bsn_in_scope_only(client, fg, fg_b, story):
    assert set(selectors.find_persons(fg, story.case.reference.lower())) == {story.victim, story.suspect}
    assert selectors.find_persons(fg_b, story.case.reference) == []
    assert AccessLogEntry.objects.latest("id").fields == ["case_reference"]
    client.force_login(fg)
    page = client.post(reverse("privacy:index"), {"term": "111.222.333"}).content.decode()
    found = page.split('data-testid="found"', 1)[1].split("</ul>", 1)[0]
    assert story.victim.pseudonym in found and story.suspect.pseudonym not in found
    empty = client.post(reverse("privacy:index"), {"term": ""})
    assert empty.status_code == 200 and "Vul een BSN of een casusnummer in." in empty.content.decode()


def test_redaction_takes_whole_words_and_keeps_the_subjects_own_name(world, story):
    from meldroute.privacy.dsar import Redactor

    redact = Redactor([story.suspect], [story.victim])
    assert redact("Gerrit Verzonnen en Gerrit-Jan uit Verzonnendorp") == (
        f"{REDACTED} en {REDACTED}-Jan uit Verzonnendorp")
    assert redact("Zwaantje Testpersoon, BSN 123456782") == f"Zwaantje Testpersoon, BSN {REDACTED}"


def test_the_fgs_person_list_shows_its_own_persons_by_pseudonym_only(client, world, fg, fg_b, story):
    elsewhere = person_services.add_person(make_case(world, municipality=world.b, reference="CS-GM8902-2026-001"),
                                           actor=world.af_b, data=victim_data(bsn="", first_name="Anna"))
    reads = AccessLogEntry.objects.count()
    client.force_login(fg)
    page = client.get(reverse("privacy:index")).content.decode()
    assert story.victim.pseudonym in page and story.suspect.pseudonym in page
    assert elsewhere.pseudonym not in page
    assert VICTIM[1] not in page and story.bsn not in page  # pseudonyms only
    assert AccessLogEntry.objects.count() == reads
    client.force_login(fg_b)
    assert elsewhere.pseudonym in client.get(reverse("privacy:index")).content.decode()
