"""The embedded database is set up for durability: WAL journal, full sync."""

import pytest
from django.db import connection


@pytest.mark.django_db
def test_embedded_sqlite_uses_wal_and_full_sync():
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL run")
    options = connection.settings_dict["OPTIONS"]["init_command"]
    assert "journal_mode=WAL" in options and "synchronous=FULL" in options
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 2  # FULL
