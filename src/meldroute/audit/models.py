"""Append-only audit records. Targets are known only as type + uuid, so audit depends on no domain app."""

import hashlib
import hmac
import json
from datetime import UTC

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from meldroute.core.models import AppendOnlyModel

GENESIS_HASH = "0" * 64


def audit_key() -> bytes:
    """The chains' HMAC key, from the environment or the data folder (conf.settings), never from the database."""
    return str(settings.MELDROUTE["AUDIT_KEY"]).encode()


def keyed_hash(message: str) -> str:
    return hmac.new(audit_key(), message.encode(), hashlib.sha256).hexdigest()


class ChainedEntry(AppendOnlyModel):
    """One link of a hash chain: its hash covers its own content and the previous link's hash."""

    created_at = models.DateTimeField(_("tijdstip"), db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                              related_name="+", verbose_name=_("wie"))
    actor_label = models.CharField(_("wie (naam)"), max_length=160)
    target_type = models.CharField(_("soort object"), max_length=64)
    target_uuid = models.UUIDField(_("object"), null=True, db_index=True)
    fields = models.JSONField(_("velden"), default=list)
    purpose = models.CharField(_("doel"), max_length=200)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    HASHED_FIELDS: tuple[str, ...] = ("created_at", "actor_id", "actor_label", "target_type",
                                      "target_uuid", "fields", "purpose")

    class Meta:
        abstract = True
        ordering = ["id"]

    def canonical_content(self) -> str:
        content = {}
        for name in self.HASHED_FIELDS:
            value = getattr(self, name)
            if name == "created_at":  # in UTC, as the database gives it back, whatever zone it was written in
                value = value.astimezone(UTC).isoformat(timespec="microseconds")
            elif name == "target_uuid" and value is not None:
                value = str(value)
            content[name] = value
        return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    def compute_hash(self) -> str:
        """HMAC-SHA256 over the previous link and this content: without the key no one can forge or recompute a link,
        not even someone who can rewrite the tables (a plain SHA-256 chain is recomputed by anyone)."""
        return keyed_hash(f"{self.prev_hash}|{self.canonical_content()}")


class AuditEvent(ChainedEntry):
    """A write: who changed what, which fields (names, not values), why."""

    action = models.CharField(_("handeling"), max_length=64)
    # Non-personal details of the change, e.g. {"from": "received", "to": "in_triage"}.
    details = models.JSONField(_("details"), default=dict)

    HASHED_FIELDS = (*ChainedEntry.HASHED_FIELDS, "action", "details")

    class Meta(ChainedEntry.Meta):
        verbose_name = _("auditgebeurtenis")
        verbose_name_plural = _("auditgebeurtenissen")


class AccessLogEntry(ChainedEntry):
    """A read of personal data: who looked at which object's fields, why."""

    class Meta(ChainedEntry.Meta):
        verbose_name = _("inzage")
        verbose_name_plural = _("inzagelog")
