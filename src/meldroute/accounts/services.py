"""Writes about users: their own second factor and an AF's absence; and the beheerder's changes of power (accounts,
roles with two-person approval, deactivation, 2FA reset, organisation API tokens). Every one audited in its transaction.

No service ever sets is_superuser or is_staff: superusers exist only through `createsuperuser` on the server.
"""

import logging
import secrets
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from meldroute.audit.services import record_event
from meldroute.audit.targets import target_of
from meldroute.core.exceptions import DomainError
from meldroute.core.language import recorded
from meldroute.core.mail import send_template_mail
from meldroute.organisations.constants import AfDuty, OrganisationKind
from meldroute.organisations.models import Organisation, Region

from .constants import API_TOKEN_MAX_DAYS, APPROVAL_ROLES, ProposalStatus, Role
from .models import ApiToken, RoleAssignment, RoleProposal, User, hash_token_secret
from .safety_net import audited_by_service


def set_absence(user: User, *, actor: User, until: date | None) -> User:
    """Mark an AF absent up to and including `until` (None: present again)."""
    if actor.pk != user.pk or not user.has_role(Role.AF):
        raise DomainError(_("Alleen een aandachtsfunctionaris kan de eigen afwezigheid doorgeven."), code="forbidden")
    if until is not None and until < timezone.localdate():
        raise DomainError(_("Kies een datum vanaf vandaag."), field="absent_until")
    with transaction.atomic(), audited_by_service():
        user.absent_until = until
        user.save(update_fields=["absent_until"])
        record_event(actor=actor, action="user.absence_set", target_type=target_of(User), target_uuid=user.uuid,
                     fields=["absent_until"], purpose="bereikbaarheid aandachtsfunctionaris",
                     details={"until": until.isoformat() if until else None})
    return user


