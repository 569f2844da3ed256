"""The AF's decisions on a signal. Each takes the actor, runs in a transaction and writes its audit event."""

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from meldroute.accounts.models import User
from meldroute.accounts.permissions import ensure_af_of, is_af_of
from meldroute.accounts.selectors import af_for_duty
from meldroute.audit.services import record_access, record_event
from meldroute.audit.targets import target_of
from meldroute.core.dates import readable_iso
from meldroute.core.exceptions import DomainError
from meldroute.core.jobs import claim_send_audit
from meldroute.core.language import in_record_language, recorded
from meldroute.core.mail import send_template_mail
from meldroute.intake import events
from meldroute.intake.constants import FEEDBACK_CLOCK_STATUSES, Outcome, Phenomenon, SignalStatus
from meldroute.intake.models import Feedback, Indicator, InformationRequest, Signal
from meldroute.intake.services import config, responsible_af_addresses, transition_signal
from meldroute.organisations.constants import AfDuty
from meldroute.organisations.models import Organisation
from meldroute.partners.models import DirectoryEntry
from meldroute.partners.selectors import phenomenon_receiver
from meldroute.referrals.constants import ReferralKind
from meldroute.referrals.services import create_referral
from meldroute.routing.constants import StepActor, StepState
from meldroute.routing.models import SignalRouteStep
from meldroute.routing.services import open_steps as open_route_steps

from . import linking
from .adapters import AdapterError, NotFound, brp, kvk
from .constants import Assessment, ExploitationForm, LinkKind, MeansOfControl, NoteSource, Sector
from .models import Classification, EnrichmentNote, Handover
from .timeline import assignment_text


def _start_triage_if_new(signal: Signal, actor: User, text: str = "") -> None:
    if signal.status == SignalStatus.RECEIVED:
        transition_signal(signal, actor=actor, to_status=SignalStatus.IN_TRIAGE,
                          text=text or recorded("Opgepakt door %(name)s",
                                                {"name": actor.get_full_name() or actor.username}))


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
        # Given to a colleague, the history says who gave it to whom, not that the one who clicked picked it up.
        _start_triage_if_new(signal, actor, text=in_record_language(assignment_text)(actor, assignee))
        record_event(actor=actor, action="signal.assigned", target_type=target_of(signal), target_uuid=signal.uuid,
                     fields=["assigned_to"], purpose="behandeling signaal",
                     details={"from": previous, "to": assignee.pk})
    return signal


# Who acts on a route step, as the duty of one of the municipality's AFs (accounts.User.af_duty).
DUTY_OF_ACTOR: dict[str, str] = {StepActor.AF_OOV: AfDuty.OOV, StepActor.AF_ZORG: AfDuty.ZORG}


def assign_by_route(step: SignalRouteStep) -> User | None:
    """A route step for the AF OOV or the AF Zorg, Werk en Inkomen became active: the signal goes to the AF the
    municipality recorded for that duty, or to the achtervang while that one is absent (accounts.selectors.af_for_duty).
    It stays where it is when it is already with the present holder of an active step's duty, or when the
    municipality recorded nobody for the duty. Runs inside the route's transaction (triage.receivers)."""
    duty = DUTY_OF_ACTOR.get(step.actor)
    if duty is None or step.state != StepState.ACTIVE:
        return None
    signal = Signal.objects.select_related("assigned_to").get(pk=step.signal_route.signal_id)
    if not signal.is_active:
        return None
    current = signal.assigned_to
    active_duties = {DUTY_OF_ACTOR[actor] for actor in SignalRouteStep.objects.filter(
        signal_route_id=step.signal_route_id, state=StepState.ACTIVE, actor__in=list(DUTY_OF_ACTOR))
        .values_list("actor", flat=True)}
    if current is not None and current.af_duty in active_duties and not current.is_absent():
        return None
    assignee = af_for_duty(signal.municipality_id, duty)
    if assignee is None or assignee.pk == signal.assigned_to_id:
        return None
    signal.assigned_to = assignee
    signal.save(update_fields=["assigned_to", "updated_at"])
    record_event(actor=None, action="signal.assigned", target_type=target_of(signal), target_uuid=signal.uuid,
                 fields=["assigned_to"], purpose="toewijzing volgens de meldroute",
                 details={"from": current.pk if current else None, "to": assignee.pk, "step": step.key,
                          "duty": duty, "achtervang": assignee.af_duty != duty})
    return assignee


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
        record_event(actor=actor, action="signal.enriched", target_type=target_of(signal), target_uuid=signal.uuid,
                     fields=["enrichment_notes"], purpose="verrijking signaal", details={"source": source})
    return note


