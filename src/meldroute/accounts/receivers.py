"""The audit safety net's receivers: a change of a user's power, a role, a 2FA device or an API token that no service
audited (Django admin, shell, createsuperuser) becomes an event in the audit chain all the same."""

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from django_otp.plugins.otp_totp.models import TOTPDevice

from meldroute.audit.services import record_event
from meldroute.audit.targets import target_of
from meldroute.organisations.models import Organisation

from .models import ApiToken, RoleAssignment, User
from .safety_net import current_actor, is_audited_by_service

# Fields of a user that carry power or identity (a password set by someone else is a way to become that user; only
# the field's name is recorded, never the hash). last_login, team, absence are not watched.
WATCHED_USER_FIELDS = ("username", "email", "password", "is_active", "is_staff", "is_superuser", "organisation_id",
                       "is_service_account", "af_duty", "oidc_subject")
PURPOSE = "vangnet: wijziging buiten de beheerschermen"


def _record(action: str, target_type: str, target_uuid: UUID | None, *, fields: Iterable[str] = (),
            details: dict[str, Any] | None = None) -> None:
    record_event(actor=current_actor(), action=action, target_type=target_type, target_uuid=target_uuid,
                 fields=fields, purpose=PURPOSE, details=details or {})


@receiver(pre_save, sender=User, dispatch_uid="accounts_user_pre_save")
def _remember_user_fields(sender: type[User], instance: User, update_fields: Iterable[str] | None = None,
                          raw: bool = False, **kwargs: Any) -> None:
    instance._power_before = None  # type: ignore[attr-defined]
    if raw or is_audited_by_service() or instance.pk is None:
        return
    if update_fields is not None and not set(update_fields) & {f.removesuffix("_id") for f in WATCHED_USER_FIELDS}:
        return
    instance._power_before = User.objects.filter(pk=instance.pk).values(*WATCHED_USER_FIELDS).first()  # type: ignore[attr-defined]


@receiver(post_save, sender=User, dispatch_uid="accounts_user_post_save")
def _audit_user_change(sender: type[User], instance: User, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if raw or is_audited_by_service():
        return
    now = {name: getattr(instance, name) for name in WATCHED_USER_FIELDS}
    if created:
        _record("user.created_outside_service", target_of(User), instance.uuid, fields=["username"],
                details={"user": instance.get_username(), "is_superuser": instance.is_superuser,
                         "is_staff": instance.is_staff})
        return
    before = getattr(instance, "_power_before", None)
    if not before:
        return
    changed = sorted(name.removesuffix("_id") for name in WATCHED_USER_FIELDS if before[name] != now[name])
    if changed:
        flags = {name: now[name] for name in ("is_active", "is_staff", "is_superuser") if before[name] != now[name]}
        _record("user.changed_outside_service", target_of(User), instance.uuid, fields=changed,
                details={"user": instance.get_username(), **flags})


@receiver(m2m_changed, sender=User.user_permissions.through, dispatch_uid="accounts_user_permissions")
@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="accounts_user_groups")
def _audit_permissions(sender: Any, instance: Any, action: str, reverse: bool, pk_set: set[Any] | None = None,
                       **kwargs: Any) -> None:
    if is_audited_by_service() or action not in {"post_add", "post_remove", "post_clear"}:
        return
    field = "groups" if sender is User.groups.through else "user_permissions"
    users = [instance] if not reverse else list(User.objects.filter(pk__in=pk_set or ()))
    for user in users:
        _record("user.permissions_changed_outside_service", target_of(User), user.uuid, fields=[field],
                details={"user": user.get_username(), "change": action.removeprefix("post_"),
                         "count": len(pk_set or ())})


@receiver(post_save, sender=RoleAssignment, dispatch_uid="accounts_role_saved")
def _audit_role_saved(sender: type[RoleAssignment], instance: RoleAssignment, created: bool, raw: bool = False,
                      **kwargs: Any) -> None:
    if raw or is_audited_by_service():
        return
    _record("user.role_granted_outside_service", target_of(User), instance.user.uuid, fields=["roles"],
            details={"user": instance.user.get_username(), "role": instance.role, "created": created})


@receiver(post_delete, sender=RoleAssignment, dispatch_uid="accounts_role_deleted")
def _audit_role_deleted(sender: type[RoleAssignment], instance: RoleAssignment, **kwargs: Any) -> None:
    if is_audited_by_service():
        return
    user = User.objects.filter(pk=instance.user_id).first()  # gone too when the user itself was deleted
    _record("user.role_revoked_outside_service", target_of(User), user.uuid if user else None, fields=["roles"],
            details={"user": user.get_username() if user else "", "role": instance.role})


@receiver(post_save, sender=TOTPDevice, dispatch_uid="accounts_totp_saved")
@receiver(post_delete, sender=TOTPDevice, dispatch_uid="accounts_totp_deleted")
def _audit_totp(sender: Any, instance: TOTPDevice, created: bool | None = None, raw: bool = False,
                **kwargs: Any) -> None:
    if raw or is_audited_by_service():
        return
    user = User.objects.filter(pk=instance.user_id).first()
    change = "deleted" if created is None else ("created" if created else "changed")
    _record("user.two_factor_changed_outside_service", target_of(User), user.uuid if user else None,
            fields=["totp_device"], details={"user": user.get_username() if user else "", "change": change,
                                             "confirmed": bool(instance.confirmed)})


@receiver(post_save, sender=ApiToken, dispatch_uid="accounts_token_saved")
@receiver(post_delete, sender=ApiToken, dispatch_uid="accounts_token_deleted")
def _audit_token(sender: type[ApiToken], instance: ApiToken, created: bool | None = None, raw: bool = False,
                 **kwargs: Any) -> None:
    if raw or is_audited_by_service():
        return
    change = "deleted" if created is None else ("created" if created else "changed")
    _record("api_token.changed_outside_service", target_of(ApiToken), instance.uuid,
            fields=["key_hash", "expires_at", "revoked_at"],
            details={"change": change, "prefix": instance.prefix, "organisation_id": instance.organisation_id})


@receiver(pre_save, sender=Organisation, dispatch_uid="accounts_organisation_login_pre_save")
def _remember_local_login(sender: type[Organisation], instance: Organisation, raw: bool = False,
                          **kwargs: Any) -> None:
    instance._local_login_before = None  # type: ignore[attr-defined]
    if raw or is_audited_by_service() or instance.pk is None:
        return
    instance._local_login_before = (Organisation.objects.filter(pk=instance.pk)  # type: ignore[attr-defined]
                                    .values_list("local_login_allowed", flat=True).first())


@receiver(post_save, sender=Organisation, dispatch_uid="accounts_organisation_login_post_save")
def _audit_local_login(sender: type[Organisation], instance: Organisation, created: bool, raw: bool = False,
                       **kwargs: Any) -> None:
    """Switching an organisation's local password login on or off outside accounts.services.set_local_login."""
    before = getattr(instance, "_local_login_before", None)
    if raw or is_audited_by_service() or created or before is None or before == instance.local_login_allowed:
        return
    _record("organisation.local_login_changed_outside_service", target_of(Organisation), instance.uuid,
            fields=["local_login_allowed"],
            details={"organisation": instance.code, "allowed": instance.local_login_allowed})
