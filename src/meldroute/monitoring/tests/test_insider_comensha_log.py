"""The CoMensha export leaves a trace on every person it contains: one access-log row per exported person.

The attack: a zorgcoördinator exports the region's victims; the audit event names the region, so a person's own
access log ("who looked at this") never showed that their categories left the system.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from meldroute.audit.models import AccessLogEntry, AuditEvent
from meldroute.persons import services as person_services
from meldroute.persons.tests.helpers import BSN_B, add_victim, make_case

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

REASON = "Jaarlijkse registratie slachtoffers bij CoMensha"


def test_each_exported_person_gets_one_access_log_row_and_those_left_out_none(client, world):
    case = make_case(world)
    consented = add_victim(case, world.casusregisseur)
    without_basis = add_victim(case, world.casusregisseur, first_name="Merel", bsn=BSN_B)
    person_services.record_consent(consented, actor=world.zorgcoordinator, kind="statistics", given=True,
                                   given_by="self")
    client.force_login(world.zorgcoordinator)
    response = client.post(reverse("monitoring:comensha"), {"year": timezone.localdate().year, "reason": REASON})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert len(response.content.decode("utf-8-sig").splitlines()) == 2  # header + the one person with consent

    logged = AccessLogEntry.objects.filter(actor=world.zorgcoordinator, target_type="persons.person",
                                           purpose__startswith="CoMensha-export")
    [entry] = logged
    assert entry.target_uuid == consented.uuid and REASON in entry.purpose and "geslacht" in entry.fields
    assert not logged.filter(target_uuid=without_basis.uuid).exists()
    event = AuditEvent.objects.get(action="monitoring.comensha_export")
    assert event.details["rows"] == 1 and event.details["without_basis"] == 1
