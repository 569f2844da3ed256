"""The demo region's access export: a victim who shares a case with someone else is exported by the demo FG; the
export holds every record about them and not one name or BSN of any other demo person — searched in the JSON and in
the text of the PDF."""

import io
import json
import zipfile

import pytest
from pypdf import PdfReader

from meldroute.accounts.models import User
from meldroute.audit.models import AccessLogEntry
from meldroute.care.models import CareTrajectory
from meldroute.persons.models import Consent, Person
from meldroute.privacy import selectors, services
from meldroute.referrals.models import Referral

pytestmark = pytest.mark.clock


def _victim_sharing_a_case_with_care(fg: User) -> Person:
    victims = Person.objects.filter(role="victim", case__municipality=fg.organisation)
    sharing = [p for p in victims.select_related("case").order_by("case__reference") if p.case.persons.count() > 1]
    assert sharing, "the demo FG's municipality has no victim on a case with others"
    # The richest one: with care if there is one.
    return next((p for p in sharing if CareTrajectory.objects.filter(person=p).exists()), sharing[0])


def test_demo_victims_export_holds_all_of_them_and_nobody_else(seeded):
    fg = User.objects.get(username="fg.veenhorst")
    victim = _victim_sharing_a_case_with_care(fg)
    subject = selectors.get_subject_for(fg, victim.uuid, purpose="test")
    export = services.export_subject_data(subject, actor=fg, reason="Demo: inzageverzoek per brief, kenmerk 1")
    with zipfile.ZipFile(io.BytesIO(export.content)) as archive:
        data = json.loads(archive.read(next(n for n in archive.namelist() if n.endswith(".json"))))
        pdf = archive.read(next(n for n in archive.namelist() if n.endswith(".pdf")))
    raw = json.dumps(data, ensure_ascii=False)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    flat = " ".join(text.split())

    # Everything about them.
    records = subject.records
    assert victim in records
    for record in records:
        for value in (record.first_name, record.last_name, record.bsn, record.case.reference, record.pseudonym):
            if value:
                assert value in raw and value in flat, value
    signals = {s.reference for r in records for s in r.case.signals.all()}
    assert {s["ontvangstcode"] for s in data["signalen"]} == signals
    referrals = Referral.objects.filter(signal__reference__in=signals)
    assert len(data["doorverwijzingen"]) == referrals.count()
    assert len(data["toestemmingen"]) == Consent.objects.filter(person__in=records).count()
    assert len(data["zorg"]) == CareTrajectory.objects.filter(person__in=records).count()
    logged = AccessLogEntry.objects.filter(target_uuid__in=[r.uuid for r in records]).count()
    assert 0 < len(data["inzage_door_medewerkers"]) <= logged

    # Nobody else: every other demo person (another human: another BSN and another name).
    own_names = {r.full_name.casefold() for r in records}
    own_words = {w.casefold() for r in records for w in (r.first_name, r.last_name) if w}
    own_bsns = {r.bsn for r in records if r.bsn}
    others = [p for p in Person.objects.exclude(pk__in=[r.pk for r in records])
              if p.full_name.casefold() not in own_names]
    assert len(others) > 5
    # On the victim's own case is someone whose surname the export would show if it leaked anyone.
    assert any(p.case_id == victim.case_id and p.last_name.casefold() not in own_words for p in others)
    haystacks = (raw.casefold(), flat.casefold(), flat.replace(" ", ""))
    for other in others:
        needles = [other.full_name.casefold(), other.pseudonym.casefold()]
        needles += [w.casefold() for w in (other.last_name, other.first_name) if w.casefold() not in own_words]
        needles += [v for v in (other.bsn, other.phone) if v and v not in own_bsns]
        for needle in needles:
            assert not any(needle in haystack for haystack in haystacks), (other.pseudonym, needle)
