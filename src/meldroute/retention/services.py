"""Retention's writes: apply the plan (anonymise or delete, one trace per rule in the audit chain — type, rule, when,
how many, never content), the once-a-day claim of the worker, and holds."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meldroute.audit.services import record_event
from meldroute.care.models import CareTrajectory, Placement
from meldroute.cases.models import Case, CaseAction, CaseStatusChange, Intervention
from meldroute.core.exceptions import DomainError
from meldroute.core.language import recorded
from meldroute.intake.models import Attachment, Feedback, InformationRequest, Signal, SignalStatusChange
from meldroute.meetings.models import AgendaItem, CaseAgendaRequest
from meldroute.persons.models import Consent, ConsentOverride, Person
from meldroute.referrals.models import Referral, ReferralLink, ReferralMessage, ReferralStatusChange
from meldroute.routing.models import SignalRouteStep
from meldroute.triage.models import EnrichmentNote, SignalLink

from .models import HoldTarget, RetentionHold, RetentionMark, RetentionRun
from .rules import Rule, rule
from .selectors import Item, RuleReport, retention_plan

PURPOSE = "bewaartermijn verstreken"
ANONYMISED = "[geanonimiseerd]"


def _clear_history_texts(model: type[models.Model], **lookup: Any) -> None:
    """Status histories are append-only (core.AppendOnlyModel refuses update and delete); retention is the one writer
    allowed to clear their free text at the end of its term. The row — from, to, who, when — stays."""
    models.QuerySet(model=model).filter(**lookup).exclude(text="").update(text="")


def _delete_attachment(attachment: Attachment) -> None:
    """The encrypted file on disk goes first, then the row: 'really gone', not only unlinked."""
    if attachment.file:
        attachment.file.storage.delete(attachment.file.name)
    attachment.delete()


def _anonymise_signal(signal: Signal) -> None:
    for attachment in signal.attachments.all():
        _delete_attachment(attachment)
    for name in ("description", "address", "postcode", "business_name", "kvk_number", "location_description",
                 "observed_time", "persons_description"):
        setattr(signal, name, "")
    signal.observed_on = None
    index_fields = [f.name for f in Signal._meta.concrete_fields if f.name.endswith("_index")]
    signal.save(update_fields=[*Signal.PERSONAL_FIELDS, *index_fields, "updated_at"])  # blind indexes recomputed: ""
    InformationRequest.objects.filter(signal=signal).update(question="", answer="")
    Feedback.objects.filter(signal=signal).update(text="")
    _clear_history_texts(SignalStatusChange, signal=signal)
    EnrichmentNote.objects.filter(signal=signal).delete()
    SignalLink.objects.filter(signal=signal).delete()
    SignalRouteStep.objects.filter(signal_route__signal=signal).exclude(note="").update(note="")
    AgendaItem.objects.filter(signal=signal).exclude(action="").update(action="")
    # A referral keeps its own record (who, to whom, why, on which ground, categories); what left of the signal goes.
    Referral.objects.filter(signal=signal).update(shared_data={})
    ReferralLink.objects.filter(referral__signal=signal).delete()
    ReferralMessage.objects.filter(referral__signal=signal).delete()


def _anonymise_referral(referral: Referral) -> None:
    referral.shared_data = {}
    referral.purpose = ""
    # A rejected referral must name a reason and a finished one its outcome (referrals' constraints): a marker stays.
    referral.reason = ANONYMISED if referral.reason else ""
    referral.outcome = ANONYMISED if referral.outcome else ""
    referral.outcome_handed_to = ""
    referral.save(update_fields=["shared_data", "purpose", "reason", "outcome", "outcome_handed_to", "updated_at"])
    ReferralMessage.objects.filter(referral=referral).delete()
    _clear_history_texts(ReferralStatusChange, referral=referral)
    ReferralLink.objects.filter(referral=referral).delete()


PERSON_IDENTITY = {"first_name": "", "last_name": "", "bsn": "", "birth_date": None, "address": "", "phone": "",
                   "bsn_hash": "", "name_hash": "", "place_of_recruitment": "", "place_of_exploitation": ""}


def _anonymise_person(person: Person) -> None:
    for name, value in PERSON_IDENTITY.items():
        setattr(person, name, value)
    person.save(update_fields=[*PERSON_IDENTITY, "updated_at"])
    Consent.objects.filter(person=person).exclude(withdrawal_reason="").update(withdrawal_reason="")
    ConsentOverride.objects.filter(person=person).update(reason="")


def _anonymise_case(case: Case) -> None:
    case.title = recorded("Geanonimiseerde casus")
    case.result_text = ""
    case.save(update_fields=["title", "result_text", "updated_at"])
    _clear_history_texts(CaseStatusChange, case=case)
    CaseAction.objects.filter(case=case).update(description="", note="")
    Intervention.objects.filter(case=case).update(address="", business_name="", kvk_number="", result="")
    CaseAgendaRequest.objects.filter(case=case).update(reason="")
    AgendaItem.objects.filter(case=case).exclude(action="").update(action="")
    for person in Person.objects.filter(case=case, care__isnull=True):  # with care: the care rule, later
        _anonymise_person(person)


def _anonymise_intervention(intervention: Intervention) -> None:
    # Without a case an intervention must name an address, business or KvK number (cases' constraint): a marker stays.
    intervention.address, intervention.business_name, intervention.kvk_number = ANONYMISED, "", ""
    intervention.result = ""
    intervention.save(update_fields=["address", "business_name", "kvk_number", "result", "updated_at"])


def _anonymise_care(trajectory: CareTrajectory) -> None:
    trajectory.responsible_override_reason = ""
    trajectory.save(update_fields=["responsible_override_reason", "updated_at"])
    Placement.objects.filter(trajectory=trajectory).update(provider="")
    trajectory.permit_events.update(note="")
    _anonymise_person(trajectory.person)


ACTIONS: dict[str, tuple[type[models.Model], Callable[[Any], None]]] = {
    "attachments": (Attachment, _delete_attachment),
    "signal_no_follow_up": (Signal, _anonymise_signal),
    "signal_followed_up": (Signal, _anonymise_signal),
    "referral": (Referral, _anonymise_referral),
    "case_closed": (Case, _anonymise_case),
    "intervention": (Intervention, _anonymise_intervention),
    "care_trajectory": (CareTrajectory, _anonymise_care),
}


def _apply_one(rule_key: str, uuid: UUID) -> bool:
    """Anonymise or delete one record; False when it is gone already (removed since the plan was made)."""
    model, action = ACTIONS[rule_key]
    record = model._default_manager.select_for_update().filter(uuid=uuid).first()
    if record is None:
        return False
    action(record)
    return True


@dataclass(frozen=True)
class Applied:
    rule: Rule
    items: list[Item]


def apply_plan(plan: list[RuleReport], *, now: datetime, actor: Any = None) -> list[Applied]:
    """Carry out what the plan says is due (never the held items), rule by rule, each rule in one transaction with
    its one audit trace: record type, rule, term, action, how many — no ids, no content."""
    done = []
    for report in plan:
        applied: list[Item] = []
        with transaction.atomic():
            for item in report.due:
                if _apply_one(report.rule.key, item.target_uuid):
                    applied.append(item)
                    if report.rule.action.value == "anonymise":
                        RetentionMark.objects.create(rule=report.rule.key, target_type=report.rule.target_type,
                                                     target_uuid=item.target_uuid, applied_at=now)
            if applied:
                record_event(actor=actor, actor_label="" if actor else "bewaartermijnen (dagelijks)",
                             action=f"retention.{report.rule.action.value}", target_type=report.rule.target_type,
                             purpose=PURPOSE, details={"rule": report.rule.key, "months": report.rule.months,
                                                       "count": len(applied), "at": now.isoformat(),
                                                       "held": len(report.held)})
        done.append(Applied(report.rule, applied))
    return done


def apply_retention(now: datetime | None = None, *, actor: Any = None) -> list[Applied]:
    """The real run: exactly what `retention_plan(now)` reports as due."""
    now = now or timezone.now()
    return apply_plan(retention_plan(now), now=now, actor=actor)


def run_daily_retention(now: datetime) -> int:
    """The worker's job: the first round of each day claims the day and runs; the others do nothing. Claim and run
    are one transaction: a run that fails releases the day, and the next round tries again."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                run = RetentionRun.objects.create(day=timezone.localdate(now), started_at=now)
        except IntegrityError:
            return 0
        applied = apply_retention(now)
        run.counts = {a.rule.key: len(a.items) for a in applied}
        run.save(update_fields=["counts"])
    return sum(len(a.items) for a in applied)


