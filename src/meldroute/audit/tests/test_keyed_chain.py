"""Attacks on the audit chains by someone who can write the database but has not got the audit key: rewriting with
recomputed hashes, inserting in the middle, removing the newest rows, emptying a table, editing the checkpoints."""

import hashlib
import hmac
import json
import os
import socket
import subprocess
import sys
import uuid
from datetime import timedelta
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from meldroute.audit.checkpoints import read_checkpoints, write_checkpoint
from meldroute.audit.models import GENESIS_HASH, AccessLogEntry, AuditEvent, ChainedEntry
from meldroute.audit.services import record_access, record_event, verify_audit, verify_chain
from meldroute.core.jobs import run_due_jobs

from .test_chain import raw_sql, tamper

pytestmark = pytest.mark.django_db


def event():
    return record_event(actor=None, action="test.changed", target_type="test.thing", target_uuid=uuid.uuid4(),
                        fields=["a"], purpose="test")


def access():
    return record_access(actor=None, target_type="test.thing", target_uuid=uuid.uuid4(), fields=["naam"],
                         purpose="inzage")


MAKE = {AuditEvent: event, AccessLogEntry: access}


@pytest.fixture
def checkpoint_file(settings, tmp_path):
    """Checkpoints switched on, in a file of this test's own (the test settings switch them off)."""
    path = tmp_path / "audit-checkpoints.jsonl"
    settings.MELDROUTE = {**settings.MELDROUTE, "AUDIT_CHECKPOINT_FILE": str(path), "AUDIT_CHECKPOINT_MINUTES": 15}
    return path


def unkeyed(message: str) -> str:
    return hashlib.sha256(message.encode()).hexdigest()


def guessed_key(message: str) -> str:
    return hmac.new(b"a-key-the-attacker-guessed", message.encode(), hashlib.sha256).hexdigest()


def rechain(model: type[ChainedEntry], hasher) -> None:
    """The attacker's tool: recompute prev_hash and hash of every row, in order, with the hash function they have."""
    table = model._meta.db_table
    previous = GENESIS_HASH
    for entry in model.objects.order_by("id"):
        entry.prev_hash = previous
        new_hash = hasher(f"{previous}|{entry.canonical_content()}")
        tamper(table, f"UPDATE {table} SET prev_hash = %s, hash = %s WHERE id = %s",  # noqa: S608
               [previous, new_hash, entry.pk])
        previous = new_hash


# --- The key ---------------------------------------------------------------------------------------------------

def test_a_link_is_an_hmac_with_the_key_not_a_plain_sha256():
    entry = event()

    message = f"{GENESIS_HASH}|{entry.canonical_content()}"
    assert entry.hash != unkeyed(message)
    assert entry.hash == hmac.new(settings_key().encode(), message.encode(), hashlib.sha256).hexdigest()


def settings_key() -> str:
    from django.conf import settings

    return settings.MELDROUTE["AUDIT_KEY"]


def test_the_key_is_not_stored_in_the_database():
    event()
    access()
    key = settings_key()

    for table in ("audit_auditevent", "audit_accesslogentry"):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608
            assert not any(key in str(value) for row in cursor.fetchall() for value in row)


def test_a_chain_checked_with_another_key_fails_on_every_row(settings):
    for _ in range(3):
        event()
    settings.MELDROUTE = {**settings.MELDROUTE, "AUDIT_KEY": "another-key-of-at-least-thirty-two-characters"}

    count, problems = verify_chain(AuditEvent)

    assert count == 3 and len(problems) == 3


# --- Rewrites and inserts (the key stops them) --------------------------------------------------------------------

@pytest.mark.parametrize("model", [AuditEvent, AccessLogEntry])
@pytest.mark.parametrize("hasher", [unkeyed, guessed_key], ids=["unkeyed-sha256", "wrong-key"])
def test_a_row_changed_and_every_hash_after_it_recomputed_is_detected(model, hasher):
    rows = [MAKE[model]() for _ in range(4)]
    table = model._meta.db_table
    tamper(table, f"UPDATE {table} SET purpose = %s WHERE id = %s", ["weggepoetst", rows[1].pk])  # noqa: S608

    rechain(model, hasher)

    count, problems = verify_chain(model)
    assert count == 4
    # Every link is now "consistent" by the attacker's hash, and every one is refused.
    assert problems == [f"{model.__name__} #{row.pk}: content does not match its hash" for row in rows]