def start_totp_enrollment(user: User) -> TOTPDevice:
    """The user's unconfirmed authenticator, created once; it counts only after a correct code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        with audited_by_service():  # an unconfirmed device opens nothing; confirming it is the audited step
            device = TOTPDevice.objects.create(user=user, name="authenticator-app", confirmed=False)
    return device


def _check_code(user: User, device: TOTPDevice, code: str, purpose: str) -> None:
    if device.user_id != user.pk:
        raise DomainError(_("Dit apparaat hoort niet bij u."), code="forbidden")
    if not device.verify_token((code or "").replace(" ", "")):
        with transaction.atomic():
            record_event(actor=user, action="user.two_factor_failed", target_type=target_of(User),
                         target_uuid=user.uuid, purpose=purpose)
        raise DomainError(_("Deze code klopt niet of is verlopen. Probeer de nieuwste code uit uw app. Na "
                            "meerdere fouten moet u steeds langer wachten."), field="code")


def confirm_totp_enrollment(user: User, device: TOTPDevice, *, code: str) -> TOTPDevice:
    _check_code(user, device, code, purpose="tweestapsverificatie instellen")
    with transaction.atomic(), audited_by_service():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).exclude(pk=device.pk).delete()
        record_event(actor=user, action="user.two_factor_enrolled", target_type=target_of(User),
                     target_uuid=user.uuid, fields=["totp_device"], purpose="tweestapsverificatie instellen")
    return device


def verify_second_factor(user: User, *, code: str) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()
    if device is None:
        raise DomainError(_("U heeft nog geen authenticator-app gekoppeld."))
    _check_code(user, device, code, purpose="inloggen met tweestapsverificatie")
    return device


# --- The beheerder's changes of power ---------------------------------------------------------------------------

_NOT_FOUND = "not_found"
logger = logging.getLogger(__name__)


def _beheerder_region(actor: User) -> Region:
    """The region the actor manages; anyone but an active beheerder with an organisation is refused."""
    organisation = actor.organisation if getattr(actor, "is_authenticated", False) else None
    if organisation is None or not actor.has_role(Role.BEHEERDER):
        raise DomainError(_("Alleen een functioneel beheerder kan dit doen."), code="forbidden")
    return organisation.region


def _check_manages(actor: User, user: User) -> None:
    """A beheerder acts on users of its own region only, and never on itself."""
    region = _beheerder_region(actor)
    if user.organisation is None or user.organisation.region_id != region.pk or user.is_service_account:
        raise DomainError(_("Deze gebruiker bestaat niet."), code=_NOT_FOUND)
    if user.pk == actor.pk:
        raise DomainError(_("U kunt uw eigen account, rollen, tweestapsverificatie of sleutels niet wijzigen. "
                            "Vraag een andere beheerder."), code="forbidden")


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Geef een reden op."), field="reason")
    return reason


def _user_event(actor: User, action: str, user: User, *, fields: Iterable[str] = (), reason: str,
                details: dict[str, Any] | None = None) -> None:
    record_event(actor=actor, action=action, target_type=target_of(User), target_uuid=user.uuid, fields=fields,
                 purpose="gebruikersbeheer", details={"reason": reason, "user": user.get_username(), **(details or {})})


def create_user(*, actor: User, username: str, first_name: str, last_name: str, email: str,
                organisation: Organisation, team: str = "", reason: str) -> User:
    """A new account without roles and without a usable password (the user sets one through the reset link)."""
    region = _beheerder_region(actor)
    reason = _require_reason(reason)
    if organisation.region_id != region.pk:
        raise DomainError(_("Kies een organisatie in uw regio."), field="organisation")
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(_("Deze gebruikersnaam bestaat al."), field="username")
    with transaction.atomic(), audited_by_service():
        user = User(username=username, first_name=first_name, last_name=last_name, email=email,
                    organisation=organisation, team=team)
        user.set_unusable_password()
        user.save()
        _user_event(actor, "user.created", user, fields=["username", "first_name", "last_name", "email",
                                                         "organisation", "team"], reason=reason,
                    details={"organisation": organisation.code})
        transaction.on_commit(lambda: _send_set_password_link(user))
    return user


def set_password_link(user: User) -> str:
    """A one-time link (Django's reset token: void once the password is set, or after PASSWORD_RESET_TIMEOUT)."""
    path = reverse("accounts:set_password", args=[urlsafe_base64_encode(force_bytes(user.pk)),
                                                  default_token_generator.make_token(user)])
    return str(settings.MELDROUTE["BASE_URL"]).rstrip("/") + path


def _send_set_password_link(user: User) -> None:
    # Only the link: the beheerder never sees or chooses the password.
    try:
        send_template_mail("accounts/mail/set_password_link",
                           {"username": user.get_username(), "link": set_password_link(user)}, [user.email])
    except OSError:  # the account exists; the beheerder can send a new link by asking the user to reset
        logger.exception("Could not send the set-password link for user %s", user.pk)


def propose_role(user: User, *, actor: User, role: str, reason: str) -> RoleProposal | None:
    """Give `user` a role. One that sees personal data (or the beheerder role) becomes a proposal a second beheerder
    must approve; any other role is granted at once. Returns the proposal, or None when granted."""
    _check_manages(actor, user)
    reason = _require_reason(reason)
    if role not in Role.values:
        raise DomainError(_("Onbekende rol."), field="role")
    if not user.is_active:
        raise DomainError(_("Dit account is gedeactiveerd."))
    if RoleAssignment.objects.filter(user=user, role=role).exists():
        raise DomainError(_("Deze gebruiker heeft deze rol al."), field="role")
    if RoleProposal.objects.filter(user=user, role=role, status=ProposalStatus.PENDING).exists():
        raise DomainError(_("Voor deze rol wacht al een voorstel op goedkeuring."), field="role")
    with transaction.atomic(), audited_by_service():
        if role not in APPROVAL_ROLES:
            RoleAssignment.objects.create(user=user, role=role)
            _user_event(actor, "user.role_granted", user, fields=["roles"], reason=reason, details={"role": role})
            return None
        proposal = RoleProposal.objects.create(user=user, role=role, reason=reason, proposed_by=actor)
        _user_event(actor, "user.role_proposed", user, fields=["roles"], reason=reason,
                    details={"role": role, "proposal": str(proposal.uuid)})
    return proposal


def _check_decides(actor: User, proposal: RoleProposal) -> None:
    _check_manages(actor, proposal.user)
    if proposal.status != ProposalStatus.PENDING:
        raise DomainError(_("Over dit voorstel is al besloten."))


def approve_role(proposal: RoleProposal, *, actor: User, reason: str = "") -> RoleAssignment:
    """The second beheerder's approval: never the proposer, never the user concerned."""
    _check_decides(actor, proposal)
    if proposal.proposed_by_id == actor.pk:
        raise DomainError(_("U heeft deze rol zelf voorgesteld; een andere beheerder moet het voorstel goedkeuren."),
                          code="forbidden")
    if not proposal.user.is_active:
        raise DomainError(_("Dit account is gedeactiveerd."))
    with transaction.atomic(), audited_by_service():
        locked = RoleProposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.status != ProposalStatus.PENDING:
            raise DomainError(_("Over dit voorstel is al besloten."))
        proposal.status, proposal.decided_by, proposal.decided_at = ProposalStatus.APPROVED, actor, timezone.now()
        proposal.decision_reason = (reason or "").strip()
        proposal.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
        assignment, _created = RoleAssignment.objects.get_or_create(user=proposal.user, role=proposal.role)
        _user_event(actor, "user.role_approved", proposal.user, fields=["roles"], reason=proposal.reason,
                    details={"role": proposal.role, "proposal": str(proposal.uuid),
                             "proposed_by": proposal.proposed_by.get_username(),
                             "decision_reason": proposal.decision_reason})
    return assignment


def refuse_role(proposal: RoleProposal, *, actor: User, reason: str) -> RoleProposal:
    """Refusing lowers no one's power: any beheerder of the region but the user concerned, the proposer included."""
    _check_decides(actor, proposal)
    reason = _require_reason(reason)
    with transaction.atomic(), audited_by_service():
        proposal.status, proposal.decided_at, proposal.decision_reason = ProposalStatus.REFUSED, timezone.now(), reason
        # The proposer withdrawing its own proposal leaves decided_by empty (the database forbids proposer = decider).
        proposal.decided_by = None if proposal.proposed_by_id == actor.pk else actor
        proposal.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
        _user_event(actor, "user.role_refused", proposal.user, fields=["roles"], reason=reason,
                    details={"role": proposal.role, "proposal": str(proposal.uuid)})
    return proposal


def revoke_role(user: User, *, actor: User, role: str, reason: str) -> None:
    """Taking a role away lowers power: one beheerder suffices (never on itself)."""
    _check_manages(actor, user)
    reason = _require_reason(reason)
    with transaction.atomic(), audited_by_service():
        deleted, _rows = RoleAssignment.objects.filter(user=user, role=role).delete()
        if not deleted:
            raise DomainError(_("Deze gebruiker heeft deze rol niet."), field="role")
        fields = ["roles"]
        if role == Role.AF and user.af_duty:  # no longer an AF: no longer the AF OOV or Zorg either
            user.af_duty = ""
            user.save(update_fields=["af_duty"])
            fields.append("af_duty")
        _user_event(actor, "user.role_revoked", user, fields=fields, reason=reason, details={"role": role})
    user.__dict__.pop("roles", None)


def set_af_duty(user: User, *, actor: User, duty: str, reason: str) -> User:
    """Record which of the municipality's AFs this one is (AF OOV, AF Zorg, Werk en Inkomen, or none: every signal).
    A duty has one active holder per municipality: giving it to this AF takes it from the one who held it."""
    _check_manages(actor, user)
    reason = _require_reason(reason)
    duty = duty or ""
    if duty and duty not in AfDuty.values:
        raise DomainError(_("Kies een taak."), field="duty")
    organisation = user.organisation
    if duty and (not user.is_active or not user.has_role(Role.AF) or organisation is None
                 or not organisation.is_municipality):
        raise DomainError(_("Alleen een actieve aandachtsfunctionaris van een gemeente krijgt deze taak."),
                          field="duty")
    if user.af_duty == duty:
        raise DomainError(_("Deze aandachtsfunctionaris heeft deze taak al."), field="duty")
    with transaction.atomic(), audited_by_service():
        if duty:
            for holder in User.objects.select_for_update().filter(organisation=organisation, af_duty=duty,
                                                                  is_active=True).exclude(pk=user.pk):
                holder.af_duty = ""
                holder.save(update_fields=["af_duty"])
                _user_event(actor, "user.af_duty_set", holder, fields=["af_duty"], reason=reason,
                            details={"from": duty, "to": ""})
        before, user.af_duty = user.af_duty, duty
        user.save(update_fields=["af_duty"])
        _user_event(actor, "user.af_duty_set", user, fields=["af_duty"], reason=reason,
                    details={"from": before, "to": duty})
    return user


def deactivate_user(user: User, *, actor: User, reason: str) -> User:
    _check_manages(actor, user)
    reason = _require_reason(reason)
    if not user.is_active:
        raise DomainError(_("Dit account is al gedeactiveerd."))
    with transaction.atomic(), audited_by_service():
        user.is_active = False
        user.save(update_fields=["is_active"])
        RoleProposal.objects.filter(user=user, status=ProposalStatus.PENDING).update(
            status=ProposalStatus.REFUSED, decided_at=timezone.now(), decision_reason="account gedeactiveerd")
        _user_event(actor, "user.deactivated", user, fields=["is_active"], reason=reason)
    return user


def reset_two_factor(user: User, *, actor: User, reason: str) -> int:
    """Remove a lost authenticator: at the next login the user links a new one (and proves it with a code)."""
    _check_manages(actor, user)
    reason = _require_reason(reason)
    removed: int
    with transaction.atomic(), audited_by_service():
        removed, _rows = TOTPDevice.objects.filter(user=user).delete()
        _user_event(actor, "user.two_factor_reset", user, fields=["totp_device"], reason=reason,
                    details={"devices_removed": removed})
    return removed


def _service_account(organisation: Organisation) -> User:
    """The organisation's system user: no password, no session, the partner view of its own submissions."""
    username = f"systeem.{organisation.code.lower()}"
    user: User | None = User.objects.filter(username=username, is_service_account=True,
                                            organisation=organisation).first()
    if user is None:
        if User.objects.filter(username=username).exists():
            raise DomainError(_("De gebruikersnaam voor het systeemaccount is al in gebruik."))
        user = User(username=username, first_name=recorded("Systeem"), last_name=organisation.name[:150],
                    organisation=organisation, is_service_account=True)
        user.set_unusable_password()
        user.save()
    return user


def create_api_token(organisation: Organisation, *, actor: User | None, name: str, valid_days: int, reason: str,
                     secret: str | None = None) -> tuple[ApiToken, str]:
    """A token for a partner organisation's system. Returns the token and its secret, which is shown once and
    stored nowhere (only its SHA-256). `actor=None` only for the demo seed, which passes its published secret."""
    if actor is not None:
        region = _beheerder_region(actor)
        if organisation.region_id != region.pk:
            raise DomainError(_("Deze organisatie bestaat niet."), code=_NOT_FOUND)
        if organisation.pk == actor.organisation_id:
            raise DomainError(_("U kunt geen API-sleutel maken voor uw eigen organisatie. Vraag een andere beheerder."),
                              code="forbidden")
    if organisation.kind == OrganisationKind.MUNICIPALITY:
        raise DomainError(_("Een API-sleutel is voor het systeem van een ketenpartner, niet voor een gemeente."),
                          field="organisation")
    reason = _require_reason(reason)
    if not 1 <= valid_days <= API_TOKEN_MAX_DAYS:
        raise DomainError(_("Kies een geldigheid van 1 tot %(max)s dagen.") % {"max": API_TOKEN_MAX_DAYS},
                          field="valid_days")
    name = (name or "").strip()[:100]
    if not name:
        raise DomainError(_("Geef de sleutel een naam."), field="name")
    secret = secret or secrets.token_urlsafe(32)
    with transaction.atomic(), audited_by_service():
        token = ApiToken.objects.create(
            organisation=organisation, user=_service_account(organisation), name=name, prefix=secret[:8],
            key_hash=hash_token_secret(secret), created_by=actor,
            expires_at=timezone.now() + timedelta(days=valid_days))
        record_event(actor=actor, action="api_token.created", target_type=target_of(ApiToken), target_uuid=token.uuid,
                     fields=["key_hash", "expires_at", "organisation"], purpose="gebruikersbeheer",
                     details={"reason": reason, "organisation": organisation.code, "name": name,
                              "prefix": token.prefix, "expires_at": token.expires_at.isoformat()})
    return token, secret


def revoke_api_token(token: ApiToken, *, actor: User, reason: str) -> ApiToken:
    region = _beheerder_region(actor)
    if token.organisation.region_id != region.pk:
        raise DomainError(_("Deze sleutel bestaat niet."), code=_NOT_FOUND)
    reason = _require_reason(reason)
    if token.revoked_at is not None:
        raise DomainError(_("Deze sleutel is al ingetrokken."))
    with transaction.atomic(), audited_by_service():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_event(actor=actor, action="api_token.revoked", target_type=target_of(ApiToken), target_uuid=token.uuid,
                     fields=["revoked_at"], purpose="gebruikersbeheer",
                     details={"reason": reason, "organisation": token.organisation.code, "prefix": token.prefix})
    return token


# --- Login through the organisation's identity provider (accounts.oidc) and the per-organisation local login switch.

LOGIN_PURPOSE = "inloggen"


def record_oidc_login(user: User, *, second_factor_by_idp: bool, amr: list[str], acr: str) -> None:
    """A login through the identity provider: who, and whether the IdP's own second factor counted."""
    with transaction.atomic():
        record_event(actor=user, action="user.login_oidc", target_type=target_of(User), target_uuid=user.uuid,
                     purpose=LOGIN_PURPOSE, details={"user": user.get_username(), "amr": [str(v) for v in amr][:10],
                                                     "acr": str(acr)[:100],
                                                     "second_factor_by_idp": second_factor_by_idp})


def record_oidc_logout(user: User, *, idp_asked_to_end_session: bool) -> None:
    """A logout of a session that came through the identity provider, and whether the IdP was asked to end its own
    session too (RP-initiated logout, accounts.oidc_logout). Runs in the logout's transaction."""
    with transaction.atomic():
        record_event(actor=user, action="user.logout_oidc", target_type=target_of(User), target_uuid=user.uuid,
                     purpose=LOGIN_PURPOSE, details={"user": user.get_username(),
                                                     "idp_asked_to_end_session": idp_asked_to_end_session})


def record_password_login(user: User) -> None:
    """A correct local password: the first step of a login; the second factor follows on its own page
    (`user.two_factor_failed` when it fails, none of the pages open before it succeeds)."""
    with transaction.atomic():
        record_event(actor=user, action="user.login", target_type=target_of(User), target_uuid=user.uuid,
                     purpose=LOGIN_PURPOSE, details={"user": user.get_username(), "via": "lokaal wachtwoord"})


def record_logout(user: User) -> None:
    """A logout that ends Meldroute's session only: a local password session, or an IdP session while no end-session
    endpoint is configured (a logout that goes on to the IdP is `user.logout_oidc`)."""
    with transaction.atomic():
        record_event(actor=user, action="user.logout", target_type=target_of(User), target_uuid=user.uuid,
                     purpose=LOGIN_PURPOSE, details={"user": user.get_username()})


def record_login_refused(*, reason: str, via: str, user: User | None = None, subject: str = "") -> None:
    """A refused login (unknown or inactive account, organisation mismatch, local login off, provider error). The
    subject the IdP asserted is kept (to find out who tried), never the rest of its claims."""
    with transaction.atomic():
        record_event(actor=None, actor_label=f"inlogpoging via {via}", action="user.login_refused",
                     target_type=target_of(User), target_uuid=user.uuid if user is not None else None,
                     purpose=LOGIN_PURPOSE, details={"reason": reason, "via": via, "subject": subject[:255],
                                                     "user": user.get_username() if user is not None else ""})


def link_oidc_subject(user: User, *, subject: str) -> User:
    """Bind an account to its identity at the IdP (first login matched on a verified e-mail address)."""
    if User.objects.filter(oidc_subject=subject).exclude(pk=user.pk).exists():
        raise DomainError(_("Deze identiteit is al aan een ander account gekoppeld."), code="conflict")
    with transaction.atomic(), audited_by_service():
        user.oidc_subject = subject
        user.save(update_fields=["oidc_subject"])
        record_event(actor=user, action="user.oidc_linked", target_type=target_of(User), target_uuid=user.uuid,
                     fields=["oidc_subject"], purpose=LOGIN_PURPOSE,
                     details={"user": user.get_username(), "subject": subject[:255], "matched_on": "email_verified"})
    return user


def set_local_login(organisation: Organisation, *, actor: User, allowed: bool, reason: str) -> Organisation:
    """Allow or forbid logging in with a local password (and TOTP) for one organisation of the beheerder's region.
    Forbidding needs the identity provider: otherwise no one of that organisation could log in at all."""
    from .oidc import oidc_enabled  # the OIDC module uses these services; imported here to keep the order one-way

    region = _beheerder_region(actor)
    if organisation.region_id != region.pk:
        raise DomainError(_("Deze organisatie bestaat niet."), code=_NOT_FOUND)
    reason = _require_reason(reason)
    if organisation.local_login_allowed == allowed:
        raise DomainError(_("Dit staat al zo ingesteld."), field="allowed")
    if not allowed and not oidc_enabled():
        raise DomainError(_("Inloggen via de identiteitsprovider is niet ingesteld. Zonder lokaal inloggen kan "
                            "niemand van deze organisatie dan nog inloggen."), field="allowed")
    with transaction.atomic(), audited_by_service():
        organisation.local_login_allowed = allowed
        organisation.save(update_fields=["local_login_allowed", "updated_at"])
        record_event(actor=actor, action="organisation.local_login_changed", target_type=target_of(Organisation),
                     target_uuid=organisation.uuid, fields=["local_login_allowed"], purpose="gebruikersbeheer",
                     details={"reason": reason, "organisation": organisation.code, "allowed": allowed})
    return organisation


def set_acute_phone(organisation: Organisation, *, actor: User, phone: str) -> Organisation:
    """The number shown on an acute receipt of this municipality (configuration: audited, beheerder of the
    region only)."""
    region = _beheerder_region(actor)
    if organisation.region_id != region.pk or not organisation.is_municipality:
        raise DomainError(_("Deze organisatie bestaat niet."), code=_NOT_FOUND)
    phone = " ".join((phone or "").split())
    if organisation.acute_phone == phone:
        raise DomainError(_("Dit staat al zo ingesteld."), field="acute_phone")
    with transaction.atomic(), audited_by_service():
        before = organisation.acute_phone
        organisation.acute_phone = phone
        organisation.save(update_fields=["acute_phone", "updated_at"])
        record_event(actor=actor, action="organisation.acute_phone_changed", target_type=target_of(Organisation),
                     target_uuid=organisation.uuid, fields=["acute_phone"], purpose="gebruikersbeheer",
                     details={"organisation": organisation.code, "before": before, "after": phone})
    return organisation

