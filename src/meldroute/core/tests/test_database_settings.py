"""PostgreSQL sessions start with JIT off (DATABASE_PG_OPTIONS), for the primary and the replica; the option can be
emptied for a pooler that refuses startup options; SQLite gets none."""

import json
import os
import subprocess
import sys

PRINT = ("import django, json; from django.conf import settings; django.setup(); "
         "print(json.dumps({k: v.get('OPTIONS', {}) for k, v in settings.DATABASES.items()}))")


def _options(tmp_path, **env: str) -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "MELDROUTE_"))}
    env = {**clean, "DJANGO_SETTINGS_MODULE": "meldroute.conf.settings", "MELDROUTE_ENVIRONMENT": "test",
           "MELDROUTE_DATA_DIR": str(tmp_path), **env}
    command = [sys.executable, "-c", PRINT]  # our own interpreter and code
    result = subprocess.run(command, capture_output=True, text=True, check=True, timeout=60, env=env)  # noqa: S603
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_postgresql_primary_and_replica_start_with_jit_off(tmp_path):
    options = _options(tmp_path, DATABASE_URL="postgres://u@127.0.0.1:5432/m",
                       DATABASE_REPLICA_URL="postgres://u@127.0.0.1:5433/m")
    assert options["default"]["options"] == "-c jit=off"
    assert options["replica"]["options"] == "-c jit=off"


def test_the_options_can_be_left_out_behind_a_pooler(tmp_path):
    options = _options(tmp_path, DATABASE_URL="postgres://u@127.0.0.1:5432/m", DATABASE_PG_OPTIONS="")
    assert "options" not in options["default"]


def test_sqlite_gets_no_postgresql_options(tmp_path):
    options = _options(tmp_path)
    assert "options" not in options["default"]
    assert "PRAGMA journal_mode=WAL" in options["default"]["init_command"]