@pytest.mark.parametrize("model", [AuditEvent, AccessLogEntry])
def test_a_row_inserted_in_the_middle_with_a_recomputed_chain_is_detected(model, checkpoint_file):
    first, second, third = (MAKE[model]() for _ in range(3))
    write_checkpoint()
    table = model._meta.db_table
    # Make room after the first row, insert a forged one there, and relink everything after it.
    tamper(table, f"UPDATE {table} SET id = id + 1000 WHERE id > %s", [first.pk])  # noqa: S608
    forged = model.objects.get(pk=second.pk + 1000)
    columns = ["id", "created_at", "actor_id", "actor_label", "target_type", "target_uuid", "fields", "purpose",
               "prev_hash", "hash", *(["action", "details"] if model is AuditEvent else [])]
    values = [first.pk + 1, forged.created_at, None, "systeem", "test.thing", uuid.uuid4().hex, '["a"]',
              "ingevoegd", first.hash, "0" * 63 + "1", *(["test.changed", "{}"] if model is AuditEvent else [])]
    raw_sql(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})",  # noqa: S608
            values)
    rechain(model, unkeyed)

    result = verify_audit()
    problems = result.problems

    assert result.counts[model.__name__] == 4
    assert f"{model.__name__} #{first.pk + 1}: content does not match its hash" in problems
    # The checkpointed head (the third row) is no longer where it was: renumbering is seen too.
    assert f"{model.__name__} #{third.pk}: the head of the checkpoint of" in "\n".join(problems)


# --- Truncation and emptying (the checkpoints stop them) --------------------------------------------------------

@pytest.mark.parametrize("model", [AuditEvent, AccessLogEntry])
def test_removing_the_newest_rows_is_detected_by_the_checkpoint(model, checkpoint_file):
    rows = [MAKE[model]() for _ in range(5)]
    write_checkpoint()
    table = model._meta.db_table

    tamper(table, f"DELETE FROM {table} WHERE id >= %s", [rows[3].pk])  # noqa: S608

    assert verify_chain(model) == (3, [])  # the chain alone is still valid: this is what the checkpoint is for
    checkpointed_at = read_checkpoints()[0][model.__name__][0].at
    assert verify_audit().problems == [
        f"{model.__name__}: the database holds 3 rows, but the checkpoint of {checkpointed_at} recorded 5 up to "
        f"#{rows[4].pk}: rows were removed from the end (the chain was truncated)"]


@pytest.mark.parametrize("model", [AuditEvent, AccessLogEntry])
def test_emptying_a_table_is_detected_by_the_checkpoint(model, checkpoint_file):
    for _ in range(3):
        event()
        access()
    write_checkpoint()
    table = model._meta.db_table

    tamper(table, f"DELETE FROM {table}")  # noqa: S608

    assert verify_chain(model) == (0, [])
    problems = verify_audit().problems
    assert len(problems) == 1
    assert problems[0].startswith(f"{model.__name__}: the database holds 0 rows")
    assert problems[0].endswith("(the table was emptied)")


def test_a_row_removed_before_the_checkpointed_head_and_the_rest_relinked_is_detected(checkpoint_file):
    rows = [event() for _ in range(4)]
    write_checkpoint()

    tamper("audit_auditevent", "DELETE FROM audit_auditevent WHERE id = %s", [rows[1].pk])
    rechain(AuditEvent, unkeyed)

    problems = verify_audit().problems
    assert f"AuditEvent #{rows[3].pk}: hash differs from the checkpoint of" in "\n".join(problems)


def test_rows_added_after_the_checkpoint_verify(checkpoint_file):
    event()
    write_checkpoint()
    event()
    access()

    assert verify_audit().problems == []