def _find_target(region_id: int, reference: str) -> tuple[str, UUID, str] | None:
    code = reference.strip().upper()
    signal = Signal.objects.filter(reference__iexact=code, municipality__region_id=region_id).values_list(
        "uuid", "reference").first()
    if signal:
        return HoldTarget.SIGNAL, signal[0], signal[1]
    case = Case.objects.filter(reference__iexact=code, municipality__region_id=region_id).values_list(
        "uuid", "reference").first()
    if case:
        return HoldTarget.CASE, case[0], case[1]
    return None


def place_hold(*, actor: Any, region_id: int, reference: str, reason: str, until: date) -> RetentionHold:
    """Keep a signal or case (by its code, in the actor's region) out of retention until `until`."""
    if until < timezone.localdate():
        raise DomainError(_("De einddatum ligt in het verleden."), field="until")
    target = _find_target(region_id, reference)
    if target is None:  # the same words for "does not exist" and "not in your region": nothing to learn
        raise DomainError(_("Geen signaal of casus met deze code in uw regio."), field="reference")
    target_type, target_uuid, code = target
    with transaction.atomic():
        hold = RetentionHold.objects.create(region_id=region_id, target_type=target_type, target_uuid=target_uuid,
                                            reference=code, reason=reason, until=until, placed_by=actor)
        record_event(actor=actor, action="retention.hold_placed", target_type=RetentionHold.audit_target,
                     target_uuid=hold.uuid, fields=["target_type", "target_uuid", "reason", "until"],
                     purpose="bewaartermijn opgeschort",
                     details={"target_type": target_type, "until": until.isoformat()})
    return hold


def lift_hold(hold: RetentionHold, *, actor: Any) -> RetentionHold:
    with transaction.atomic():
        hold = RetentionHold.objects.select_for_update().get(pk=hold.pk)
        if hold.lifted_at is not None:
            raise DomainError(_("Deze blokkade is al opgeheven."))
        hold.lifted_at, hold.lifted_by = timezone.now(), actor
        hold.save(update_fields=["lifted_at", "lifted_by", "updated_at"])
        record_event(actor=actor, action="retention.hold_lifted", target_type=RetentionHold.audit_target,
                     target_uuid=hold.uuid, fields=["lifted_at"], purpose="blokkade bewaartermijn opgeheven")
    return hold


__all__ = ["Applied", "apply_plan", "apply_retention", "lift_hold", "place_hold", "rule", "run_daily_retention"]