def classify_signal(signal: Signal, *, actor: User, assessment: str, forms: Iterable[str] = (),
                    sector: str = "", indicators: Iterable[Indicator] = (),
                    means_of_control: Iterable[str] = (), route_facts: dict[str, Any] | None = None) -> Classification:
    """Record the AF's assessment; with it what the route branches on (forms, assessment, and `route_facts`:
    side, prostitution, minor, meldcode), which completes the route's enrichment step."""
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
        # The signal's copy for the dashboards (intake.Signal.classified_*): kept here, and only here, in the
        # same transaction. classified_at is when it was first classified, as the classification's created_at.
        signal.classified_at = classification.created_at
        signal.classified_forms, signal.classified_sector = forms, sector
        signal.save(update_fields=["classified_at", "classified_forms", "classified_sector", "updated_at"])
        _start_triage_if_new(signal, actor)
        record_event(actor=actor, action="signal.classified", target_type=target_of(signal), target_uuid=signal.uuid,
                     fields=["assessment", "forms", "sector", "indicators", "means_of_control", "classified_at",
                             "classified_forms", "classified_sector"],
                     purpose="classificatie signaal",
                     details={"assessment": assessment, "forms": forms, "created": created})
        facts = {"forms": forms, "assessment": assessment, **(route_facts or {})}
        if sector == Sector.SEX_WORK:
            facts["prostitution"] = True
        events.signal_classified.send(sender=Signal, instance=signal, actor=actor, facts=facts)
    return classification


def route_signal(signal: Signal, *, actor: User, partner: Organisation, text: str = "") -> Signal:
    """Put the signal in the route towards a chain partner (the configurable route follows later)."""
    ensure_af_of(actor, signal)
    if partner.region_id != signal.municipality.region_id or partner.is_municipality:
        raise DomainError(_("Kies een ketenpartner in de eigen regio."), field="partner")
    note = recorded("Doorgezet naar %(partner)s", {"partner": partner.name})
    with transaction.atomic():
        _start_triage_if_new(signal, actor)
        transition_signal(signal, actor=actor, to_status=SignalStatus.IN_ROUTE,
                          text=f"{note}. {text}".strip() if text else note, purpose="doorzetten in meldroute")
    return signal


def close_signal(signal: Signal, *, actor: User, outcome: str, text: str, phenomenon: str = "",
                 end_steps: Iterable[str] | None = None, end_reason: str = "") -> Signal:
    """Close the signal. With route steps still open, the AF says which of them end (`end_steps`, their keys) and
    why (`end_reason`): the ended steps keep the reason, the others stay open, and the history names both.
    Without a choice (`end_steps` None: the API, older clients) every open step ends, as before."""
    ensure_af_of(actor, signal)
    if outcome not in Outcome.values:
        raise DomainError(_("Kies een uitkomst."), field="outcome")
    if outcome == Outcome.OTHER_PHENOMENON and not phenomenon:
        raise DomainError(_("Kies welk ander fenomeen het is, zodat het signaal niet verloren gaat."),
                          field="phenomenon")
    if outcome != Outcome.OTHER_PHENOMENON:
        phenomenon = ""
    route_end = None
    if end_steps is not None:
        open_steps = {step.key: step for step in open_route_steps(signal)}
        chosen = [key for key in dict.fromkeys(end_steps) if key]
        unknown = [key for key in chosen if key not in open_steps]
        if unknown:
            raise DomainError(_("Deze routestap staat niet (meer) open; vernieuw de pagina."), field="end_steps")
        end_reason = " ".join((end_reason or "").split())
        if chosen and not end_reason:
            raise DomainError(_("Schrijf waarom deze routestappen eindigen."), field="end_reason")
        lines = [(text or "").strip()]
        if chosen:
            lines.append(recorded("Routestappen beëindigd: %(steps)s. Reden: %(reason)s", {
                "steps": "; ".join(open_steps[key].title for key in chosen), "reason": end_reason}))
        kept = [step.title for key, step in open_steps.items() if key not in chosen]
        if kept:
            lines.append(recorded("Routestappen blijven open: %(steps)s.", {"steps": "; ".join(kept)}))
        text = "\n".join(line for line in lines if line)
        route_end = {"steps": chosen, "note": end_reason}
    with transaction.atomic():
        _start_triage_if_new(signal, actor)
        signal.outcome, signal.phenomenon = outcome, phenomenon
        transition_signal(signal, actor=actor, to_status=SignalStatus.CLOSED, text=text,
                          purpose="afsluiten signaal", extra_fields=["outcome", "phenomenon"], route_end=route_end)
    return signal


