"""Appending to the audit chains. The only code that creates audit records."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from uuid import UUID

from django.db import connection, transaction
from django.utils import timezone

from .checkpoints import CHAINS, Checkpoint, checkpoint_file, read_checkpoints
from .models import GENESIS_HASH, AccessLogEntry, AuditEvent, ChainedEntry

Entry = TypeVar("Entry", bound=ChainedEntry)

# Distinct PostgreSQL advisory-lock keys, one per chain: appends are serialised so the chain never forks.
_LOCK_KEYS = {AuditEvent: 7_310_001, AccessLogEntry: 7_310_002}


def _append(model: type[Entry], **values: Any) -> Entry:
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


def _actor_values(actor: Any, label: str = "") -> dict[str, Any]:
    """Who acted. `label` names an actor without an account (a partner's personal link) instead of "anoniem"."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {"actor": None, "actor_label": label[:150] or ("systeem" if actor is None else "anoniem")}
    return {"actor": actor, "actor_label": actor.get_username()}


def record_event(*, actor: Any, action: str, target_type: str, target_uuid: UUID | str | None = None,
                 fields: Iterable[str] = (), purpose: str, details: dict[str, Any] | None = None,
                 actor_label: str = "") -> AuditEvent:
    """Record a write. Call inside the service's transaction, so the event and the change commit together."""
    return _append(AuditEvent, **_actor_values(actor, actor_label), action=action, target_type=target_type,
                   target_uuid=target_uuid, fields=sorted(fields), purpose=purpose, details=details or {})


def record_access(*, actor: Any, target_type: str, target_uuid: UUID | str | None, fields: Iterable[str] = (),
                  purpose: str,
                  actor_label: str = "") -> AccessLogEntry:
    """Record a read of personal data."""
    return _append(AccessLogEntry, **_actor_values(actor, actor_label), target_type=target_type,
                   target_uuid=target_uuid, fields=sorted(fields), purpose=purpose)


def record_accesses(*, actor: Any, reads: Iterable[tuple[str, UUID | str | None, Iterable[str]]], purpose: str,
                    actor_label: str = "") -> list[AccessLogEntry]:
    """Record reads of several targets at once — (target_type, target_uuid, fields) each, as one record_access call
    would — in one append to the chain: a page that shows many (an agenda) costs a fixed number of queries."""
    reads = list(reads)
    if not reads:
        return []
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEYS[AccessLogEntry]])
        last_hash = AccessLogEntry.objects.order_by("-id").values_list("hash", flat=True).first() or GENESIS_HASH
        now, entries = timezone.now(), []
        for target_type, target_uuid, fields in reads:
            entry = AccessLogEntry(created_at=now, prev_hash=last_hash, **_actor_values(actor, actor_label),
                                   target_type=target_type, target_uuid=target_uuid, fields=sorted(fields),
                                   purpose=purpose)
            entry.hash = last_hash = entry.compute_hash()
            entries.append(entry)
        # One INSERT, in chain order (ids ascend in the order given, on PostgreSQL and SQLite alike).
        return AccessLogEntry.objects.bulk_create(entries)


def verify_chain(model: type[ChainedEntry], checkpoints: Sequence[Checkpoint] = ()) -> tuple[int, list[str]]:
    """Recompute every link with the key, and check that every checkpoint's head is still there with the same hash
    and the same number of rows up to it; returns (entries checked, problems found).

    Without the key no link can be forged, so a changed, inserted or rehashed row breaks the chain; removing the
    newest rows or all of them leaves a valid chain, which only the checkpoints (kept outside the database) reveal.
    """
    name = model.__name__
    problems: list[str] = []
    pending = [c for c in checkpoints if c.last_id is not None]  # ordered by last_id
    previous = GENESIS_HASH
    count = 0
    for entry in model.objects.order_by("id").iterator(chunk_size=2000):
        count += 1
        if entry.prev_hash != previous:
            problems.append(f"{name} #{entry.pk}: prev_hash does not match the entry before it")
        if entry.compute_hash() != entry.hash:
            problems.append(f"{name} #{entry.pk}: content does not match its hash")
        previous = entry.hash
        while pending and pending[0].last_id is not None and pending[0].last_id <= entry.pk:
            checkpoint = pending.pop(0)
            if checkpoint.last_id < entry.pk:
                problems.append(f"{name} #{checkpoint.last_id}: the head of the checkpoint of {checkpoint.at} is "
                                f"gone (row removed)")
            elif entry.hash != checkpoint.head:
                problems.append(f"{name} #{entry.pk}: hash differs from the checkpoint of {checkpoint.at} "
                                f"(the chain up to it was rewritten)")
            elif count != checkpoint.count:
                problems.append(f"{name} #{entry.pk}: {count} rows up to here, the checkpoint of {checkpoint.at} "
                                f"recorded {checkpoint.count} (rows removed or inserted)")
    if pending:
        latest = max(pending, key=lambda c: (c.last_id or 0, c.count))
        problems.append(f"{name}: the database holds {count} rows, but the checkpoint of {latest.at} recorded "
                        f"{latest.count} up to #{latest.last_id}: rows were removed from the end "
                        f"({'the table was emptied' if count == 0 else 'the chain was truncated'})")
    return count, problems


@dataclass
class AuditVerification:
    counts: dict[str, int]
    problems: list[str]
    checkpoint_file: Path | None
    checkpoint_lines: int


def verify_audit(checkpoint_path: Path | None = None) -> AuditVerification:
    """Verify both chains against the key and the checkpoint file (MELDROUTE_AUDIT_CHECKPOINT_FILE)."""
    path = checkpoint_path if checkpoint_path is not None else checkpoint_file()
    per_chain, problems, lines = read_checkpoints(path)
    counts: dict[str, int] = {}
    for model in CHAINS:
        counts[model.__name__], chain_problems = verify_chain(model, per_chain[model.__name__])
        problems += chain_problems
    return AuditVerification(counts=counts, problems=problems, checkpoint_file=path, checkpoint_lines=lines)