# --- The checkpoint file ---------------------------------------------------------------------------------------

def test_a_checkpoint_holds_head_and_count_per_table_and_time_and_is_signed(checkpoint_file):
    rows = [event() for _ in range(2)]
    log = access()

    write_checkpoint()

    record = json.loads(checkpoint_file.read_text().splitlines()[-1])
    assert record["chains"] == {
        "AuditEvent": {"count": 2, "last_id": rows[1].pk, "head": rows[1].hash},
        "AccessLogEntry": {"count": 1, "last_id": log.pk, "head": log.hash},
    }
    assert record["at"] and len(record["mac"]) == 64
    assert oct(checkpoint_file.stat().st_mode)[-3:] == "600"


def test_a_checkpoint_edited_to_hide_a_truncation_is_refused(checkpoint_file):
    rows = [event() for _ in range(4)]
    write_checkpoint()
    tamper("audit_auditevent", "DELETE FROM audit_auditevent WHERE id = %s", [rows[3].pk])
    # The attacker lowers the checkpointed count and head to what is left.
    record = json.loads(checkpoint_file.read_text())
    record["chains"]["AuditEvent"] = {"count": 3, "last_id": rows[2].pk, "head": rows[2].hash}
    checkpoint_file.write_text(json.dumps(record) + "\n")

    assert verify_audit().problems == ["checkpoint line 1: not signed with the audit key (changed or forged)"]


def test_a_copy_from_the_syslog_host_is_read_with_its_headers(checkpoint_file, tmp_path):
    rows = [event() for _ in range(3)]
    write_checkpoint()
    copy = tmp_path / "loghost.log"
    copy.write_text("".join(f"Jun 10 10:00:00 app1 meldroute-audit: {line}\n"
                            for line in checkpoint_file.read_text().splitlines()))
    tamper("audit_auditevent", "DELETE FROM audit_auditevent WHERE id = %s", [rows[2].pk])
    checkpoint_file.unlink()  # the attacker removes the local file too

    assert verify_audit().problems == []  # nothing left to compare with locally...
    assert "the chain was truncated" in verify_audit(copy).problems[0]  # ...but the copy elsewhere remembers


def test_a_checkpoint_is_sent_to_syslog_when_configured(checkpoint_file, settings, tmp_path):
    receiver = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    receiver.bind(str(tmp_path / "log"))
    receiver.settimeout(5)
    settings.MELDROUTE = {**settings.MELDROUTE, "AUDIT_CHECKPOINT_SYSLOG": str(tmp_path / "log")}
    try:
        record = write_checkpoint()
        message = receiver.recv(65536).decode()
    finally:
        receiver.close()

    assert "meldroute-audit: " in message and json.loads(message[message.find("{"):].rstrip("\x00")) == record


@pytest.mark.clock
def test_the_worker_writes_a_checkpoint_every_configured_interval(checkpoint_file, clock):
    event()

    assert run_due_jobs()["audit_checkpoint"] == 1
    assert run_due_jobs()["audit_checkpoint"] == 0  # not due yet
    clock.shift(timedelta(minutes=16))
    event()
    assert run_due_jobs()["audit_checkpoint"] == 1

    assert len(checkpoint_file.read_text().splitlines()) == 2
    assert verify_audit().problems == []


@pytest.mark.clock
def test_the_worker_reports_at_once_when_the_last_checkpointed_head_is_gone(checkpoint_file, clock, caplog):
    rows = [event() for _ in range(2)]
    run_due_jobs()
    tamper("audit_auditevent", "DELETE FROM audit_auditevent WHERE id = %s", [rows[1].pk])
    clock.shift(timedelta(minutes=16))

    run_due_jobs()

    assert "no longer holds the head of the checkpoint" in caplog.text


def test_checkpoints_switched_off_write_nothing(settings):
    settings.MELDROUTE = {**settings.MELDROUTE, "AUDIT_CHECKPOINT_FILE": ""}

    assert write_checkpoint() is None and run_due_jobs()["audit_checkpoint"] == 0


# --- The command -----------------------------------------------------------------------------------------------