def hand_over_signal(signal: Signal, *, actor: User, phenomenon: str, text: str,
                     receiver_organisation: Organisation | None = None, directory_entry: DirectoryEntry | None = None,
                     purpose: str = "", legal_ground: str = "", categories: Iterable[str] = (),
                     receiver_name: str = "", contact: str = "", handed_over_on: date | None = None) -> Handover:
    """"Geen mensenhandel, ander fenomeen" (seed 000 §4.2): hand the signal on instead of only labelling it, then
    close it with that outcome. With a receiver in Meldroute (an organisation or a wegwijzer entry) it goes out as a
    referral of its own kind (referrals.services.create_referral: the sharing rules decide what goes along); else it
    is recorded as passed on outside Meldroute, to whom (`receiver_name`, `contact`) and when (`handed_over_on`)."""
    ensure_af_of(actor, signal)
    text = (text or "").strip()
    if phenomenon not in Phenomenon.values:
        raise DomainError(_("Kies welk ander fenomeen het is, zodat het signaal niet verloren gaat."),
                          field="phenomenon")
    if not signal.is_active:
        raise DomainError(_("Een afgesloten signaal kan niet meer worden doorgegeven."))
    if not text:
        raise DomainError(_("Geef een toelichting bij het afsluiten."), field="text")
    proposal = phenomenon_receiver(signal.municipality.region_id, phenomenon)
    proposed = proposal.receiver_name if proposal else ""
    label = Phenomenon(phenomenon).label
    today = timezone.localdate()
    if receiver_organisation is not None or directory_entry is not None:
        # The referral is its own step with its own audit events (a refused share stays on record as one).
        referral = create_referral(
            signal, actor=actor, receiver_organisation=receiver_organisation, directory_entry=directory_entry,
            purpose=purpose, legal_ground=legal_ground, categories=categories, kind=ReferralKind.PHENOMENON,
            phenomenon=phenomenon, note=recorded("Overdracht ander fenomeen: %(phenomenon)s", {"phenomenon": label}))
        values = {"referral": referral, "receiver_name": referral.receiver_name, "contact": "",
                  "handed_over_on": today}
        line = recorded("Geen mensenhandel, ander fenomeen (%(phenomenon)s): doorverwezen naar %(name)s.", {
            "phenomenon": label, "name": referral.receiver_name})
    else:
        receiver_name, contact = " ".join((receiver_name or "").split()), " ".join((contact or "").split())
        if not receiver_name:
            raise DomainError(_("Vul in aan wie u het signaal heeft doorgegeven."), field="receiver_name")
        if not contact:
            raise DomainError(_("Vul de contactpersoon of afdeling in die het heeft ontvangen."), field="contact")
        if len(receiver_name) > 160 or len(contact) > 160:
            raise DomainError(_("Gebruik maximaal 160 tekens."), field="receiver_name" if len(receiver_name) > 160
                              else "contact")
        if handed_over_on is None:
            raise DomainError(_("Vul in wanneer u het heeft doorgegeven."), field="handed_over_on")
        if handed_over_on > today:
            raise DomainError(_("Kies een datum tot en met vandaag."), field="handed_over_on")
        values = {"referral": None, "receiver_name": receiver_name, "contact": contact,
                  "handed_over_on": handed_over_on}
        line = recorded("Geen mensenhandel, ander fenomeen (%(phenomenon)s): buiten Meldroute doorgegeven aan "
                        "%(name)s (%(contact)s) op %(date)s.",
                        {"phenomenon": label, "name": receiver_name, "contact": contact,
                         "date": handed_over_on.strftime("%d-%m-%Y")})
    with transaction.atomic():
        signal.refresh_from_db()
        handover = Handover.objects.create(signal=signal, phenomenon=phenomenon, proposed_receiver=proposed,
                                           handed_over_by=actor, **values)
        record_event(actor=actor, action="signal.handed_over", target_type=target_of(signal), target_uuid=signal.uuid,
                     fields=["handovers"], purpose="overdracht ander fenomeen",
                     details={"phenomenon": phenomenon, "via": "referral" if handover.via_referral else "outside",
                              "as_proposed": handover.receiver_name == proposed,
                              **({"referral": str(handover.referral.uuid)} if handover.referral else {})})
        close_signal(signal, actor=actor, outcome=Outcome.OTHER_PHENOMENON, phenomenon=phenomenon,
                     text=f"{line} {text}")
    return handover


