"""Every write to a referral: sending it (rule-checked), the partner's answer, revoking, and personal links."""

import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from meldroute.accounts.constants import Role
from meldroute.accounts.models import User
from meldroute.accounts.permissions import ensure_af_of
from meldroute.audit.services import record_event
from meldroute.audit.targets import target_of
from meldroute.core.exceptions import DomainError
from meldroute.core.language import in_record_language, recorded, recorded_label
from meldroute.intake import events
from meldroute.intake.constants import Phenomenon, SignalStatus
from meldroute.intake.models import Signal
from meldroute.intake.services import transition_signal
from meldroute.organisations.models import Organisation
from meldroute.partners.constants import DataCategory, ExploitationForm, LegalGround
from meldroute.partners.models import DirectoryEntry
from meldroute.partners.selectors import partner_type_of
from meldroute.partners.services import check_share

from .constants import ALLOWED_TRANSITIONS, TEXT_REQUIRED, OutcomeKind, ReferralKind, ReferralStatus
from .models import Referral, ReferralLink, ReferralMessage, ReferralStatusChange, hash_token

# A signal in these states can be referred; it then moves to FORWARDED (a new one is picked up first).
REFERABLE = frozenset({SignalStatus.RECEIVED, SignalStatus.IN_TRIAGE, SignalStatus.IN_ROUTE, SignalStatus.REOPENED,
                       SignalStatus.FORWARDED})


def link_days() -> int:
    days = settings.MELDROUTE.get("REFERRAL_LINK_DAYS", 14)
    return days if isinstance(days, int) else 14


def _name(user: User) -> str:
    return user.get_full_name() or user.username


# --- What goes out -------------------------------------------------------------------------------

def _choice_label(choices: Iterable[tuple[str, Any]], value: str) -> str:
    return str(dict(choices).get(value, value)) if value else ""


@in_record_language  # what the receiver reads: labels, dates and "ja"/"nee" in Dutch, whoever sends it
def collect_shared_data(signal: Signal, categories: Iterable[str], *, kind: str = ReferralKind.TRAFFICKING,
                        phenomenon: str = "") -> dict[str, dict[str, str]]:
    """The values of the authorised fields, as text, for exactly these categories and nothing more. A hand-over of
    another phenomenon carries its own classification fields (constants.PHENOMENON_CATEGORY_FIELDS)."""
    categories = set(categories)
    data: dict[str, dict[str, str]] = {}
    if DataCategory.SUMMARY in categories:
        data[DataCategory.SUMMARY] = {
            "reference": signal.reference, "received_on": date_format(timezone.localtime(signal.received_at)),
            "municipality": signal.municipality.name, "is_acute": _("ja") if signal.is_acute else _("nee")}
    if DataCategory.CLASSIFICATION in categories and kind == ReferralKind.PHENOMENON:
        data[DataCategory.CLASSIFICATION] = {"phenomenon": _choice_label(Phenomenon.choices, phenomenon),
                                             "assessment": _("Geen sprake van mensenhandel")}
    elif DataCategory.CLASSIFICATION in categories:
        # The classification lives in triage, above this app: it is reached through the signal's reverse relation.
        classification = getattr(signal, "classification", None)
        if classification is not None:
            data[DataCategory.CLASSIFICATION] = {
                "assessment": classification.get_assessment_display(),
                "forms": ", ".join(_choice_label(ExploitationForm.choices, f) for f in classification.forms),
                "sector": classification.get_sector_display() if classification.sector else "",
                "indicators": "; ".join(i.text for i in classification.indicators.all())}
        else:
            data[DataCategory.CLASSIFICATION] = {"indicators": "; ".join(i.text for i in signal.indicators.all())}
    if DataCategory.DESCRIPTION in categories:
        data[DataCategory.DESCRIPTION] = {
            "description": signal.description,
            "observed_on": date_format(signal.observed_on) if signal.observed_on else "",
            "observed_time": signal.observed_time}
    if DataCategory.LOCATION in categories:
        data[DataCategory.LOCATION] = {name: getattr(signal, name) for name in
                                       ("business_name", "address", "postcode", "kvk_number", "location_description")}
    if DataCategory.PERSONS in categories:
        data[DataCategory.PERSONS] = {"persons_description": signal.persons_description}
    if DataCategory.ENRICHMENT in categories:
        notes = getattr(signal, "enrichment_notes", None)
        lines = [f"{note.get_source_display()} ({date_format(timezone.localtime(note.created_at))}): {note.text}"
                 for note in (notes.all() if notes is not None else [])]
        data[DataCategory.ENRICHMENT] = {"notes": "\n\n".join(lines)}
    return data