def test_the_command_fails_with_a_clear_message_when_the_access_log_was_emptied(checkpoint_file):
    access()
    access()
    call_command("verify_audit_chain", "--checkpoint", stdout=StringIO(), stderr=StringIO())
    tamper("audit_accesslogentry", "DELETE FROM audit_accesslogentry")
    out, err = StringIO(), StringIO()

    with pytest.raises(CommandError, match="broken"):
        call_command("verify_audit_chain", stdout=out, stderr=err)

    assert "AccessLogEntry: 0 entries checked, 1 problems" in out.getvalue()
    assert "the table was emptied" in err.getvalue()


def test_the_command_writes_a_checkpoint_only_for_an_intact_chain(checkpoint_file):
    entry = event()
    out = StringIO()
    call_command("verify_audit_chain", "--checkpoint", stdout=out, stderr=StringIO())
    assert "Checkpoint written" in out.getvalue() and len(checkpoint_file.read_text().splitlines()) == 1

    tamper("audit_auditevent", "UPDATE audit_auditevent SET purpose = %s WHERE id = %s", ["x", entry.pk])
    with pytest.raises(CommandError):
        call_command("verify_audit_chain", "--checkpoint", stdout=StringIO(), stderr=StringIO())

    assert len(checkpoint_file.read_text().splitlines()) == 1  # a broken chain is never blessed by a checkpoint


def test_the_command_warns_that_truncation_goes_unseen_without_checkpoints(checkpoint_file):
    event()
    out = StringIO()

    call_command("verify_audit_chain", stdout=out, stderr=StringIO())

    assert "No checkpoints in" in out.getvalue() and "Audit chain intact." in out.getvalue()


# --- Chains written before the key (migration 0003) ---------------------------------------------------------------

def _run_rekey():
    from importlib import import_module

    migration = import_module("meldroute.audit.migrations.0003_rekey_chains_with_hmac")
    state = MigrationExecutor(connection).loader.project_state(("audit", "0002_append_only_triggers"))
    editor = SimpleNamespace(connection=connection, execute=raw_sql)
    migration.rekey(state.apps, editor)


def test_an_intact_chain_written_with_the_old_unkeyed_hash_is_rekeyed_by_the_migration():
    for _ in range(3):
        event()
        access()
    rechain(AuditEvent, unkeyed)  # as the previous release wrote them
    rechain(AccessLogEntry, unkeyed)
    assert len(verify_chain(AuditEvent)[1]) == 3

    _run_rekey()

    assert verify_chain(AuditEvent) == (3, []) and verify_chain(AccessLogEntry) == (3, [])


def test_a_broken_old_chain_stops_the_migration_instead_of_being_signed():
    rows = [event() for _ in range(3)]
    rechain(AuditEvent, unkeyed)
    tamper("audit_auditevent", "UPDATE audit_auditevent SET purpose = %s WHERE id = %s", ["vervalst", rows[1].pk])

    with pytest.raises(RuntimeError, match=f"AuditEvent #{rows[1].pk} does not verify"):
        _run_rekey()


# --- Production -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("key", [None, "too-short"])
def test_production_refuses_to_start_without_a_proper_audit_key(tmp_path, key):
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", ""),
           "DJANGO_SETTINGS_MODULE": "meldroute.conf.settings", "MELDROUTE_ENVIRONMENT": "production",
           "MELDROUTE_DATA_DIR": str(tmp_path), "MELDROUTE_SECRET_KEY": "x" * 80,
           "MELDROUTE_FIELD_ENCRYPTION_KEY": "bm90LWEtcmVhbC1rZXktanVzdC0zMi1ieXRlcy0xMjM=",
           "MELDROUTE_BLIND_INDEX_KEY": "y" * 48}  # every other key set: only the audit key is missing
    if key:
        env["MELDROUTE_AUDIT_KEY"] = key
    result = subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=env,
                            capture_output=True, text=True, timeout=120)

    assert result.returncode != 0 and "MELDROUTE_AUDIT_KEY" in result.stderr
    assert not (tmp_path / "audit_key").exists()
