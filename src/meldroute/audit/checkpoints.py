"""Checkpoints of the audit chains kept outside the database: each chain's head and row count, signed with the key.

A keyed chain stops anyone without the key from changing or inserting a link, but removing the newest links, or all
of them, leaves a chain that is still valid. A checkpoint, written regularly to an append-only file (and optionally
to syslog, on another host), remembers how far each chain reached; `verify_chain` then refuses a database that no
longer holds every checkpointed head with the same hash and the same number of rows up to it.
"""

import hmac
import json
import logging
import logging.handlers
import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import AccessLogEntry, AuditEvent, ChainedEntry, keyed_hash

logger = logging.getLogger(__name__)

CHAINS: tuple[type[ChainedEntry], ...] = (AuditEvent, AccessLogEntry)
_TAIL_BYTES = 16_384  # enough to hold the last line of the file


@dataclass(frozen=True)
class Checkpoint:
    """One chain's state at one moment: `count` rows up to and including row `last_id`, whose hash is `head`."""

    at: str
    line: int
    count: int
    last_id: int | None
    head: str | None


def checkpoint_file() -> Path | None:
    """The configured file (MELDROUTE_AUDIT_CHECKPOINT_FILE); None when checkpoints are switched off."""
    path = str(settings.MELDROUTE.get("AUDIT_CHECKPOINT_FILE") or "")
    return Path(path) if path else None


def _sign(body: dict[str, Any]) -> str:
    # "checkpoint|" keeps these signatures apart from the chain's own ("<64 hex>|…"): one can never pass for the other.
    return keyed_hash("checkpoint|" + json.dumps(body, sort_keys=True, separators=(",", ":")))


def chain_state(model: type[ChainedEntry]) -> dict[str, Any]:
    """Head and count of one chain as committed now. Appends are serialised and commit in id order, so the rows
    up to the newest id are complete; gaps left by rolled-back appends are why the count is stored as well."""
    last = model.objects.order_by("-pk").values_list("pk", "hash").first()
    if last is None:
        return {"count": 0, "last_id": None, "head": None}
    return {"count": model.objects.filter(pk__lte=last[0]).count(), "last_id": last[0], "head": last[1]}


def _send_to_syslog(line: str) -> None:
    address = str(settings.MELDROUTE.get("AUDIT_CHECKPOINT_SYSLOG") or "")
    if not address:
        return
    target: str | tuple[str, int]
    if address.startswith("/"):
        target = address
    else:
        host, _, port = address.rpartition(":")
        target = (host, int(port)) if host else (address, 514)
    handler = logging.handlers.SysLogHandler(address=target)
    try:
        handler.ident = "meldroute-audit: "
        handler.emit(logging.LogRecord("meldroute.audit.checkpoint", logging.INFO, __file__, 0, line, None, None))
    finally:
        handler.close()


def write_checkpoint(now: datetime | None = None, path: Path | None = None) -> dict[str, Any] | None:
    """Append one signed checkpoint of both chains to the file (and syslog). Returns it; None when switched off."""
    path = path if path is not None else checkpoint_file()
    if path is None:
        return None
    with transaction.atomic():  # one snapshot for both chains where the database gives one
        chains = {model.__name__: chain_state(model) for model in CHAINS}
    body = {"at": (now or timezone.now()).isoformat(timespec="microseconds"), "chains": chains}
    record = {**body, "mac": _sign(body)}
    line = json.dumps(record, sort_keys=True, separators=(",", ":"))
    path.parent.mkdir(parents=True, exist_ok=True)
    # O_APPEND: one write() of one line lands whole at the end, also with the worker and the command at once.
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, (line + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    _send_to_syslog(line)
    return record


def last_checkpoint_line(path: Path) -> str:
    with path.open("rb") as handle:
        handle.seek(0, os.SEEK_END)
        size = handle.tell()
        handle.seek(max(0, size - _TAIL_BYTES))
        lines = handle.read().decode(errors="replace").strip().splitlines()
    return lines[-1] if lines else ""


def write_checkpoint_if_due(now: datetime) -> int:
    """The worker's job: a checkpoint every AUDIT_CHECKPOINT_MINUTES. Before writing, it checks cheaply that the
    previous checkpoint's heads are still there, so rows removed between two runs are reported at once."""
    path = checkpoint_file()
    if path is None:
        return 0
    previous = None
    if path.exists():
        try:
            previous = json.loads(last_checkpoint_line(path))
            last_at = datetime.fromisoformat(previous["at"])
        except (ValueError, KeyError, TypeError):
            previous, last_at = None, None
        minutes = int(str(settings.MELDROUTE.get("AUDIT_CHECKPOINT_MINUTES", 15)))
        if last_at is not None and now < last_at + timedelta(minutes=minutes):
            return 0
    if previous is not None:
        for model in CHAINS:
            state = previous.get("chains", {}).get(model.__name__) or {}
            if state.get("last_id") is None:
                continue
            head = model.objects.filter(pk=state["last_id"]).values_list("hash", flat=True).first()
            if head != state.get("head"):
                logger.error("audit chain %s no longer holds the head of the checkpoint of %s (row #%s): rows were "
                             "removed or changed; run verify_audit_chain", model.__name__, previous.get("at"),
                             state["last_id"])
    write_checkpoint(now, path)
    return 1


def read_checkpoints(path: Path | None = None) -> tuple[dict[str, list[Checkpoint]], list[str], int]:
    """Every checkpoint in the file, per chain, ordered by head id; plus problems (lines not signed with the key)
    and the number of lines read. A missing file gives no checkpoints."""
    path = path if path is not None else checkpoint_file()
    per_chain: dict[str, list[Checkpoint]] = {model.__name__: [] for model in CHAINS}
    problems: list[str] = []
    if path is None or not path.exists():
        return per_chain, problems, 0
    number = 0
    with path.open(encoding="utf-8", errors="replace") as handle:
        for number, raw in enumerate(handle, start=1):  # noqa: B007 - the count is returned
            raw = raw.strip()
            if not raw:
                continue
            raw = raw[raw.find("{"):] if "{" in raw else raw  # a syslog copy puts a header before the JSON
            try:
                record = json.loads(raw)
                body = {"at": record["at"], "chains": record["chains"]}
                valid = isinstance(record["mac"], str) and hmac.compare_digest(record["mac"], _sign(body))
            except (ValueError, KeyError, TypeError):
                valid = False
            if not valid:
                problems.append(f"checkpoint line {number}: not signed with the audit key (changed or forged)")
                continue
            for name, checkpoints in per_chain.items():
                state = record["chains"].get(name)
                if state:
                    checkpoints.append(Checkpoint(at=record["at"], line=number, count=state["count"],
                                                  last_id=state["last_id"], head=state["head"]))
    for checkpoints in per_chain.values():
        checkpoints.sort(key=lambda c: (c.last_id or 0, c.line))
    return per_chain, problems, number