# --- Sending -------------------------------------------------------------------------------------

def _receiver(signal: Signal, receiver_organisation: Organisation | None,
              directory_entry: DirectoryEntry | None) -> tuple[Organisation | None, DirectoryEntry | None, str, str]:
    """(organisation, entry, name, partner type) of the receiver, checked to belong to the signal's region."""
    region_id = signal.municipality.region_id
    if directory_entry is not None:
        if not directory_entry.is_active or directory_entry.region_id not in (None, region_id):
            raise DomainError(_("Kies een ketenpartner uit de wegwijzer van uw regio."), field="receiver")
        if receiver_organisation is not None and directory_entry.organisation_id != receiver_organisation.pk:
            raise DomainError(_("Kies óf een organisatie óf een ketenpartner uit de wegwijzer."), field="receiver")
        organisation = directory_entry.organisation
        return organisation, directory_entry, directory_entry.name, directory_entry.partner_type
    if receiver_organisation is None:
        raise DomainError(_("Kies naar wie u doorverwijst."), field="receiver")
    if receiver_organisation.is_municipality or receiver_organisation.region_id != region_id:
        raise DomainError(_("Kies een ketenpartner in de eigen regio."), field="receiver")
    return receiver_organisation, None, receiver_organisation.name, partner_type_of(receiver_organisation)


def create_referral(signal: Signal, *, actor: User, receiver_organisation: Organisation | None = None,
                    directory_entry: DirectoryEntry | None = None, purpose: str, legal_ground: str,
                    categories: Iterable[str], note: str = "", kind: str = ReferralKind.TRAFFICKING,
                    phenomenon: str = "", confirm_duplicate: bool = False) -> Referral:
    """Refer a signal to a chain partner with only the categories the sharing rule allows on the chosen ground.
    `kind` PHENOMENON hands over a signal of another phenomenon (naming it) with that kind's own field set.
    A second open referral of the signal to the same receiver is refused unless `confirm_duplicate` (issue 14)."""
    ensure_af_of(actor, signal)
    if kind not in ReferralKind.values:
        raise DomainError(_("Onbekende soort doorverwijzing."), field="kind")
    if kind == ReferralKind.PHENOMENON and phenomenon not in Phenomenon.values:
        raise DomainError(_("Kies welk ander fenomeen het is."), field="phenomenon")
    if kind == ReferralKind.TRAFFICKING:
        phenomenon = ""
    sender = actor.organisation
    assert sender is not None  # ensure_af_of: an AF of the signal's municipality
    if signal.status not in REFERABLE:
        raise DomainError(_("Een signaal met status '%(status)s' kan niet worden doorverwezen.")
                          % {"status": SignalStatus(signal.status).label})
    organisation, entry, receiver_name, partner_type = _receiver(signal, receiver_organisation, directory_entry)
    if not confirm_duplicate:
        same = (signal.referrals.open().filter(receiver_organisation=organisation) if organisation is not None
                else signal.referrals.open().filter(directory_entry=entry))
        earlier = same.order_by("created_at").first()
        if earlier is not None:
            raise DomainError(
                _("Dit signaal staat al open bij %(name)s (verstuurd %(date)s). Wilt u echt nog een doorverwijzing "
                  "sturen? Vink dan aan dat u dat wilt.")
                % {"name": receiver_name, "date": date_format(timezone.localtime(earlier.created_at))},
                field="confirm_duplicate", code="duplicate_referral")
    purpose = (purpose or "").strip()
    if not purpose:
        raise DomainError(_("Schrijf waarom u doorverwijst."), field="purpose")
    if legal_ground not in LegalGround.values:
        raise DomainError(_("Kies een grondslag."), field="legal_ground")
    chosen = {str(c) for c in categories} | {DataCategory.SUMMARY.value}  # the summary always goes along
    categories = [c for c in DataCategory.values if c in chosen]
    region = signal.municipality.region_id
    try:
        check_share(region=region, partner_type=partner_type, categories=categories, ground=legal_ground)
    except DomainError:
        # Nothing was shared, but the attempt must stay on record: its own transaction, committed before raising.
        with transaction.atomic():
            record_event(actor=actor, action="referral.share_refused", target_type=target_of(signal),
                         target_uuid=signal.uuid, fields=categories, purpose="doorverwijzen naar ketenpartner",
                         details={"partner_type": partner_type, "legal_ground": legal_ground,
                                  "categories": categories})
        raise

    text = recorded("Doorverwezen naar %(name)s", {"name": receiver_name})
    if note.strip():
        text = f"{text}. {note.strip()}"
    with transaction.atomic():
        if signal.status == SignalStatus.RECEIVED:  # referring is a first action, like those in triage
            transition_signal(signal, actor=actor, to_status=SignalStatus.IN_TRIAGE,
                              text=recorded("Opgepakt door %(name)s", {"name": _name(actor)}))
        referral = Referral.objects.create(
            signal=signal, municipality_id=signal.municipality_id, is_acute=signal.is_acute,
            sender_organisation=sender, sender_name=sender.name,
            receiver_organisation=organisation, directory_entry=entry, receiver_name=receiver_name,
            receiver_partner_type=partner_type, purpose=purpose, legal_ground=legal_ground, categories=categories,
            kind=kind, phenomenon=phenomenon,
            shared_data=collect_shared_data(signal, categories, kind=kind, phenomenon=phenomenon), created_by=actor)
        # The note is internal: it goes into the signal's history, never into what the receiver reads.
        ReferralStatusChange.objects.create(referral=referral, from_status="", to_status=ReferralStatus.IN_PROGRESS,
                                            actor=actor)
        if signal.status != SignalStatus.FORWARDED:
            transition_signal(signal, actor=actor, to_status=SignalStatus.FORWARDED, text=text,
                              purpose="doorverwijzen naar ketenpartner")
        events.signal_referred.send(sender=Signal, instance=signal, actor=actor, partner_type=partner_type, note=text)
        record_event(actor=actor, action="referral.created", target_type=target_of(referral), target_uuid=referral.uuid,
                     fields=referral.shared_fields, purpose="doorverwijzen naar ketenpartner",
                     details={"signal": str(signal.uuid), "partner_type": partner_type,
                              "legal_ground": legal_ground, "categories": categories, "kind": kind,
                              **({"phenomenon": phenomenon} if phenomenon else {})})
    return referral


