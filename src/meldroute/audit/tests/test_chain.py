"""The audit log and the access log are append-only hash chains; tampering is detected and refused."""

import uuid
from datetime import datetime
from io import StringIO
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from tests.factories import make_signal

from meldroute.audit.models import GENESIS_HASH, AccessLogEntry, AuditEvent
from meldroute.audit.services import record_access, record_event, verify_chain
from meldroute.core.models import AppendOnlyError
from meldroute.intake.constants import Outcome
from meldroute.triage.services import assign_signal, classify_signal, close_signal, give_feedback

pytestmark = pytest.mark.clock  # reads the clock: run again at awkward moments (scripts/test.sh)


def event(actor=None, action="test.changed", **details):
    return record_event(actor=actor, action=action, target_type="test.thing", target_uuid=uuid.uuid4(),
                        fields=["b", "a"], purpose="test", details=details)


def access(actor=None):
    return record_access(actor=actor, target_type="test.thing", target_uuid=uuid.uuid4(), fields=["description"],
                         purpose="inzage signaal")


def raw_sql(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def tamper(table, sql, params=()):
    """Change a row as an attacker with database access would; on PostgreSQL that means disabling the trigger first."""
    if connection.vendor == "postgresql":  # rolled back with the test's transaction
        raw_sql("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE refuses while deferred FK checks are pending
        raw_sql(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only")
    raw_sql(sql, params)


# --- Chaining ----------------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_first_event_links_to_the_genesis_hash_and_each_next_to_the_one_before():
    first, second, third = event(), event(), event()

    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    assert len({first.hash, second.hash, third.hash}) == 3
    for entry in AuditEvent.objects.all():  # the stored rows, read back, still hash to their hash
        assert entry.compute_hash() == entry.hash


@pytest.mark.django_db
def test_the_access_log_is_a_chain_of_its_own(world):
    event(world.af_a)
    first = access(world.af_a)
    second = access(world.af_a)

    assert first.prev_hash == GENESIS_HASH and second.prev_hash == first.hash
    assert (second.actor, second.actor_label, second.fields) == (world.af_a, "af_a", ["description"])


@pytest.mark.django_db
def test_an_event_records_who_and_which_fields_sorted_and_the_system_as_actor_label():
    entry = event(None)

    assert (entry.actor, entry.actor_label, entry.fields) == (None, "systeem", ["a", "b"])


@pytest.mark.django_db
def test_the_hash_covers_the_action_and_the_details():
    entry = event(action="signal.closed", outcome="duplicate")
    original = entry.hash

    entry.details = {"outcome": "no_trafficking"}
    assert entry.compute_hash() != original
    entry.details, entry.action = {"outcome": "duplicate"}, "signal.reopened"
    assert entry.compute_hash() != original


# --- Verification ------------------------------------------------------------------------------

@pytest.mark.django_db
def test_an_intact_chain_verifies_without_problems():
    for _ in range(3):
        event()
        access()

    assert verify_chain(AuditEvent) == (3, [])
    assert verify_chain(AccessLogEntry) == (3, [])


@pytest.mark.django_db
def test_a_moment_stamped_in_local_time_verifies_as_the_database_returns_it_in_utc():
    amsterdam = datetime(2026, 11, 17, 9, 30, 0, 123456, tzinfo=ZoneInfo("Europe/Amsterdam"))
    with mock.patch("django.utils.timezone.now", return_value=amsterdam):
        event()
        access()
    assert AuditEvent.objects.get().created_at == amsterdam
    assert verify_chain(AuditEvent) == (1, []) and verify_chain(AccessLogEntry) == (1, [])


@pytest.mark.django_db
def test_the_events_of_a_real_signal_workflow_verify(world):
    signal = make_signal(world.melder_a)
    assign_signal(signal, actor=world.af_a, assignee=world.af_a)
    classify_signal(signal, actor=world.af_a, assessment="none")
    close_signal(signal, actor=world.af_a, outcome=Outcome.NO_TRAFFICKING, text="Geen aanwijzingen.")
    give_feedback(signal, actor=world.af_a, text="Dank voor uw melding.")

    count, problems = verify_chain(AuditEvent)
    assert count == AuditEvent.objects.count() >= 6
    assert problems == []


@pytest.mark.django_db
def test_a_row_changed_behind_the_applications_back_is_detected():
    _first, second, _third = event(), event(), event()

    tamper("audit_auditevent", "UPDATE audit_auditevent SET purpose = %s WHERE id = %s", ["iets anders", second.pk])

    count, problems = verify_chain(AuditEvent)
    assert count == 3
    assert problems == [f"AuditEvent #{second.pk}: content does not match its hash"]


@pytest.mark.django_db
def test_a_row_removed_behind_the_applications_back_is_detected():
    _first, second, third = event(), event(), event()

    tamper("audit_auditevent", "DELETE FROM audit_auditevent WHERE id = %s", [second.pk])

    count, problems = verify_chain(AuditEvent)
    assert count == 2
    assert problems == [f"AuditEvent #{third.pk}: prev_hash does not match the entry before it"]


@pytest.mark.django_db
def test_a_rehashed_forgery_is_still_detected_by_the_next_link():
    _first, second, third = event(), event(), event()
    second.purpose = "vervalst"
    forged_hash = second.compute_hash()

    tamper("audit_auditevent", "UPDATE audit_auditevent SET purpose = %s, hash = %s WHERE id = %s",
           ["vervalst", forged_hash, second.pk])

    assert verify_chain(AuditEvent)[1] == [f"AuditEvent #{third.pk}: prev_hash does not match the entry before it"]


@pytest.mark.django_db
def test_the_verify_command_reports_an_intact_chain():
    event()
    access()
    out = StringIO()

    call_command("verify_audit_chain", stdout=out, stderr=StringIO())

    assert "AuditEvent: 1 entries checked, 0 problems" in out.getvalue()
    assert "Audit chain intact." in out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize("table", ["audit_auditevent", "audit_accesslogentry"])
def test_the_verify_command_fails_on_a_broken_chain(table):
    entry = event() if table == "audit_auditevent" else access()
    tamper(table, f"UPDATE {table} SET purpose = %s WHERE id = %s", ["weggepoetst", entry.pk])  # noqa: S608
    err = StringIO()

    with pytest.raises(CommandError, match="broken"):
        call_command("verify_audit_chain", stdout=StringIO(), stderr=err)

    assert f"#{entry.pk}: content does not match its hash" in err.getvalue()


# --- Append-only in the application ------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("make", [event, access], ids=["audit-event", "access-log"])
def test_saving_an_existing_audit_record_is_refused(make):
    entry = make()
    entry.purpose = "gewijzigd"

    with pytest.raises(AppendOnlyError):
        entry.save()

    assert type(entry).objects.get(pk=entry.pk).purpose != "gewijzigd"


@pytest.mark.django_db
@pytest.mark.parametrize("make", [event, access], ids=["audit-event", "access-log"])
def test_deleting_an_audit_record_is_refused(make):
    entry = make()

    with pytest.raises(AppendOnlyError):
        entry.delete()

    assert type(entry).objects.filter(pk=entry.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("model", [AuditEvent, AccessLogEntry])
def test_updating_audit_records_through_a_queryset_is_refused(model):
    entry = event() if model is AuditEvent else access()

    with pytest.raises(AppendOnlyError):
        model.objects.filter(pk=entry.pk).update(purpose="gewijzigd")

    assert model.objects.get(pk=entry.pk).purpose != "gewijzigd"


@pytest.mark.django_db
@pytest.mark.parametrize("model", [AuditEvent, AccessLogEntry])
def test_deleting_audit_records_through_a_queryset_is_refused(model):
    event()
    access()

    with pytest.raises(AppendOnlyError):
        model.objects.all().delete()

    assert model.objects.count() == 1


# --- Append-only in the database (PostgreSQL) --------------------------------------------------

@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the append-only trigger exists on PostgreSQL only")
def test_the_database_refuses_a_raw_update_or_delete_of_an_audit_event():
    if connection.vendor != "postgresql":  # the marker sees the configured database; check the live one too
        pytest.skip("the append-only trigger exists on PostgreSQL only")
    entry = event()

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw_sql("UPDATE audit_auditevent SET purpose = %s WHERE id = %s", ["gewijzigd", entry.pk])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw_sql("DELETE FROM audit_auditevent WHERE id = %s", [entry.pk])

    assert AuditEvent.objects.get(pk=entry.pk).purpose == "test"
    assert verify_chain(AuditEvent) == (1, [])
