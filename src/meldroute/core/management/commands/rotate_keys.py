"""Re-encrypt every encrypted column and file under the first key, and recompute every blind index (key rotation)."""

import json
from argparse import ArgumentParser
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, models, transaction

from meldroute.core.crypto import encryption_keys, is_on_primary_key, rotate_token
from meldroute.core.fields import BlindIndexField, EncryptedJSONField, EncryptedTextField
from meldroute.core.storage import EncryptedFileSystemStorage


def _plan(model: Any) -> tuple[list[Any], list[Any], list[Any], bool]:
    fields = model._meta.concrete_fields
    encrypted = [f for f in fields if isinstance(f, EncryptedTextField | EncryptedJSONField)]
    indexes = [f for f in fields if isinstance(f, BlindIndexField) and f.source and f.normalise is not None]
    files = [f for f in fields if isinstance(f, models.FileField) and isinstance(f.storage, EncryptedFileSystemStorage)]
    return encrypted, indexes, files, callable(getattr(model, "compute_blind_indexes", None))


class Command(BaseCommand):
    help = ("Re-encrypts every encrypted column and attachment file with the first MELDROUTE_FIELD_ENCRYPTION_KEY and "
            "recomputes every blind index, in batches of one transaction each. Values already on the first key are "
            "skipped, so an interrupted run is simply started again. Afterwards the old keys can be removed.")

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Count what would change; change nothing.")
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run, batch_size = options["dry_run"], max(1, options["batch_size"])
        keys = encryption_keys()
        self.stdout.write(f"{len(keys)} encryption key(s) configured; the first encrypts."
                          + (" Dry run: nothing is changed." if dry_run else ""))
        totals = [0, 0, 0]
        for model in apps.get_models():
            encrypted, indexes, files, hook = _plan(model)
            if not (encrypted or indexes or files or hook):
                continue
            counts = [0, 0, 0]
            last_pk = None
            while True:
                with transaction.atomic():
                    qs = model._base_manager.order_by("pk")
                    if last_pk is not None:
                        qs = qs.filter(pk__gt=last_pk)
                    pks = list(qs.values_list("pk", flat=True)[:batch_size])
                    if not pks:
                        break
                    counts[0] += self._reencrypt(model, encrypted, pks, dry_run)
                    counts[1], counts[2] = (x + y for x, y in zip(counts[1:], self._rehash_and_files(
                        model, indexes, files, hook, pks, dry_run), strict=True))
                    last_pk = pks[-1]
            totals = [t + c for t, c in zip(totals, counts, strict=True)]
            self.stdout.write(f"{model._meta.label}: {counts[0]} values to the first key, {counts[1]} blind indexes "
                              f"recomputed, {counts[2]} files to the first key")
        verb = "would change" if dry_run else "changed"
        self.stdout.write(self.style.SUCCESS(
            f"Done: {verb} {totals[0]} values, {totals[1]} blind indexes and {totals[2]} files."))

    def _reencrypt(self, model: Any, fields: list[Any], pks: list[Any], dry_run: bool) -> int:
        """Raw tokens, rotated with MultiFernet.rotate: the plaintext never leaves the cryptography library."""
        if not fields:
            return 0
        quote, table, pk_column = connection.ops.quote_name, model._meta.db_table, model._meta.pk.column
        is_pg = connection.vendor == "postgresql"

        def select(f: Any) -> str:
            return f"{quote(f.column)}::text" if is_pg and isinstance(f, EncryptedJSONField) else quote(f.column)

        changed = 0
        with connection.cursor() as cursor:
            placeholders = ", ".join(["%s"] * len(pks))
            cursor.execute(f"SELECT {quote(pk_column)}, {', '.join(select(f) for f in fields)} "  # noqa: S608
                           f"FROM {quote(table)} WHERE {quote(pk_column)} IN ({placeholders})", pks)
            for pk, *values in cursor.fetchall():
                updates: dict[Any, str] = {}
                for field, raw in zip(fields, values, strict=True):
                    if raw in (None, ""):
                        continue
                    is_json = isinstance(field, EncryptedJSONField)
                    token = json.loads(raw) if is_json else raw
                    if not token or is_on_primary_key(token):
                        continue
                    new = rotate_token(token).decode()
                    updates[field] = json.dumps(new) if is_json else new
                changed += len(updates)
                if updates and not dry_run:
                    sets = ", ".join(
                        f"{quote(f.column)} = " + ("CAST(%s AS jsonb)" if is_pg and isinstance(f, EncryptedJSONField)
                                                   else "%s") for f in updates)
                    cursor.execute(f"UPDATE {quote(table)} SET {sets} WHERE {quote(pk_column)} = %s",  # noqa: S608
                                   [*updates.values(), pk])
        return changed

    def _rehash_and_files(self, model: Any, indexes: list[Any], files: list[Any], hook: bool, pks: list[Any],
                          dry_run: bool) -> tuple[int, int]:
        if not (indexes or files or hook):
            return 0, 0
        rehashed = rotated = 0
        for obj in model._base_manager.filter(pk__in=pks):
            new = {f.attname: f.compute(obj) for f in indexes}
            if hook:
                new.update(obj.compute_blind_indexes())
            changed = {name: value for name, value in new.items() if getattr(obj, name) != value}
            rehashed += len(changed)
            if changed and not dry_run:
                model._base_manager.filter(pk=obj.pk).update(**changed)
            for field in files:
                name = getattr(obj, field.attname).name
                if name and field.storage.exists(name) and field.storage.rotate(name, dry_run=dry_run):
                    rotated += 1
        return rehashed, rotated