# --- The partner's answer, and revoking ----------------------------------------------------------

def _ensure_receiver(referral: Referral, actor: User | None, link: ReferralLink | None) -> None:
    if link is not None:
        if link.referral_id != referral.pk or not link.is_valid:
            raise DomainError(_("Deze link is niet meer geldig."), code="forbidden")
        return
    if (actor is None or not actor.has_role(Role.PARTNER) or referral.receiver_organisation_id is None
            or actor.organisation_id != referral.receiver_organisation_id):
        raise DomainError(_("Alleen de ontvangende ketenpartner kan dit doen."), code="forbidden")


def _transition(referral: Referral, *, actor: User | None, to_status: str, text: str = "",
                link: ReferralLink | None = None, purpose: str, extra: dict[str, str] | None = None) -> Referral:
    """The one place where a referral changes state: checks the table, writes history and audit. `extra` are
    further fields set with the change (the structured outcome)."""
    text = (text or "").strip()
    field = TEXT_REQUIRED.get(to_status)
    if field and not text:
        raise DomainError(_("Geef de reden van de afwijzing.") if field == "reason"
                          else _("Beschrijf de uitkomst."), field=field)
    changed = ["status"]
    with transaction.atomic():
        # Lock the row: the partner (through the app and a link at once) and the sender may act at the same moment.
        from_status = Referral.objects.select_for_update().values_list("status", flat=True).get(pk=referral.pk)
        if to_status not in ALLOWED_TRANSITIONS[from_status]:
            raise DomainError(_("Een doorverwijzing met status '%(from)s' kan niet naar '%(to)s'.")
                              % {"from": ReferralStatus(from_status).label, "to": ReferralStatus(to_status).label})
        referral.status = to_status
        if field:
            setattr(referral, field, text)
            changed.append(field)
        elif to_status == ReferralStatus.REVOKED and text:
            referral.reason = text
            changed.append("reason")
        for name, value in (extra or {}).items():
            setattr(referral, name, value)
            changed.append(name)
        if to_status in (ReferralStatus.REJECTED, ReferralStatus.DONE, ReferralStatus.REVOKED):
            referral.closed_at = timezone.now()
            changed.append("closed_at")
        referral.save(update_fields=[*changed, "updated_at"])
        label = recorded("persoonlijke link van %(name)s", {"name": referral.receiver_name}) if link else ""
        ReferralStatusChange.objects.create(referral=referral, from_status=from_status, to_status=to_status,
                                            actor=actor, actor_label=label, text=text)
        details = {"from": from_status, "to": to_status}
        if referral.outcome_kind and to_status == ReferralStatus.DONE:
            details["outcome_kind"] = referral.outcome_kind
        if link is not None:
            details |= {"via": "link", "link": str(link.uuid)}
        # Through a link nobody is signed in: the audit names the link's receiver, with the link in the details.
        record_event(actor=actor if link is None else AnonymousUser(), action="referral.status_changed",
                     target_type=target_of(referral), target_uuid=referral.uuid, fields=changed, purpose=purpose,
                     details=details,
                     actor_label=referral.link_actor_label if link is not None else "")
        if not referral.is_open:
            _return_signal_if_last(referral, actor=actor)
        if to_status == ReferralStatus.DONE:  # the partner's feedback to the AF: the route moves on (seed 003 stap 8)
            events.referral_outcome.send(sender=Signal, instance=Signal.objects.get(pk=referral.signal_id),
                                         actor=actor, partner_type=referral.receiver_partner_type,
                                         note=recorded("Uitkomst van %(name)s ontvangen",
                                                       {"name": referral.receiver_name}))
    return referral


