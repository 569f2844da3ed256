"""Issue 14's signal page in the access matrix: the signal page with its full timeline, an attachment's thumbnail
(/bijlagen/<uuid>/miniatuur/) and taking a BRP person into a case (/verrijking/<uuid>/brp-persoon/<n>/). Every role
but the ones each is for, and those roles in another municipality or region, get 404 and nothing is written or
logged; an allowed read is access-logged."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meldroute.audit.models import AccessLogEntry, AuditEvent
from meldroute.cases import services as case_services
from meldroute.intake.models import Attachment
from meldroute.persons.models import Person
from meldroute.triage import fake_services
from meldroute.triage import services as triage_services
from meldroute.triage.tests.conftest import fake_registers, registers  # noqa: F401 — the fake BRP
from tests.factories import PNG_BYTES, make_signal

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

USERS = ["melder_a", "melder_a2", "af_a", "af_a2", "melder_b", "af_b", "af_c", "partner", "partner2",
         "zorgcoordinator", "procesregisseur", "casusregisseur", "ketenregisseur", "beheerder", "burgemeester"]


@pytest.fixture
def setting(world, registers):  # noqa: F811
    w = world
    w.signal = make_signal(w.melder_a, uploads=[SimpleUploadedFile("foto.png", PNG_BYTES, content_type="image/png")])
    w.attachment = Attachment.objects.get(signal=w.signal)
    w.note = triage_services.lookup_brp(w.signal, actor=w.af_a, purpose="Nagaan wie de betrokkene is",
                                        bsn=fake_services.fake_bsn(7))
    triage_services.classify_signal(w.signal, actor=w.af_a, assessment="suspected", forms=["labour"])
    w.case = case_services.open_case(actor=w.af_a, signals=[w.signal], title="Loods Kasweg")
    return w


def _pages(w):
    return [
        ("signal", "get", reverse("triage:signal", args=[w.signal.uuid]), None),
        ("thumbnail", "get", reverse("intake:attachment_thumbnail", args=[w.attachment.uuid]), None),
        ("brp_person", "post", reverse("persons:from_brp", args=[w.note.uuid, 0]),
         {"case": str(w.case.uuid), "role": "other"}),
    ]


ALLOWED = {
    "signal": {"af_a", "af_a2"},
    "thumbnail": {"melder_a", "af_a", "af_a2"},  # whoever may download the file: its reporter and A's AFs
    "brp_person": {"af_a", "af_a2"},
}
STATUS_WHEN_ALLOWED = {"signal": 200, "thumbnail": 200, "brp_person": 302}


def _state():
    return AuditEvent.objects.count(), Person.objects.count()


@pytest.mark.parametrize("username", USERS)
def test_every_role_on_every_new_page(client, setting, username):
    w = setting
    user = getattr(w, username)
    client.force_login(user)
    for name, method, url, data in _pages(w):
        before, logged = _state(), AccessLogEntry.objects.filter(actor=user).count()
        response = getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)
        if username in ALLOWED[name]:
            assert response.status_code == STATUS_WHEN_ALLOWED[name], (name, username)
            assert AccessLogEntry.objects.filter(actor=user).count() > logged, name  # the read is logged
        else:
            assert response.status_code == 404, (name, username, response.status_code)
            assert _state() == before, (name, username)
            assert AccessLogEntry.objects.filter(actor=user).count() == logged, (name, username)


def test_the_brp_person_is_on_the_case_once_however_many_afs_click(client, setting):
    w = setting
    for af in (w.af_a, w.af_a2):
        client.force_login(af)
        client.post(reverse("persons:from_brp", args=[w.note.uuid, 0]), {"case": str(w.case.uuid), "role": "other"})
    assert Person.objects.filter(case=w.case).count() == 1