def reopen_signal(signal: Signal, *, actor: User, text: str) -> Signal:
    ensure_af_of(actor, signal)
    return transition_signal(signal, actor=actor, to_status=SignalStatus.REOPENED, text=text,
                             purpose="heropenen signaal")


def cancel_signal(signal: Signal, *, actor: User, text: str) -> Signal:
    ensure_af_of(actor, signal)
    return transition_signal(signal, actor=actor, to_status=SignalStatus.CANCELLED, text=text,
                             purpose="annuleren signaal")


# --- Questions to the reporter and feedback (the AF's side; the reporter answers in intake) ------------------------

def request_information(signal: Signal, *, actor: User, question: str, days: int | None = None) -> InformationRequest:
    ensure_af_of(actor, signal)
    question = (question or "").strip()
    if not question:
        raise DomainError(_("Schrijf de vraag aan de melder."), field="question")
    if signal.reporter_id is None:
        raise DomainError(_("Dit signaal heeft geen melder die in de applicatie kan antwoorden."))
    days = days or config("INFORMATION_REQUEST_DAYS")
    with transaction.atomic():
        request = InformationRequest.objects.create(
            signal=signal, question=question, asked_by=actor, expires_at=timezone.now() + timedelta(days=days))
        if signal.status == SignalStatus.RECEIVED:  # asking is a first action, like those in triage
            transition_signal(signal, actor=actor, to_status=SignalStatus.IN_TRIAGE,
                              text=recorded("Opgepakt door %(name)s",
                                            {"name": actor.get_full_name() or actor.username}))
        transition_signal(signal, actor=actor, to_status=SignalStatus.INFO_REQUESTED,
                          text=recorded("Vraag aan melder, verloopt %(date)s",
                                        {"date": timezone.localtime(request.expires_at).strftime("%d-%m-%Y")}),
                          purpose="informatie opvragen bij melder")
        record_event(actor=actor, action="signal.information_requested", target_type=target_of(signal),
                     target_uuid=signal.uuid, fields=["question"], purpose="informatie opvragen bij melder")
        transaction.on_commit(lambda: notify_reporter(signal.pk, "question"), robust=True)
    return request


