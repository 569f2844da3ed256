"""Appending to the audit chains. The only code that creates audit records."""

from typing import TypeVar

from django.db import connection, transaction
from django.utils import timezone

from .models import GENESIS_HASH, AccessLogEntry, AuditEvent, ChainedEntry

Entry = TypeVar("Entry", bound=ChainedEntry)

# Distinct PostgreSQL advisory-lock keys, one per chain: appends are serialised so the chain never forks.
_LOCK_KEYS = {AuditEvent: 7_310_001, AccessLogEntry: 7_310_002}


def _append(model: type[Entry], **values) -> Entry:
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEYS[model]])
        # SQLite runs write transactions one at a time (IMMEDIATE mode), which serialises appends.
        last_hash = model.objects.order_by("-id").values_list("hash", flat=True).first()
        entry = model(created_at=timezone.now(), prev_hash=last_hash or GENESIS_HASH, **values)
        entry.hash = entry.compute_hash()
        entry.save(force_insert=True)
        return entry


def _actor_values(actor, label: str = "") -> dict:
    """Who acted. `label` names an actor without an account (a partner's personal link) instead of "anoniem"."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {"actor": None, "actor_label": label[:150] or ("systeem" if actor is None else "anoniem")}
    return {"actor": actor, "actor_label": actor.get_username()}


def record_event(*, actor, action: str, target_type: str, target_uuid=None, fields=(), purpose: str,
                 details: dict | None = None, actor_label: str = "") -> AuditEvent:
    """Record a write. Call inside the service's transaction, so the event and the change commit together."""
    return _append(AuditEvent, **_actor_values(actor, actor_label), action=action, target_type=target_type,
                   target_uuid=target_uuid, fields=sorted(fields), purpose=purpose, details=details or {})


def record_access(*, actor, target_type: str, target_uuid, fields=(), purpose: str,
                  actor_label: str = "") -> AccessLogEntry:
    """Record a read of personal data."""
    return _append(AccessLogEntry, **_actor_values(actor, actor_label), target_type=target_type,
                   target_uuid=target_uuid, fields=sorted(fields), purpose=purpose)


def verify_chain(model: type[ChainedEntry]) -> tuple[int, list[str]]:
    """Recompute every link; returns (entries checked, problems found)."""
    problems: list[str] = []
    previous = GENESIS_HASH
    count = 0
    for entry in model.objects.order_by("id").iterator(chunk_size=2000):
        count += 1
        if entry.prev_hash != previous:
            problems.append(f"{model.__name__} #{entry.pk}: prev_hash does not match the entry before it")
        if entry.compute_hash() != entry.hash:
            problems.append(f"{model.__name__} #{entry.pk}: content does not match its hash")
        previous = entry.hash
    return count, problems
