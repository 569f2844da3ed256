"""Migration operations that encrypt existing plaintext columns in place (and decrypt them again when reversed).

They work on the raw column through SQL, so the historical model's encrypted field never tries to decrypt plaintext.
A value that already decrypts is left alone: running one twice, or after `rotate_keys`, changes nothing.
"""

import json
from collections.abc import Callable, Iterable
from typing import Any

from cryptography.fernet import InvalidToken
from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from .crypto import decrypt, encrypt, fernet

BATCH = 1000


def _is_token(value: str) -> bool:
    try:
        fernet().decrypt(value.encode())
    except (InvalidToken, ValueError, TypeError):
        return False
    return True


def _rewrite(schema_editor: BaseDatabaseSchemaEditor, table: str, columns: Iterable[str],
             change: Callable[[str, str], str | None],
             *, json_columns: Iterable[str] = ()) -> None:
    """Apply `change(column, value) -> new value or None (unchanged)` to every non-empty value of the columns."""
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    json_columns = set(json_columns)
    for column in columns:
        cast = column in json_columns and connection.vendor == "postgresql"
        select_column = f"{quote(column)}::text" if cast else quote(column)
        placeholder = "CAST(%s AS jsonb)" if cast else "%s"
        last: Any = None
        while True:
            with connection.cursor() as cursor:
                where = "" if last is None else f"AND {quote('id')} > %s "
                cursor.execute(f"SELECT {quote('id')}, {select_column} FROM {quote(table)} "  # noqa: S608
                               f"WHERE {quote(column)} IS NOT NULL {where}ORDER BY {quote('id')} LIMIT {BATCH}",
                               [] if last is None else [last])
                rows = cursor.fetchall()
                for pk, value in rows:
                    if value in (None, ""):
                        continue
                    new = change(column, value)
                    if new is not None and new != value:
                        cursor.execute(f"UPDATE {quote(table)} SET {quote(column)} = {placeholder} "  # noqa: S608
                                       f"WHERE {quote('id')} = %s", [new, pk])
            if len(rows) < BATCH:
                break
            last = rows[-1][0]


def _encrypt_value(json_columns: set[str]) -> Callable[[str, str], str | None]:
    def change(column: str, value: str) -> str | None:
        if column in json_columns:
            data = json.loads(value)
            if isinstance(data, str) and _is_token(data):
                return None
            return json.dumps(encrypt(json.dumps(data, ensure_ascii=False)))
        return None if _is_token(value) else encrypt(value)
    return change


def _decrypt_value(json_columns: set[str]) -> Callable[[str, str], str | None]:
    def change(column: str, value: str) -> str | None:
        if column in json_columns:
            data = json.loads(value)
            return json.dumps(json.loads(decrypt(data))) if isinstance(data, str) and _is_token(data) else None
        return decrypt(value) if _is_token(value) else None
    return change


def encrypt_columns(app_label: str, model_name: str, columns: list[str], *,
                    json_columns: Iterable[str] = ()) -> migrations.RunPython:
    json_set = set(json_columns)

    def forwards(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        table = apps.get_model(app_label, model_name)._meta.db_table
        _rewrite(schema_editor, table, columns, _encrypt_value(json_set), json_columns=json_set)

    def backwards(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        table = apps.get_model(app_label, model_name)._meta.db_table
        _rewrite(schema_editor, table, columns, _decrypt_value(json_set), json_columns=json_set)

    return migrations.RunPython(forwards, backwards, elidable=False)