def expire_information_requests(now: datetime | None = None) -> int:
    """Close questions past their expiry; the signal returns to triage. Safe to run repeatedly."""
    now = now or timezone.now()
    expired = 0
    due = InformationRequest.objects.filter(answered_at__isnull=True, expired_at__isnull=True,
                                            expires_at__lte=now).select_related("signal")
    for request in due:
        with transaction.atomic():
            updated = InformationRequest.objects.filter(pk=request.pk, expired_at__isnull=True).update(
                expired_at=now, updated_at=now)
            if not updated:
                continue
            signal = Signal.objects.select_for_update().get(pk=request.signal_id)
            if signal.status == SignalStatus.INFO_REQUESTED:
                transition_signal(signal, actor=None, to_status=SignalStatus.IN_TRIAGE,
                                  text=recorded("Vraag aan melder verlopen zonder antwoord."),
                                  purpose="termijnbewaking")
            expired += 1
    return expired


def give_feedback(signal: Signal, *, actor: User, text: str) -> Feedback:
    """Write the terugkoppeling the reporter will read."""
    ensure_af_of(actor, signal)
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Schrijf de terugkoppeling voor de melder."), field="text")
    now = timezone.now()
    with transaction.atomic():
        feedback = Feedback.objects.create(signal=signal, text=text, author=actor)
        changed = []
        # Feedback written before the clock started is interim; it does not settle what is owed.
        if signal.feedback_due_at is not None and signal.feedback_sent_at is None:
            signal.feedback_sent_at = now
            changed.append("feedback_sent_at")
            if signal.status in FEEDBACK_CLOCK_STATUSES:
                signal.deadline_at = None
                changed.append("deadline_at")
            signal.save(update_fields=[*changed, "updated_at"])
        record_event(actor=actor, action="signal.feedback_given", target_type=target_of(signal),
                     target_uuid=signal.uuid,
                     fields=["feedback", *changed], purpose="terugkoppeling aan melder")
        events.feedback_given.send(sender=Signal, instance=signal, actor=actor, feedback=feedback)
        transaction.on_commit(lambda: notify_reporter(signal.pk, "feedback"), robust=True)
    return feedback


def send_feedback_reminders(now: datetime | None = None) -> int:
    """Remind the assigned AF (or all AFs) once per signal whose feedback is overdue."""
    now = now or timezone.now()
    overdue = (Signal.objects.feedback_overdue(now).filter(feedback_reminder_sent_at__isnull=True)
               .select_related("municipality", "assigned_to"))
    return sum(_remind_feedback(signal, now) for signal in overdue)


def _remind_feedback(signal: Signal, now: datetime) -> bool:
    return claim_send_audit(
        claim=lambda: Signal.objects.filter(pk=signal.pk, feedback_reminder_sent_at__isnull=True).update(
            feedback_reminder_sent_at=now),
        recipients=lambda: responsible_af_addresses(signal), mail="triage/mail/feedback_reminder",
        context=lambda: {"ref": signal.reference,
                         "link": config("BASE_URL") + reverse("triage:signal", args=[signal.uuid])},
        audit=lambda sent_to: record_event(
            actor=None, action="signal.feedback_reminder_sent", target_type=target_of(signal), target_uuid=signal.uuid,
            fields=["feedback_reminder_sent_at"], purpose="termijnbewaking", details={"recipients": len(sent_to)}))


def notify_reporter(signal_id: int, reason: str) -> None:
    """Tell the reporter there is something for them in Meldroute (reason: "feedback" or "question"). The mail
    holds a code and a link, no content."""
    signal = Signal.objects.select_related("reporter").get(pk=signal_id)
    if signal.reporter is None or not signal.reporter.email:
        return
    link = config("BASE_URL") + reverse("intake:my_signal", args=[signal.uuid])
    send_template_mail(f"triage/mail/reporter_{reason}", {"ref": signal.reference, "link": link},
                       [signal.reporter.email], fail_silently=True)


# --- Lookups in the basic registers (SPEC B2) ---------------------------------------------------------------------
# The register is asked before the transaction opens: a slow or absent register must not hold database locks.

MANY_RESIDENTS = 5  # from this many people registered at one address the note says so: a key indicator


