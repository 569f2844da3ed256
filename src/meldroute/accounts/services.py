"""Writes to users that the users themselves make: an AF's absence, so the achtervang takes over."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meldroute.audit.services import record_event
from meldroute.core.exceptions import DomainError

from .constants import Role
from .models import User


def set_absence(user: User, *, actor: User, until: date | None) -> User:
    """Mark an AF absent up to and including `until` (None: present again)."""
    if actor.pk != user.pk or not user.has_role(Role.AF):
        raise DomainError(_("Alleen een aandachtsfunctionaris kan de eigen afwezigheid doorgeven."), code="forbidden")
    if until is not None and until < timezone.localdate():
        raise DomainError(_("Kies een datum vanaf vandaag."), field="absent_until")
    with transaction.atomic():
        user.absent_until = until
        user.save(update_fields=["absent_until"])
        record_event(actor=actor, action="user.absence_set", target_type="accounts.user", target_uuid=user.uuid,
                     fields=["absent_until"], purpose="bereikbaarheid aandachtsfunctionaris",
                     details={"until": until.isoformat() if until else None})
    return user
