"""Backup and restore (issue 17; docs/operations.md "Backup and restore"): the documented pg_dump / pg_restore
procedure, run for real on the PostgreSQL pass — the restored database holds the same rows and its audit chain
verifies with the same key, checked by the same command an operator runs."""

import glob
import os
import subprocess
import sys
import uuid

import pytest
from django.conf import settings
from django.db import connection

from meldroute.audit.models import AccessLogEntry, AuditEvent
from meldroute.intake.models import Signal
from tests.factories import make_signal

pytestmark = pytest.mark.django_db(transaction=True)

TABLES = ("intake_signal", "audit_auditevent", "audit_accesslogentry", "accounts_user", "referrals_referral")


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
    return found[-1] if found else name


def _env(db):
    return {**os.environ, "PGHOST": db["HOST"] or "127.0.0.1", "PGPORT": str(db["PORT"] or 5432),
            "PGUSER": db["USER"] or "postgres", "PGPASSWORD": db["PASSWORD"] or ""}


def _counts(cursor):
    counts = {}
    for table in TABLES:
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 — fixed table names
        counts[table] = cursor.fetchone()[0]
    return counts


def test_a_dump_restored_into_a_fresh_database_has_the_same_rows_and_an_intact_audit_chain(world, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the backup procedure is PostgreSQL's (the PostgreSQL pass of the test command runs it)")
    for acute in (False, True, False):
        make_signal(world.melder_a, is_acute=acute)
    assert Signal.objects.count() == 3 and AuditEvent.objects.exists()
    db = connection.settings_dict
    env = _env(db)
    dump = tmp_path / "meldroute.dump"
    restored = f"meldroute_restore_{uuid.uuid4().hex[:8]}"

    # The procedure of docs/operations.md: a custom-format dump, a fresh database, pg_restore into it.
    # Our own binaries and names only (noqa S603): nothing here comes from outside the test.
    subprocess.run([_bin("pg_dump"), "--format=custom", "--no-owner", f"--file={dump}", db["NAME"]],  # noqa: S603
                   env=env, check=True)
    subprocess.run([_bin("createdb"), restored], env=env, check=True)  # noqa: S603
    try:
        subprocess.run([_bin("pg_restore"), "--no-owner", "--exit-on-error",  # noqa: S603
                        f"--dbname={restored}", str(dump)], env=env, check=True)
        with connection.cursor() as cursor:
            before = _counts(cursor)
        import psycopg

        with psycopg.connect(host=env["PGHOST"], port=env["PGPORT"], user=env["PGUSER"], dbname=restored) as other:
            with other.cursor() as cursor:
                after = _counts(cursor)
        assert after == before and after["intake_signal"] == 3

        # The operator's check, against the restored database, with the keys kept outside it.
        url = f"postgres://{env['PGUSER']}@{env['PGHOST']}:{env['PGPORT']}/{restored}"
        check = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "meldroute.cli", "verify_audit_chain"],
            env={**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "meldroute.conf.test",
                 "MELDROUTE_DATA_DIR": str(settings.DATA_DIR), "MELDROUTE_ENVIRONMENT": "test"},
            capture_output=True, text=True, timeout=120)
        assert check.returncode == 0, check.stdout + check.stderr
        assert f"AuditEvent: {AuditEvent.objects.count()} entries checked, 0 problems" in check.stdout
        assert f"AccessLogEntry: {AccessLogEntry.objects.count()} entries checked, 0 problems" in check.stdout
    finally:
        subprocess.run([_bin("dropdb"), "--if-exists", restored], env=env, check=False)  # noqa: S603
