"""Every saved or deleted signal recounts the day(s) it belongs to, inside the saving transaction.

Hooked on the model rather than on each service, so every path that changes a counted fact — registration,
classification, closing, feedback, retention's anonymisation, a deletion — keeps the rollups without knowing them.
Bulk `QuerySet.update()` of a counted field would bypass this: none exists (the one-shot claims update only alert and
reminder moments); `meldroute rebuild_rollups` repairs rollups after any load in bulk.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_init, post_save

from meldroute.intake.models import Signal

from . import services


def _key(instance: Signal) -> tuple[int, Any] | None:
    values = instance.__dict__
    if values.get("municipality_id") is None or values.get("received_at") is None:
        return None  # new, or loaded without these fields (deferred): nothing to remember
    return values["municipality_id"], services.day_of(values["received_at"])


def remember(sender: type[Signal], instance: Signal, **kwargs: Any) -> None:
    instance._rollup_key = _key(instance)  # type: ignore[attr-defined]


def on_save(sender: type[Signal], instance: Signal, created: bool, update_fields: Any = None, raw: bool = False,
            **kwargs: Any) -> None:
    if raw:  # loaddata: rebuild_rollups afterwards
        return
    if update_fields is not None and not {f.removesuffix("_id") for f in update_fields} & services.COUNTED_FIELDS:
        return
    before: tuple[int, Any] | None = getattr(instance, "_rollup_key", None)
    after = (instance.municipality_id, services.day_of(instance.received_at))
    # In (municipality, day) order, so two transactions moving signals between the same days (and months) lock
    # their rows in the same order and cannot deadlock.
    for municipality_id, day in sorted({after} if before is None else {before, after}):
        services.refresh_day(municipality_id, day)
    instance._rollup_key = after  # type: ignore[attr-defined]


def on_delete(sender: type[Signal], instance: Signal, **kwargs: Any) -> None:
    key = getattr(instance, "_rollup_key", None) or _key(instance)
    if key is not None:
        services.refresh_day(*key)


def connect() -> None:
    post_init.connect(remember, sender=Signal, dispatch_uid="rollups.remember")
    post_save.connect(on_save, sender=Signal, dispatch_uid="rollups.save")
    post_delete.connect(on_delete, sender=Signal, dispatch_uid="rollups.delete")
