"""Retention's pages in the access matrix: every role but the beheerder (and the FG) gets 404 on every page and writes
nothing; a beheerder of another region sees only its own region and gets 404 on this region's holds; the report reads
only codes and dates (one access-log entry), the CSV is an audited export, a hold is audited, and a bad hold keeps the
input with a Dutch message at the field."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meldroute.accounts.constants import Role
from meldroute.audit.models import AccessLogEntry, AuditEvent
from meldroute.retention import services
from meldroute.retention.models import RetentionHold
from tests.factories import UserFactory, make_signal

pytestmark = [pytest.mark.django_db]

OTHERS = ["melder_a", "melder_a2", "af_a", "af_a2", "melder_b", "af_b", "af_c", "partner", "partner2",
          "zorgcoordinator", "procesregisseur", "casusregisseur", "ketenregisseur", "burgemeester"]


@pytest.fixture
def setting(world):
    world.beheerder_c = UserFactory(username="beheerder_c", organisation=world.c, roles=[Role.BEHEERDER])
    signal = make_signal(world.melder_a)
    hold = services.place_hold(actor=world.beheerder, region_id=world.region.pk, reference=signal.reference,
                               reason="Lopend onderzoek", until=timezone.localdate() + timedelta(days=30))
    return world, signal, hold


def _pages(signal, hold):
    until = (timezone.localdate() + timedelta(days=10)).isoformat()
    return [
        ("get", reverse("retention:report"), None),
        ("get", reverse("retention:report_csv"), None),
        ("post", reverse("retention:hold_create"), {"reference": signal.reference, "reason": "x", "until": until}),
        ("post", reverse("retention:hold_lift", args=[hold.uuid]), {}),
    ]


def _state():
    return (AuditEvent.objects.count(), AccessLogEntry.objects.count(), RetentionHold.objects.count(),
            list(RetentionHold.objects.values_list("lifted_at", flat=True)))


@pytest.mark.parametrize("who", OTHERS)
def test_every_retention_page_is_404_for_every_other_role_and_region_and_writes_nothing(client, setting, who):
    world, signal, hold = setting
    client.force_login(getattr(world, who))
    before = _state()
    for method, url, data in _pages(signal, hold):
        response = getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)
        assert response.status_code == 404, (who, method, url)
    assert _state() == before


def test_anonymous_visitors_are_sent_to_the_login_page(client, setting):
    _world, signal, hold = setting
    for method, url, data in _pages(signal, hold):
        response = getattr(client, method)(url, data or {})
        assert response.status_code == 302 and "/inloggen/" in response["Location"]


def test_the_beheerder_reads_the_report_with_one_access_log_entry_and_no_content(client, setting):
    world, signal, _hold = setting
    client.force_login(world.beheerder)
    before = AccessLogEntry.objects.count()
    response = client.get(reverse("retention:report"))
    assert response.status_code == 200
    assert AccessLogEntry.objects.count() == before + 1
    entry = AccessLogEntry.objects.order_by("-id").first()
    assert entry.target_type == "organisations.region" and entry.actor_id == world.beheerder.pk
    page = response.content.decode()
    assert "Bewaartermijnen" in page and signal.reference in page and "Lopend onderzoek" in page
    assert "paspoort" not in page  # the signal's description is never on this page


def test_the_fg_of_the_region_has_the_same_pages_as_the_beheerder(client, setting):
    world, signal, hold = setting
    fg = UserFactory(username="fg", organisation=world.b, roles=[Role.FG])
    client.force_login(fg)
    page = client.get(reverse("retention:report"))
    assert page.status_code == 200 and signal.reference in page.content.decode()
    assert (reverse("retention:report"), "Bewaartermijnen") in page.context["nav_items"]
    assert client.get(reverse("retention:report_csv")).status_code == 200
    assert client.post(reverse("retention:hold_lift", args=[hold.uuid])).status_code == 302
    hold.refresh_from_db()
    assert hold.lifted_by == fg


def test_the_csv_report_is_an_audited_export(client, setting):
    world, _signal, _hold = setting
    client.force_login(world.beheerder)
    before = AuditEvent.objects.count()
    response = client.get(reverse("retention:report_csv"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response.content.decode("utf-8-sig").splitlines()[0] == "soort;regel;code;datum;stand"
    assert AuditEvent.objects.count() == before + 1
    assert AuditEvent.objects.order_by("-id").first().action == "retention.report_exported"


def test_the_beheerder_places_and_lifts_a_hold_each_audited(client, setting):
    world, signal, hold = setting
    client.force_login(world.beheerder)
    until = (timezone.localdate() + timedelta(days=10)).isoformat()
    response = client.post(reverse("retention:hold_create"), {"reference": signal.reference.lower(),
                                                              "reason": "Onderzoek politie", "until": until})
    assert response.status_code == 302
    assert AuditEvent.objects.order_by("-id").first().action == "retention.hold_placed"
    response = client.post(reverse("retention:hold_lift", args=[hold.uuid]))
    assert response.status_code == 302
    hold.refresh_from_db()
    assert hold.lifted_by == world.beheerder
    assert AuditEvent.objects.order_by("-id").first().action == "retention.hold_lifted"


@pytest.mark.parametrize("data, field, message", [
    ({"reference": "ONBEKEND", "reason": "x", "until": "2030-01-01"}, "reference", "Geen signaal of casus"),
    ({"reference": "{code}", "reason": "x", "until": "2020-01-01"}, "until", "in het verleden"),
    ({"reference": "{code}", "reason": "x", "until": "morgen"}, "until", "geldige datum"),
    ({"reference": "{code}", "reason": "", "until": "2030-01-01"}, "reason", ""),
])
def test_a_bad_hold_keeps_the_input_with_a_dutch_message_at_the_field(client, setting, data, field, message):
    world, signal, _hold = setting
    client.force_login(world.beheerder)
    data = {k: v.format(code=signal.reference) for k, v in data.items()}
    before = RetentionHold.objects.count()
    response = client.post(reverse("retention:hold_create"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors and message in " ".join(form.errors[field])
    assert form.data["reference"] == data["reference"]
    assert RetentionHold.objects.count() == before


def test_a_beheerder_of_another_region_sees_only_its_own_region_and_cannot_touch_this_one(client, setting):
    world, signal, hold = setting
    client.force_login(world.beheerder_c)
    page = client.get(reverse("retention:report")).content.decode()
    assert signal.reference not in page and "Lopend onderzoek" not in page
    assert signal.reference not in client.get(reverse("retention:report_csv")).content.decode("utf-8-sig")
    before = RetentionHold.objects.count(), list(RetentionHold.objects.values_list("lifted_at", flat=True))
    assert client.post(reverse("retention:hold_lift", args=[hold.uuid])).status_code == 404
    until = (timezone.localdate() + timedelta(days=10)).isoformat()
    response = client.post(reverse("retention:hold_create"), {"reference": signal.reference, "reason": "x",
                                                              "until": until})
    assert "Geen signaal of casus met deze code in uw regio." in response.context["form"].errors["reference"]
    assert (RetentionHold.objects.count(), list(RetentionHold.objects.values_list("lifted_at", flat=True))) == before


def test_the_report_costs_the_same_number_of_queries_for_few_and_many_records(client, setting):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from meldroute.intake.models import Signal
    from tests.factories import to_closed

    world, _signal, _hold = setting
    client.force_login(world.beheerder)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("retention:report")).status_code == 200
        return len(queries)

    def close_long_ago(n: int) -> None:
        for _ in range(n):
            to_closed(make_signal(world.melder_a), world.af_a)
        Signal.objects.filter(status="closed").update(closed_at=timezone.now() - timedelta(days=400))

    close_long_ago(1)
    few = count()
    close_long_ago(6)
    held = make_signal(world.melder_b)
    services.place_hold(actor=world.beheerder, region_id=world.region.pk, reference=held.reference,
                        reason="Tweede", until=timezone.localdate() + timedelta(days=5))
    many = client.get(reverse("retention:report"))
    assert many.context["plan"][1].rule.key == "signal_no_follow_up" and len(many.context["plan"][1].due) == 7
    assert count() == few