def _return_signal_if_last(referral: Referral, *, actor: User | None) -> None:
    """When the last open referral of a forwarded signal ends, the signal is back in the route with the AF."""
    signal = Signal.objects.select_for_update().get(pk=referral.signal_id)
    if signal.status != SignalStatus.FORWARDED or signal.referrals.open().exclude(pk=referral.pk).exists():
        return
    texts = {
        ReferralStatus.DONE: "Uitkomst ketenpartner ontvangen (%(name)s)",
        ReferralStatus.REJECTED: "Doorverwijzing afgewezen door %(name)s",
        ReferralStatus.REVOKED: "Doorverwijzing naar %(name)s ingetrokken",
    }
    transition_signal(signal, actor=actor, to_status=SignalStatus.IN_ROUTE,
                      text=recorded(texts[ReferralStatus(referral.status)], {"name": referral.receiver_name}),
                      purpose="uitkomst doorverwijzing")


def accept_referral(referral: Referral, *, actor: User | None = None, link: ReferralLink | None = None) -> Referral:
    _ensure_receiver(referral, actor, link)
    return _transition(referral, actor=actor, link=link, to_status=ReferralStatus.ACCEPTED,
                       purpose="doorverwijzing accepteren")


def reject_referral(referral: Referral, *, reason: str, actor: User | None = None,
                    link: ReferralLink | None = None) -> Referral:
    _ensure_receiver(referral, actor, link)
    return _transition(referral, actor=actor, link=link, to_status=ReferralStatus.REJECTED, text=reason,
                       purpose="doorverwijzing afwijzen")


def complete_referral(referral: Referral, *, outcome: str = "", outcome_kind: str = OutcomeKind.OTHER,
                      handed_to: str = "", actor: User | None = None, link: ReferralLink | None = None) -> Referral:
    """The receiver's outcome: what was done (OutcomeKind), to whom it was handed over if it was, and a text. Only
    "anders" needs the text; otherwise the history reads the kind when no text is given."""
    _ensure_receiver(referral, actor, link)
    if outcome_kind not in OutcomeKind.values:
        raise DomainError(_("Kies wat er met de doorverwijzing is gedaan."), field="outcome_kind")
    handed_to = (handed_to or "").strip()
    if outcome_kind == OutcomeKind.HANDED_OVER and not handed_to:
        raise DomainError(_("Schrijf aan welke organisatie u het heeft overgedragen."), field="handed_to")
    if outcome_kind != OutcomeKind.HANDED_OVER:
        handed_to = ""
    outcome = (outcome or "").strip()
    if not outcome and outcome_kind == OutcomeKind.OTHER:
        raise DomainError(_("Beschrijf de uitkomst."), field="outcome")
    if not outcome:
        outcome = recorded_label(OutcomeKind(outcome_kind).label) + (f": {handed_to}" if handed_to else "")
    return _transition(referral, actor=actor, link=link, to_status=ReferralStatus.DONE, text=outcome,
                       purpose="uitkomst doorverwijzing",
                       extra={"outcome_kind": outcome_kind, "outcome_handed_to": handed_to})