def _check_lookup(signal: Signal, actor: User, purpose: str) -> str:
    ensure_af_of(actor, signal)
    purpose = " ".join((purpose or "").split())
    if len(purpose) < 5:
        raise DomainError(_("Geef aan waarvoor u dit opvraagt (doelbinding)."), field="purpose")
    if len(purpose) > 150:
        raise DomainError(_("Beschrijf het doel in maximaal 150 tekens."), field="purpose")
    if not signal.is_active:
        raise DomainError(_("Een afgesloten signaal kan niet meer worden verrijkt."))
    return purpose


def _record_lookup(signal: Signal, actor: User, *, source: str, text: str, purpose: str, fields: list[str],
                   details: dict[str, Any], link: tuple[str, str, str] | None,
                   people: list[dict[str, str]] | None = None) -> EnrichmentNote:
    label = {"brp": "BRP-bevraging", "kvk": "KvK-bevraging"}[source]
    with transaction.atomic():
        note = EnrichmentNote.objects.create(signal=signal, source=source, text=text, author=actor, purpose=purpose,
                                             retrieved_at=timezone.now(), people=people or [])
        if link:
            kind, key, link_label = link
            linking.add_link(signal, kind=kind, key=key, label=link_label, origin=source)
        _start_triage_if_new(signal, actor)
        # The register's answer is personal data read by this AF: access-logged with the fields asked for.
        record_access(actor=actor, target_type=f"{source}.bevraging", target_uuid=signal.uuid, fields=fields,
                      purpose=f"{label}: {purpose}")
        record_event(actor=actor, action="signal.looked_up", target_type=target_of(signal), target_uuid=signal.uuid,
                     fields=["enrichment_notes"], purpose=f"{label}: {purpose}", details={"source": source, **details})
    return note


def _person_record(person: brp.Person) -> dict[str, str]:
    """What a BRP person may bring into a case's persons (data minimisation: persons.Person's identity fields)."""
    return {"bsn": person.bsn, "first_name": person.first_names, "last_name": person.last_name,
            "name": person.name, "birth_date": person.birth_date,
            "address": str(person.residence) if person.residence else ""}


def _person_line(person: brp.Person) -> str:
    line = person.name
    if person.birth_date:
        line += recorded(", geboren %(date)s", {"date": readable_iso(person.birth_date)})
    if person.residence and person.residence.since:
        line += recorded(", ingeschreven sinds %(date)s", {"date": readable_iso(person.residence.since)})
    return line


def lookup_brp(signal: Signal, *, actor: User, purpose: str, bsn: str = "", postcode: str = "", street: str = "",
               house_number: int | None = None) -> EnrichmentNote:
    """Ask the BRP who a person is (by BSN) or who is registered at an address; the answer becomes a note."""
    purpose = _check_lookup(signal, actor, purpose)
    bsn = "".join((bsn or "").split()).replace(".", "")
    street = " ".join((street or "").split())
    if bsn and not brp.is_valid_bsn(bsn):
        raise DomainError(_("Dit is geen geldig burgerservicenummer (elfproef)."), field="bsn")
    if not bsn:
        if not house_number:
            raise DomainError(_("Vul een BSN in, of een huisnummer met postcode of straat."), field="house_number")
        if postcode and not linking.normalise_postcode(postcode):
            raise DomainError(_("Vul een Nederlandse postcode in, bijvoorbeeld 1234 AB."), field="postcode")
        if not postcode and not street:
            raise DomainError(_("Vul bij het huisnummer een postcode of een straat in."), field="postcode")
    try:
        client = brp.BrpClient.from_settings()
        if bsn:
            person = client.person_by_bsn(bsn)
            people = [person] if person else []
        elif postcode:
            people = client.residents_by_postcode(postcode, house_number or 0)
        else:
            people = client.residents_by_street(street, house_number or 0, signal.municipality.code)
    except AdapterError as error:
        raise DomainError(error.message) from error
    if bsn:
        if not people:
            raise DomainError(_("De BRP kent geen persoon met dit burgerservicenummer."), field="bsn")
        person = people[0]
        text = recorded("BRP, persoon met BSN eindigend op %(tail)s: %(line)s.", {"tail": bsn[-4:],
                                                                            "line": _person_line(person)})
        if person.residence:
            text += "\n" + recorded("Woonadres: %(address)s.", {"address": person.residence})
        link = (LinkKind.PERSON.value, linking.person_key(bsn), "")
    else:
        where = f"{linking.normalise_postcode(postcode)} {house_number}" if postcode else f"{street} {house_number}"
        if not people:
            text = recorded("BRP: op %(where)s staat niemand ingeschreven.", {"where": where})
        else:
            text = recorded("BRP: op %(where)s staan %(n)s personen ingeschreven:", {"where": where, "n": len(people)})
            text += "".join(f"\n- {_person_line(p)}" for p in people)
            if len(people) >= MANY_RESIDENTS:
                text += "\n" + recorded("Let op: veel personen ingeschreven op één adres.")
        link = None
    return _record_lookup(signal, actor, source=NoteSource.BRP, text=text, purpose=purpose,
                          fields=[f"brp.{f}" for f in brp.PERSON_FIELDS],
                          details={"query": "bsn" if bsn else ("postcode" if postcode else "street"),
                                   "results": len(people)}, link=link,
                          people=[_person_record(p) for p in people])


