"""An AF reports their absence so the achtervang receives the acute alerts."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from tests.factories import make_signal

from meldroute.audit.models import AuditEvent
from meldroute.triage.services import assign_signal

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def test_af_sets_and_clears_absence_and_each_change_is_audited(client, world):
    client.force_login(world.af_a)
    until = timezone.localdate() + timedelta(days=7)
    response = client.post(reverse("absence"), {"absent_until": until.isoformat()})
    assert response.status_code == 302
    world.af_a.refresh_from_db()
    assert world.af_a.absent_until == until and world.af_a.is_absent()
    client.post(reverse("absence"), {"absent_until": ""})
    world.af_a.refresh_from_db()
    assert world.af_a.absent_until is None
    assert AuditEvent.objects.filter(action="user.absence_set", target_uuid=world.af_a.uuid).count() == 2


def test_absence_in_the_past_is_refused_at_the_field_in_dutch(client, world):
    client.force_login(world.af_a)
    response = client.post(reverse("absence"), {"absent_until": "2001-01-01"})
    assert response.status_code == 200
    assert "Kies een datum vanaf vandaag." in response.content.decode()
    assert not AuditEvent.objects.filter(action="user.absence_set").exists()


@pytest.mark.parametrize("username", ["melder_a", "partner", "zorgcoordinator", "ketenregisseur", "beheerder",
                                      "burgemeester", "procesregisseur", "casusregisseur"])
def test_only_afs_have_an_absence_page(client, world, username):
    client.force_login(getattr(world, "partner" if username == "partner" else username))
    assert client.get(reverse("absence")).status_code == 404
    assert client.post(reverse("absence"), {"absent_until": ""}).status_code == 404


def test_inbox_marks_signals_assigned_to_an_absent_af(client, world):
    signal = make_signal(world.melder_a)
    assign_signal(signal, actor=world.af_a, assignee=world.af_a2)
    world.af_a2.absent_until = timezone.localdate() + timedelta(days=3)
    world.af_a2.save()
    client.force_login(world.af_a)
    page = client.get(reverse("triage:inbox")).content.decode()
    row = page.split(signal.reference)[1].split("</tr>")[0]
    assert "(afwezig)" in row
