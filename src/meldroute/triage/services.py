"""The AF's decisions on a signal. Each takes the actor, runs in a transaction and writes its audit event."""

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from meldroute.accounts.models import User
from meldroute.audit.services import record_event
from meldroute.core.exceptions import DomainError
from meldroute.intake.constants import Outcome, SignalStatus
from meldroute.intake.models import Indicator, Signal
from meldroute.intake.services import ensure_af_of, is_af_of, transition_signal
from meldroute.organisations.models import Organisation

from .constants import Assessment, ExploitationForm, MeansOfControl, NoteSource, Sector
from .models import Classification, EnrichmentNote

TARGET = "intake.signal"


def _start_triage_if_new(signal: Signal, actor: User) -> None:
    if signal.status == SignalStatus.RECEIVED:
        transition_signal(signal, actor=actor, to_status=SignalStatus.IN_TRIAGE,
                          text=_("Opgepakt door %(name)s") % {"name": actor.get_full_name() or actor.username})


def assign_signal(signal: Signal, *, actor: User, assignee: User) -> Signal:
    """Give the signal to one of the municipality's AFs (oneself or the achtervang)."""
    ensure_af_of(actor, signal)
    if not is_af_of(assignee, signal.municipality_id):
        raise DomainError(_("Kies een aandachtsfunctionaris van deze gemeente."), field="assignee")
    if not signal.is_active:
        raise DomainError(_("Een afgesloten signaal kan niet worden toegewezen."))
    with transaction.atomic():
        previous = signal.assigned_to_id
        signal.assigned_to = assignee
        signal.save(update_fields=["assigned_to", "updated_at"])
        _start_triage_if_new(signal, actor)
        record_event(actor=actor, action="signal.assigned", target_type=TARGET, target_uuid=signal.uuid,
                     fields=["assigned_to"], purpose="behandeling signaal",
                     details={"from": previous, "to": assignee.pk})
    return signal


def add_enrichment_note(signal: Signal, *, actor: User, source: str, text: str) -> EnrichmentNote:
    ensure_af_of(actor, signal)
    text = (text or "").strip()
    if source not in NoteSource.values:
        raise DomainError(_("Kies de bron van deze informatie."), field="source")
    if not text:
        raise DomainError(_("Schrijf wat u heeft gevonden."), field="text")
    with transaction.atomic():
        note = EnrichmentNote.objects.create(signal=signal, source=source, text=text, author=actor)
        _start_triage_if_new(signal, actor)
        record_event(actor=actor, action="signal.enriched", target_type=TARGET, target_uuid=signal.uuid,
                     fields=["enrichment_notes"], purpose="verrijking signaal", details={"source": source})
    return note


def classify_signal(signal: Signal, *, actor: User, assessment: str, forms: Iterable[str] = (),
                    sector: str = "", indicators: Iterable[Indicator] = (),
                    means_of_control: Iterable[str] = ()) -> Classification:
    ensure_af_of(actor, signal)
    forms, means = sorted(set(forms)), sorted(set(means_of_control))
    if assessment not in Assessment.values:
        raise DomainError(_("Kies een beoordeling."), field="assessment")
    if any(f not in ExploitationForm.values for f in forms):
        raise DomainError(_("Onbekende vorm van uitbuiting."), field="exploitation_forms")
    if any(m not in MeansOfControl.values for m in means):
        raise DomainError(_("Onbekend middel van controle."), field="means_of_control")
    if sector and sector not in Sector.values:
        raise DomainError(_("Onbekende sector."), field="sector")
    if assessment != Assessment.NONE and not forms:
        raise DomainError(_("Kies bij een vermoeden van mensenhandel minstens één vorm van uitbuiting."),
                          field="exploitation_forms")
    with transaction.atomic():
        classification, created = Classification.objects.update_or_create(
            signal=signal,
            defaults={"assessment": assessment, "forms": forms, "sector": sector,
                      "means_of_control": means, "classified_by": actor})
        classification.indicators.set(list(indicators))
        _start_triage_if_new(signal, actor)
        record_event(actor=actor, action="signal.classified", target_type=TARGET, target_uuid=signal.uuid,
                     fields=["assessment", "forms", "sector", "indicators", "means_of_control"],
                     purpose="classificatie signaal",
                     details={"assessment": assessment, "forms": forms, "created": created})
    return classification


def route_signal(signal: Signal, *, actor: User, partner: Organisation, text: str = "") -> Signal:
    """Put the signal in the route towards a chain partner (the configurable route follows later)."""
    ensure_af_of(actor, signal)
    if partner.region_id != signal.municipality.region_id or partner.is_municipality:
        raise DomainError(_("Kies een ketenpartner in de eigen regio."), field="partner")
    note = _("Doorgezet naar %(partner)s") % {"partner": partner.name}
    with transaction.atomic():
        _start_triage_if_new(signal, actor)
        transition_signal(signal, actor=actor, to_status=SignalStatus.IN_ROUTE,
                          text=f"{note}. {text}".strip() if text else note, purpose="doorzetten in meldroute")
    return signal


def close_signal(signal: Signal, *, actor: User, outcome: str, text: str, phenomenon: str = "") -> Signal:
    ensure_af_of(actor, signal)
    if outcome not in Outcome.values:
        raise DomainError(_("Kies een uitkomst."), field="outcome")
    if outcome == Outcome.OTHER_PHENOMENON and not phenomenon:
        raise DomainError(_("Kies welk ander fenomeen het is, zodat het signaal niet verloren gaat."),
                          field="phenomenon")
    if outcome != Outcome.OTHER_PHENOMENON:
        phenomenon = ""
    with transaction.atomic():
        _start_triage_if_new(signal, actor)
        signal.outcome, signal.phenomenon = outcome, phenomenon
        transition_signal(signal, actor=actor, to_status=SignalStatus.CLOSED, text=text,
                          purpose="afsluiten signaal", extra_fields=["outcome", "phenomenon"])
    return signal


def reopen_signal(signal: Signal, *, actor: User, text: str) -> Signal:
    ensure_af_of(actor, signal)
    return transition_signal(signal, actor=actor, to_status=SignalStatus.REOPENED, text=text,
                             purpose="heropenen signaal")


def cancel_signal(signal: Signal, *, actor: User, text: str) -> Signal:
    ensure_af_of(actor, signal)
    return transition_signal(signal, actor=actor, to_status=SignalStatus.CANCELLED, text=text,
                             purpose="annuleren signaal")
