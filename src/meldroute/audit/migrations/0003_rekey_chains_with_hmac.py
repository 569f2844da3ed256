"""Re-key chains written with the old unkeyed SHA-256 as HMAC-SHA256 chains (docs/privacy/audit-chain.md).

Each chain is first verified the old way; only an intact chain is re-keyed, in id order, so every row keeps its
content and position and the new chain proves what the old one proved. A broken old chain stops the migration:
re-keying it would give a forgery a valid signature. The hashing is copied here, not imported, so this migration
keeps meaning what it means when the models change later.
"""

import hashlib
import hmac
import json
from datetime import UTC

from django.conf import settings
from django.db import migrations

GENESIS_HASH = "0" * 64
BASE_FIELDS = ("created_at", "actor_id", "actor_label", "target_type", "target_uuid", "fields", "purpose")
CHAINS = {"AuditEvent": (*BASE_FIELDS, "action", "details"), "AccessLogEntry": BASE_FIELDS}


def _content(entry, names) -> str:
    content = {}
    for name in names:
        value = getattr(entry, name)
        if name == "created_at":
            value = value.astimezone(UTC).isoformat(timespec="microseconds")
        elif name == "target_uuid" and value is not None:
            value = str(value)
        content[name] = value
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def rekey(apps, schema_editor):
    key = settings.MELDROUTE["AUDIT_KEY"].encode()
    postgres = schema_editor.connection.vendor == "postgresql"
    for model_name, names in CHAINS.items():
        model = apps.get_model("audit", model_name)
        table = model._meta.db_table
        rows = list(model.objects.order_by("id"))
        if not rows:
            continue
        old_previous, new_previous = GENESIS_HASH, GENESIS_HASH
        for entry in rows:
            message = _content(entry, names)
            if entry.prev_hash != old_previous or \
                    hashlib.sha256(f"{entry.prev_hash}|{message}".encode()).hexdigest() != entry.hash:
                raise RuntimeError(
                    f"{model_name} #{entry.pk} does not verify with the old unkeyed hash: the chain was broken before "
                    "re-keying. Investigate (verify_audit_chain of the previous release) before migrating; re-keying "
                    "a broken chain would sign the forgery.")
            old_previous = entry.hash
            entry.prev_hash = new_previous
            entry.hash = hmac.new(key, f"{new_previous}|{message}".encode(), hashlib.sha256).hexdigest()
            new_previous = entry.hash
        if postgres:  # the append-only trigger refuses every UPDATE; this one migration is the sanctioned exception
            schema_editor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only")
        model.objects.bulk_update(rows, ["prev_hash", "hash"], batch_size=1000)
        if postgres:
            schema_editor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {table}_append_only")


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]
    # Not reversible: the old unkeyed hashes are what this release stops trusting.
    operations = [migrations.RunPython(rekey, migrations.RunPython.noop)]
