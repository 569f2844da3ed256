"""A first end-to-end check through the Django test client: file, triage, feedback."""

import pytest
from django.urls import reverse

from meldroute.audit.models import AccessLogEntry
from meldroute.intake.constants import SignalStatus
from meldroute.intake.models import Signal


@pytest.mark.django_db
def test_melder_files_signal_and_af_sees_it(client, world):
    client.force_login(world.melder_a)
    response = client.post(reverse("intake:report"), {
        "description": "Man aan de balie hield paspoort van jonge vrouw vast.",
        "is_acute": "yes", "reporter_team": "balie", "postcode": "1234ab"})
    assert response.status_code == 302, response.content.decode()[:2000]
    signal = Signal.objects.get()
    assert signal.postcode == "1234 AB" and signal.is_acute and signal.status == SignalStatus.RECEIVED
    client.force_login(world.af_a)
    inbox = client.get(reverse("triage:inbox"))
    assert signal.reference in inbox.content.decode()
    detail = client.get(reverse("triage:signal", args=[signal.uuid]))
    assert detail.status_code == 200
    assert AccessLogEntry.objects.filter(target_uuid=signal.uuid, actor=world.af_a).count() == 1
    client.force_login(world.af_b)
    assert client.get(reverse("triage:signal", args=[signal.uuid])).status_code == 404
