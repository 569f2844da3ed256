"""Writes users make about themselves: their second factor, and an AF's absence so the achtervang takes over."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

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


def start_totp_enrollment(user: User) -> TOTPDevice:
    """The user's unconfirmed authenticator, created once; it counts only after a correct code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator-app", confirmed=False)


def _check_code(user: User, device: TOTPDevice, code: str, purpose: str) -> None:
    if device.user_id != user.pk:
        raise DomainError(_("Dit apparaat hoort niet bij u."), code="forbidden")
    if not device.verify_token((code or "").replace(" ", "")):
        with transaction.atomic():
            record_event(actor=user, action="user.two_factor_failed", target_type="accounts.user",
                         target_uuid=user.uuid, purpose=purpose)
        raise DomainError(_("Deze code klopt niet of is verlopen. Probeer de nieuwste code uit uw app. Na "
                            "meerdere fouten moet u steeds langer wachten."), field="code")


def confirm_totp_enrollment(user: User, device: TOTPDevice, *, code: str) -> TOTPDevice:
    _check_code(user, device, code, purpose="tweestapsverificatie instellen")
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).exclude(pk=device.pk).delete()
        record_event(actor=user, action="user.two_factor_enrolled", target_type="accounts.user",
                     target_uuid=user.uuid, fields=["totp_device"], purpose="tweestapsverificatie instellen")
    return device


def verify_second_factor(user: User, *, code: str) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()
    if device is None:
        raise DomainError(_("U heeft nog geen authenticator-app gekoppeld."))
    _check_code(user, device, code, purpose="inloggen met tweestapsverificatie")
    return device