def _ensure_sender(referral: Referral, actor: User) -> None:
    ensure_af_of(actor, referral.signal)
    if actor.organisation_id != referral.sender_organisation_id:
        raise DomainError(_("Alleen de verzendende gemeente kan dit doen."), code="forbidden")


def revoke_referral(referral: Referral, *, actor: User, reason: str = "") -> Referral:
    """The sender takes the referral back; its personal links stop working at once."""
    _ensure_sender(referral, actor)
    with transaction.atomic():
        now = timezone.now()
        for link in referral.links.filter(revoked_at__isnull=True):
            link.revoked_at = now
            link.save(update_fields=["revoked_at", "updated_at"])
        return _transition(referral, actor=actor, to_status=ReferralStatus.REVOKED, text=reason,
                           purpose="doorverwijzing intrekken")


# --- Questions on a referral --------------------------------------------------------------------

def post_message(referral: Referral, *, actor: User, text: str) -> ReferralMessage:
    """The receiver asks the sender a question on the referral, or the sender answers (issue 14). Only the two
    parties write; nobody after a revocation. The other side is told (referrals.notifying), without the text."""
    from_receiver = bool(actor.has_role(Role.PARTNER) and referral.receiver_organisation_id is not None
                         and actor.organisation_id == referral.receiver_organisation_id)
    if not from_receiver:
        _ensure_sender(referral, actor)
    if referral.status == ReferralStatus.REVOKED:
        raise DomainError(_("Deze doorverwijzing is ingetrokken: er kunnen geen berichten meer bij."), field="text")
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Schrijf uw vraag of antwoord."), field="text")
    with transaction.atomic():
        message = ReferralMessage.objects.create(referral=referral, from_receiver=from_receiver, author=actor,
                                                 author_label=_name(actor), text=text)
        record_event(actor=actor, action="referral.message_posted", target_type=target_of(referral),
                     target_uuid=referral.uuid, fields=["messages"],
                     purpose="vraag bij doorverwijzing" if from_receiver else "antwoord bij doorverwijzing",
                     details={"from": "receiver" if from_receiver else "sender", "message": message.pk})
    return message


# --- Personal links ------------------------------------------------------------------------------

def create_link(referral: Referral, *, actor: User) -> tuple[ReferralLink, str]:
    """A personal link for a receiver without an account. The raw token is returned once and never stored."""
    _ensure_sender(referral, actor)
    if not referral.is_open:
        raise DomainError(_("Voor een afgesloten doorverwijzing kan geen link meer worden gemaakt."))
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        link = ReferralLink.objects.create(referral=referral, token_hash=hash_token(token), created_by=actor,
                                           expires_at=timezone.now() + timedelta(days=link_days()))
        record_event(actor=actor, action="referral.link_created", target_type=target_of(referral),
                     target_uuid=referral.uuid,
                     fields=["links"], purpose="persoonlijke link voor ketenpartner",
                     details={"link": str(link.uuid), "expires_at": link.expires_at.isoformat()})
    return link, token


def revoke_link(link: ReferralLink, *, actor: User) -> ReferralLink:
    _ensure_sender(link.referral, actor)
    if link.revoked_at is not None:
        raise DomainError(_("Deze link is al ingetrokken."))
    with transaction.atomic():
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at", "updated_at"])
        record_event(actor=actor, action="referral.link_revoked", target_type=target_of(link.referral),
                     target_uuid=link.referral.uuid, fields=["links"], purpose="persoonlijke link intrekken",
                     details={"link": str(link.uuid)})
    return link