def lookup_kvk(signal: Signal, *, actor: User, purpose: str, kvk_number: str = "", name: str = "") -> EnrichmentNote:
    """Ask the Handelsregister for a business's basisprofiel (by KvK number, or the first hit on its name)."""
    purpose = _check_lookup(signal, actor, purpose)
    kvk_number, name = "".join((kvk_number or "").split()), " ".join((name or "").split())
    if kvk_number and not linking.business_key(kvk_number):
        raise DomainError(_("Een KvK-nummer bestaat uit 8 cijfers."), field="kvk_number")
    if not kvk_number and len(name) < 2:
        raise DomainError(_("Vul een KvK-nummer of een bedrijfsnaam in."), field="kvk_number")
    others: list[kvk.SearchHit] = []
    try:
        client = kvk.KvkClient.from_settings()
        if not kvk_number:
            hits = client.search(name=name)
            if not hits:
                raise DomainError(_("De KvK vond geen bedrijf met deze naam."), field="name")
            kvk_number, others = hits[0].kvk_number, hits[1:]
        profile = client.profile(kvk_number)
    except NotFound as error:
        raise DomainError(error.message, field="kvk_number") from error
    except AdapterError as error:
        raise DomainError(error.message) from error
    lines = [recorded("KvK: %(name)s (KvK %(n)s).", {"name": profile.name, "n": profile.kvk_number})]
    if len(profile.trade_names) > 1:
        lines.append(recorded("Handelsnamen: %(names)s.", {"names": ", ".join(profile.trade_names)}))
    if profile.activities:
        lines.append(recorded("Activiteit: %(a)s.", {"a": "; ".join(profile.activities)}))
    if profile.started_on:
        lines.append(recorded("Ingeschreven sinds %(date)s.", {"date": readable_iso(profile.started_on)}))
        if profile.started_on > (timezone.localdate().replace(day=1) - timedelta(days=365)).isoformat():
            lines.append(recorded("Let op: korter dan een jaar ingeschreven."))
    if profile.employees is not None:
        lines.append(recorded("Werkzame personen: %(n)s.", {"n": profile.employees}))
    if profile.address:
        lines.append(recorded("Bezoekadres: %(address)s.", {"address": profile.address}))
    if others:
        lines.append(recorded("Gezocht op naam; ook gevonden: %(others)s.",
                              {"others": ", ".join(f"{h.name} (KvK {h.kvk_number})" for h in others[:5])}))
    business = linking.business_key(profile.kvk_number)
    return _record_lookup(signal, actor, source=NoteSource.KVK, text="\n".join(lines), purpose=purpose,
                          fields=[f"kvk.{f}" for f in kvk.PROFILE_FIELDS],
                          details={"query": "kvk_number" if not others and not name else "name"},
                          link=(LinkKind.BUSINESS.value, *business) if business else None)
