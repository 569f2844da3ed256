"""The public form for residents (SPEC A4, issue 16): the beheerder's switch per municipality, the rate limit, and
filing a resident's signal into the municipality's inbox.

A resident has no account: the signal has no reporter, is never acute (the page says: bij direct gevaar bel 112) and
nothing is ever shown back but its receipt code. The submitter's address is not stored: the rate limit counts under a
keyed hash of the address and the current window, and the worker deletes the counters of past windows."""

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, cast

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from meldroute.accounts.constants import Role
from meldroute.accounts.models import User
from meldroute.accounts.permissions import in_role
from meldroute.audit.services import record_event
from meldroute.audit.targets import target_of
from meldroute.core.exceptions import DomainError
from meldroute.organisations.models import Organisation

from .constants import Channel
from .models import Indicator, Signal
from .resident_models import ResidentForm, ResidentFormCounter
from .services import generate_reference, register_signal

# The short, plain-language indicator list residents see: the general signals of the signalenlijst.
RESIDENT_INDICATOR_FORM = "general"
_DEFAULT_LIMITS = {"per_address": 5, "overall": 200, "window_minutes": 60}


class ResidentFormClosed(DomainError):
    """The municipality does not offer the public form (the default)."""

    def __init__(self) -> None:
        super().__init__(_("Deze gemeente ontvangt geen meldingen van inwoners via dit formulier."), code="closed")


class Throttled(DomainError):
    """Too many submissions from one address, or from everyone together, within the current window."""

    def __init__(self, *, overall: bool) -> None:
        message = (_("Er komen op dit moment erg veel meldingen binnen. Probeer het later opnieuw, of meld via Meld "
                     "Misdaad Anoniem.") if overall else
                   _("Er zijn vanaf dit adres te veel meldingen verstuurd. Probeer het over een uur opnieuw, of meld "
                     "via Meld Misdaad Anoniem."))
        super().__init__(message, code="throttled")


def limits() -> dict[str, int]:
    configured = cast(dict[str, Any], settings.MELDROUTE.get("RESIDENT_FORM_LIMITS") or {})
    return {name: int(configured.get(name, default)) for name, default in _DEFAULT_LIMITS.items()}


# --- Reads (configuration only, no personal data) ----------------------------------------------------------------

def resident_form_of(municipality: Organisation) -> ResidentForm:
    """The municipality's setting; an unsaved one that is off when the beheerder never touched it."""
    found = ResidentForm.objects.filter(municipality=municipality).first()
    return found or ResidentForm(municipality=municipality, is_enabled=False)


def resident_indicators() -> Any:
    return Indicator.objects.filter(is_active=True, form=RESIDENT_INDICATOR_FORM)


# --- The beheerder's switch ---------------------------------------------------------------------------------------

def set_resident_form(municipality: Organisation, *, actor: User, is_enabled: bool, local_help_name: str = "",
                      local_help_url: str = "") -> ResidentForm:
    """Switch the public form on or off for a municipality of the beheerder's own region; audited."""
    if not (in_role(actor, Role.BEHEERDER, organisation=True) and municipality.is_municipality
            and actor.organisation is not None and actor.organisation.region_id == municipality.region_id):
        raise DomainError(_("Deze gemeente hoort niet bij uw regio."), code="not_found")
    values = {"is_enabled": is_enabled, "local_help_name": (local_help_name or "").strip(),
              "local_help_url": (local_help_url or "").strip()}
    with transaction.atomic():
        form, _created = ResidentForm.objects.select_for_update().get_or_create(municipality=municipality)
        changed = sorted(name for name, value in values.items() if getattr(form, name) != value)
        if not changed:
            return form
        for name, value in values.items():
            setattr(form, name, value)
        form.full_clean()
        form.save()
        record_event(actor=actor, action="resident_form.changed", target_type=target_of(form), target_uuid=form.uuid,
                     fields=changed, purpose="instelling inwonerformulier",
                     details={"municipality": municipality.code, "is_enabled": is_enabled})
    return form


# --- The rate limit ----------------------------------------------------------------------------------------------

def window_start(now: datetime) -> datetime:
    minutes = limits()["window_minutes"]
    epoch = datetime(2000, 1, 1, tzinfo=now.tzinfo)
    size = timedelta(minutes=minutes)
    return epoch + ((now - epoch) // size) * size


def counter_key(start: datetime, subject: str) -> str:
    """A keyed hash of the window and the subject: not reversible to an address, not linkable across windows."""
    return salted_hmac("meldroute.intake.resident_form", f"{start.isoformat()}|{subject}",
                       algorithm="sha256").hexdigest()


def count_submission(address: str) -> None:
    """Count one submission against the address's and the overall limit, or refuse with Throttled (nothing
    counted). Call inside the transaction that stores the signal, so a refused or failed submission costs nothing."""
    now = timezone.now()
    start = window_start(now)
    configured = limits()
    with transaction.atomic():
        for subject, limit, overall in ((f"address:{address}", configured["per_address"], False),
                                        ("overall", configured["overall"], True)):
            counter, _created = ResidentFormCounter.objects.select_for_update().get_or_create(
                key=counter_key(start, subject), window_start=start)
            if counter.count >= limit:
                raise Throttled(overall=overall)
            counter.count += 1
            counter.save(update_fields=["count"])


def purge_counters(now: datetime | None = None) -> int:
    """Delete the counters of past windows (the worker, every round)."""
    deleted, _per_model = ResidentFormCounter.objects.filter(
        window_start__lt=window_start(now or timezone.now())).delete()
    return deleted


# --- Filing -------------------------------------------------------------------------------------------------------

def register_resident_signal(municipality: Organisation, *, address: str, data: dict[str, Any],
                             indicators: Iterable[Indicator] = ()) -> Signal:
    """A resident's signal into the municipality's inbox: channel inwoner, never acute, no reporter. Refused when the
    municipality has the form off (ResidentFormClosed) or the limit is reached (Throttled); then nothing is stored."""
    allowed = set(resident_indicators().values_list("pk", flat=True))
    chosen = [indicator for indicator in indicators if indicator.pk in allowed]
    with transaction.atomic():
        if not ResidentForm.objects.select_for_update().filter(municipality=municipality, is_enabled=True).exists():
            raise ResidentFormClosed
        count_submission(address)
        return register_signal(actor=None, municipality=municipality, is_acute=False, data=data, indicators=chosen,
                               channel=Channel.PUBLIC)


def absorb_honeypot(municipality: Organisation, *, address: str) -> str:
    """A submission with the hidden field filled in (a script): it looks accepted — a receipt code that belongs to no
    signal — but nothing is stored. It still counts against the limit, so a script cannot flood even the decoy."""
    if not resident_form_of(municipality).is_enabled:
        raise ResidentFormClosed
    count_submission(address)
    return generate_reference()
