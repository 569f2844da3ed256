"""Decisions on persons: adding and changing a person on a case, consent and its withdrawal, and the check that
sharing or registering happens with consent or on a legal ground approved by a second person.

Each takes the actor, runs in a transaction and writes its audit event in it (field names, never values);
refusals are DomainErrors in Dutch.
"""

import unicodedata
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from meldroute.accounts.constants import Role
from meldroute.accounts.models import User
from meldroute.audit.services import record_access, record_event
from meldroute.audit.targets import target_of
from meldroute.cases.models import Case
from meldroute.cases.permissions import CaseAccess, case_access
from meldroute.core.exceptions import DomainError
from meldroute.core.language import recorded
from meldroute.partners.constants import LegalGround, PartnerType
from meldroute.triage.adapters.brp import is_valid_bsn
from meldroute.triage.constants import ExploitationForm, MeansOfControl, NoteSource
from meldroute.triage.models import EnrichmentNote

from .constants import (
    CONSENT_AGE,
    AgeBand,
    Citizenship,
    ConsentGivenBy,
    ConsentKind,
    PersonRole,
    VictimStatus,
    age_band_for,
)
from .fields import keyed_hash
from .models import Consent, ConsentOverride, Person
from .permissions import can_edit_persons, can_record_consent, is_fg_for

EARLIEST_BIRTH = date(1900, 1, 1)
EARLIEST_EVENT = date(2000, 1, 1)  # consent, decisions: before this a date is a typing error, not history

# The fields a person form may set (identity encrypted, the rest in clear).
EDITABLE = ("role", "victim_status", "status_decided_by", "status_decided_on", "first_name", "last_name", "bsn",
            "birth_date", "address", "phone", "gender", "exploitation_year", "citizenship",
            "is_unaccompanied_minor_foreigner", "exploitation_forms", "sex_sector", "labour_sector",
            "means_of_control", "recruiter_relation", "place_of_recruitment", "place_of_exploitation")


def _ensure_role_allowed(access: CaseAccess, role: str) -> None:
    if not can_edit_persons(access, role):
        raise DomainError(_("Als zorgcoördinator legt u alleen slachtoffers vast."), field="role", code="forbidden")


def _ensure_open(case: Case) -> None:
    if not case.is_open:
        raise DomainError(_("Deze casus is afgesloten. Heropen de casus eerst."))


# --- Normalising and checking input ------------------------------------------------------------------------------

def normalise_bsn(value: str) -> str:
    # NFKC first: "１１１２２２３３３" typed full-width (an input method, a pasted PDF) is the same BSN as "111222333",
    # so it gets the same keyed hash and the same person is never stored twice under two spellings.
    value = unicodedata.normalize("NFKC", value or "")
    return "".join(ch for ch in value if not ch.isspace() and ch not in ".-")


def _normalise_name(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value or "")
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.casefold().replace("-", " ").split())


def name_hash_for(first_name: str, last_name: str, birth_date: date | None) -> str:
    if not (first_name and last_name and birth_date):
        return ""
    return keyed_hash("name-birth", f"{_normalise_name(first_name)}|{_normalise_name(last_name)}|"
                                    f"{birth_date.isoformat()}")


def age_on(birth_date: date, day: date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def _check_date(value, field: str, *, earliest: date, today: date) -> date | None:
    if value in (None, ""):
        return None
    if not isinstance(value, date):
        raise DomainError(_("Vul een geldige datum in, bijvoorbeeld 2026-03-31."), field=field)
    if value > today:
        raise DomainError(_("Deze datum ligt in de toekomst."), field=field)
    if value < earliest:
        raise DomainError(_("Een datum vóór %(year)s kan niet kloppen; controleer het jaartal.")
                          % {"year": earliest.year}, field=field)
    return value


def _clean(data: dict, today: date) -> dict:
    """Check one person's input; returns the values to store. Raises at the first wrong field."""
    values = {key: data[key] for key in EDITABLE if key in data}
    for key in ("first_name", "last_name", "address", "phone", "status_decided_by", "place_of_recruitment",
                "place_of_exploitation"):
        values[key] = " ".join(str(values.get(key) or "").split())
    role = values.get("role")
    if role not in PersonRole.values:
        raise DomainError(_("Kies of dit een slachtoffer, verdachte of andere betrokkene is."), field="role")
    status = values.get("victim_status") or ""
    if role != PersonRole.VICTIM:
        status, values["status_decided_by"], values["status_decided_on"] = "", "", None
    elif status and status not in VictimStatus.values:
        raise DomainError(_("Onbekende status."), field="victim_status")
    values["victim_status"] = status
    if status and not values["status_decided_by"]:
        raise DomainError(_("Vul in welke organisatie deze status heeft vastgesteld."), field="status_decided_by")
    values["status_decided_on"] = _check_date(values.get("status_decided_on"), "status_decided_on",
                                              earliest=EARLIEST_EVENT, today=today)
    if status and values["status_decided_on"] is None:
        values["status_decided_on"] = today
    bsn = normalise_bsn(str(values.get("bsn") or ""))
    if bsn and not is_valid_bsn(bsn):
        raise DomainError(_("Dit BSN klopt niet: het moet uit negen cijfers bestaan en de elfproef doorstaan."),
                          field="bsn")
    values["bsn"] = bsn
    birth = _check_date(values.get("birth_date"), "birth_date", earliest=EARLIEST_BIRTH, today=today)
    values["birth_date"] = birth
    year = values.get("exploitation_year")
    if year is not None:
        if not isinstance(year, int) or year < 1950 or year > today.year:
            raise DomainError(_("Vul een jaartal in tussen 1950 en %(year)s.") % {"year": today.year},
                              field="exploitation_year")
        if birth and year < birth.year:
            raise DomainError(_("De uitbuiting kan niet vóór de geboorte zijn begonnen."), field="exploitation_year")
    citizenship = values.get("citizenship") or Citizenship.ZZ
    if citizenship not in Citizenship.values:
        raise DomainError(_("Kies een land uit de lijst."), field="citizenship")
    values["citizenship"] = citizenship
    if any(f not in ExploitationForm.values for f in values.get("exploitation_forms") or ()):
        raise DomainError(_("Onbekende vorm van uitbuiting."), field="exploitation_forms")
    if any(m not in MeansOfControl.values for m in values.get("means_of_control") or ()):
        raise DomainError(_("Onbekend middel van controle."), field="means_of_control")
    values["exploitation_forms"] = sorted(set(values.get("exploitation_forms") or ()))
    values["means_of_control"] = sorted(set(values.get("means_of_control") or ()))
    # Minor now: from the birth date when known, else as the user estimated it.
    values["is_minor"] = age_on(birth, today) < 18 if birth else bool(data.get("is_minor"))
    age_then = None
    if birth:
        # Age at the start of the exploitation: on 1 January of that year (the younger estimate, so a child is
        # never counted as an adult); when the start is unknown, the age today.
        age_then = age_on(birth, date(year, 1, 1)) if year else age_on(birth, today)
    values["age_band"] = age_band_for(age_then) if birth else (AgeBand.MINOR if values["is_minor"]
                                                                else AgeBand.UNKNOWN)
    values["minor_at_exploitation"] = values["age_band"] == AgeBand.MINOR
    amv = bool(values.get("is_unaccompanied_minor_foreigner"))
    if amv and citizenship == Citizenship.NL:
        raise DomainError(_("Iemand met de Nederlandse nationaliteit is geen alleenstaande minderjarige "
                            "vreemdeling."), field="is_unaccompanied_minor_foreigner")
    if amv and not values["is_minor"]:
        raise DomainError(_("Een alleenstaande minderjarige vreemdeling is jonger dan 18: controleer de "
                            "geboortedatum of vink 'minderjarig' aan."), field="is_unaccompanied_minor_foreigner")
    values["is_unaccompanied_minor_foreigner"] = amv
    return values


def _check_duplicates(case: Case, values: dict, *, exclude_pk: int | None, confirm: bool) -> bool:
    """Refuse the same person twice on one case; warn (ask to confirm) when they are on another case in the
    region. Returns whether a regional duplicate was confirmed."""
    bsn_hash = keyed_hash("bsn", values["bsn"])
    name_hash = name_hash_for(values["first_name"], values["last_name"], values["birth_date"])
    match = Q(pk__in=[])
    if bsn_hash:
        match |= Q(bsn_hash=bsn_hash)
    if name_hash:
        match |= Q(name_hash=name_hash)
    values["bsn_hash"], values["name_hash"] = bsn_hash, name_hash
    others = Person.objects.filter(match)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    same_case = others.filter(case=case).first()
    if same_case is not None:
        field = "bsn" if bsn_hash and same_case.bsn_hash == bsn_hash else "last_name"
        raise DomainError(_("Deze persoon staat al op deze casus als %(pseudonym)s.")
                          % {"pseudonym": same_case.pseudonym}, field=field, code="duplicate")
    in_region = others.filter(case__municipality__region_id=case.municipality.region_id).exists()
    if in_region and not confirm:
        # No pseudonym or case reference: the user may not be allowed to know that other case.
        raise DomainError(_("Een persoon met hetzelfde BSN, of dezelfde naam en geboortedatum, staat al op een andere "
                            "casus in deze regio. Overleg met de aandachtsfunctionaris; is het toch juist, vink dan "
                            "'Toch vastleggen' aan."), field="confirm_duplicate", code="possible_duplicate")
    return in_region


def _letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA (bijective base 26)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _changed_fields(values: dict) -> list[str]:
    return sorted(k for k, v in values.items() if k not in {"bsn_hash", "name_hash"} and v not in ("", None, [],
                                                                                                   False))


# --- Persons -----------------------------------------------------------------------------------------------------

def add_person(case: Case, *, actor: User, data: dict, confirm_duplicate: bool = False) -> Person:
    """Put a victim, suspect or other person on the case, with a pseudonym in the order they were added."""
    access = case_access(actor, case)
    if not can_edit_persons(access):
        raise DomainError(_("Alleen de casusregie, de aandachtsfunctionaris van de gemeente en de zorgcoördinator "
                            "in het casusteam kunnen personen vastleggen."), code="forbidden")
    _ensure_open(case)
    values = _clean(data, timezone.localdate())
    _ensure_role_allowed(access, values["role"])
    with transaction.atomic():
        # Lock the case so two people adding at once don't draw the same letter.
        Case.objects.select_for_update().filter(pk=case.pk).first()
        confirmed = _check_duplicates(case, values, exclude_pk=None, confirm=confirm_duplicate)
        letter = _letter(Person.objects.filter(case=case).count())
        person = Person.objects.create(case=case, letter=letter, created_by=actor,
                                       pseudonym=Person.pseudonym_for(values["role"], case.reference, letter),
                                       **values)
        record_event(actor=actor, action="person.added", target_type=target_of(person), target_uuid=person.uuid,
                     fields=_changed_fields(values), purpose="persoon vastleggen op casus",
                     details={"case": str(case.uuid), "role": person.role, "duplicate_confirmed": confirmed})
    return person


# What a BRP person carries into a case (data minimisation: the identity fields persons.Person keeps, no more).
BRP_FIELDS = ("first_name", "last_name", "bsn", "birth_date", "address")


def add_person_from_brp(case: Case, *, actor: User, note: EnrichmentNote, index: int, role: str,
                        confirm_duplicate: bool = False) -> tuple[Person, bool]:
    """Take a person the BRP answered on a signal's lookup (`note.people[index]`) into the persons of `case`, one of
    the cases that signal is in, with only the BRP fields a person carries. When the same BSN is already on the case
    that person is returned (linked, not added twice); returns (person, created). Access-logged (the register's
    answer is read again) and audited, through add_person and its own checks (who may add which role, duplicates)."""
    if note.source != NoteSource.BRP or not isinstance(index, int) or not 0 <= index < len(note.people or []):
        raise DomainError(_("Deze persoon staat niet (meer) in het antwoord van de BRP."))
    if not case.signals.filter(pk=note.signal_id).exists():
        raise DomainError(_("Kies een casus waar dit signaal bij hoort."), field="case")
    record = note.people[index]
    bsn = normalise_bsn(str(record.get("bsn") or ""))
    if bsn:
        existing = Person.objects.filter(case=case, bsn_hash=keyed_hash("bsn", bsn)).first()
        if existing is not None:
            return existing, False
    try:
        birth = date.fromisoformat(str(record.get("birth_date") or "")) if record.get("birth_date") else None
    except ValueError:
        birth = None
    data = {"role": role, "bsn": bsn, "birth_date": birth, "first_name": str(record.get("first_name") or ""),
            "last_name": str(record.get("last_name") or record.get("name") or ""),
            "address": str(record.get("address") or "")}
    with transaction.atomic():
        person = add_person(case, actor=actor, data=data, confirm_duplicate=confirm_duplicate)
        record_access(actor=actor, target_type="brp.bevraging", target_uuid=note.signal.uuid,
                      fields=[f"brp.{f}" for f in BRP_FIELDS], purpose="BRP-persoon opnemen in casus")
        record_event(actor=actor, action="person.taken_from_brp", target_type=target_of(person),
                     target_uuid=person.uuid, fields=[f for f in BRP_FIELDS if data[f]],
                     purpose="BRP-persoon opnemen in casus",
                     details={"case": str(case.uuid), "note": str(note.uuid), "role": person.role})
    return person, True


def update_person(person: Person, *, actor: User, data: dict, confirm_duplicate: bool = False) -> Person:
    access = case_access(actor, person.case)
    if not can_edit_persons(access, person.role):
        raise DomainError(_("Alleen de casusregie en de aandachtsfunctionaris van de gemeente kunnen personen "
                            "wijzigen."), code="forbidden")
    _ensure_open(person.case)
    if person.restricted_at is not None:
        raise DomainError(_("De verwerking van de gegevens van deze persoon is beperkt (AVG art. 18): wijzigen kan "
                            "alleen via de functionaris gegevensbescherming."), code="restricted")
    values = _clean(data, timezone.localdate())
    _ensure_role_allowed(access, values["role"])  # a victim may not become a suspect by their hand
    return _apply_update(person, actor=actor, values=values, confirm_duplicate=confirm_duplicate,
                         action="person.updated", purpose="persoon bijwerken")


def correct_person(person: Person, *, actor: User, data: dict, confirm_duplicate: bool = False) -> Person:
    """AVG art. 16: the FG corrects a person's data on the data subject's request, also on a closed case or while
    the processing is restricted; the same checks as every change (`_clean`, duplicates)."""
    if not is_fg_for(actor, person):
        raise DomainError(_("Alleen de functionaris gegevensbescherming van deze organisatie kan gegevens "
                            "rectificeren."), code="forbidden")
    values = _clean({**data, "role": person.role}, timezone.localdate())  # rectification never changes the role
    return _apply_update(person, actor=actor, values=values, confirm_duplicate=confirm_duplicate,
                         action="person.corrected", purpose="rectificatie (AVG art. 16)")


def set_restriction(person: Person, *, actor: User, restricted: bool) -> Person:
    """AVG art. 18: the FG restricts the processing of a person's data (kept, not otherwise used) or lifts it."""
    if not is_fg_for(actor, person):
        raise DomainError(_("Alleen de functionaris gegevensbescherming van deze organisatie kan de verwerking "
                            "beperken."), code="forbidden")
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        if (locked.restricted_at is not None) == restricted:
            raise DomainError(_("De verwerking is al beperkt.") if restricted
                              else _("De verwerking is niet beperkt."), field="restricted")
        locked.restricted_at = timezone.now() if restricted else None
        locked.save(update_fields=["restricted_at", "updated_at"])
        record_event(actor=actor, action="person.restricted" if restricted else "person.restriction_lifted",
                     target_type=target_of(locked), target_uuid=locked.uuid, fields=["restricted_at"],
                     purpose="beperking van de verwerking (AVG art. 18)", details={"case": str(locked.case.uuid)})
    person.restricted_at = locked.restricted_at
    return person


def _apply_update(person: Person, *, actor: User, values: dict, confirm_duplicate: bool, action: str,
                  purpose: str) -> Person:
    with transaction.atomic():
        confirmed = _check_duplicates(person.case, values, exclude_pk=person.pk, confirm=confirm_duplicate)
        before = Person.objects.get(pk=person.pk)
        changed = sorted(k for k, v in values.items() if getattr(before, k) != v and k not in {"bsn_hash",
                                                                                             "name_hash"})
        for key, value in values.items():
            setattr(person, key, value)
        if person.role != before.role:
            # The letter stays; the word changes ("Betrokkene … -B" becomes "Verdachte … -B").
            person.pseudonym = Person.pseudonym_for(person.role, person.case.reference, person.letter)
        person.save()
        record_event(actor=actor, action=action, target_type=target_of(person), target_uuid=person.uuid,
                     fields=changed, purpose=purpose,
                     details={"case": str(person.case.uuid), "duplicate_confirmed": confirmed})
    return person


# --- Consent -----------------------------------------------------------------------------------------------------

def active_consent(person: Person, kind: str, partner_type: str = "") -> Consent | None:
    return person.consents.active().filter(kind=kind, partner_type=partner_type or "").first()


def has_consent(person: Person, kind: str, partner_type: str = "") -> bool:
    consent = active_consent(person, kind, partner_type)
    return consent is not None and consent.given


def _check_subject(kind: str, partner_type: str) -> str:
    if kind not in ConsentKind.values:
        raise DomainError(_("Kies waarvoor de toestemming geldt."), field="kind")
    partner_type = partner_type or ""
    if kind == ConsentKind.SHARING and partner_type not in PartnerType.values:
        raise DomainError(_("Kies met welke soort ketenpartner gedeeld wordt."), field="partner_type")
    if kind != ConsentKind.SHARING:
        partner_type = ""
    return partner_type


def record_consent(person: Person, *, actor: User, kind: str, given: bool, given_by: str, given_on=None,
                   partner_type: str = "") -> Consent:
    """Record a yes or a no. Under 16 a parent with authority or the guardian decides; a later decision on the same
    subject ends the earlier one."""
    partner_type = _check_subject(kind, partner_type)
    if not can_record_consent(case_access(actor, person.case), person, kind):
        raise DomainError(_("U kunt voor deze persoon geen toestemming vastleggen."), code="forbidden")
    today = timezone.localdate()
    given_on = _check_date(given_on or today, "given_on", earliest=EARLIEST_EVENT, today=today) or today
    if given_by not in ConsentGivenBy.values:
        raise DomainError(_("Kies wie de toestemming geeft."), field="given_by")
    if given_by == ConsentGivenBy.SELF:
        if person.birth_date and age_on(person.birth_date, given_on) < CONSENT_AGE:
            raise DomainError(_("Deze persoon was op die datum jonger dan 16 jaar: een ouder met gezag of de voogd "
                                "geeft toestemming."), field="given_by")
        if not person.birth_date and person.is_minor:
            raise DomainError(_("Van deze minderjarige is de geboortedatum niet bekend: leg de toestemming van een "
                                "ouder of voogd vast, of vul eerst de geboortedatum in."), field="given_by")
    with transaction.atomic():
        previous = active_consent(person, kind, partner_type)
        if previous is not None:
            previous.withdrawn_at, previous.withdrawn_by = timezone.now(), actor
            previous.withdrawal_reason = recorded("Vervangen door een nieuwe vastlegging.")
            previous.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason", "updated_at"])
        consent = Consent.objects.create(person=person, kind=kind, partner_type=partner_type, given=bool(given),
                                         given_by=given_by, given_on=given_on, recorded_by=actor)
        record_event(actor=actor, action="consent.recorded", target_type=target_of(person), target_uuid=person.uuid,
                     fields=["consents"], purpose="toestemming vastleggen",
                     details={"kind": kind, "partner_type": partner_type, "given": bool(given), "given_by": given_by,
                              "replaces_earlier": previous is not None})
    return consent


def withdraw_consent(consent: Consent, *, actor: User, reason: str) -> Consent:
    if not can_record_consent(case_access(actor, consent.person.case), consent.person, consent.kind):
        raise DomainError(_("U kunt voor deze persoon geen toestemming intrekken."), code="forbidden")
    reason = (reason or "").strip()
    if consent.withdrawn_at is not None:
        raise DomainError(_("Deze toestemming is al ingetrokken."))
    if not reason:
        raise DomainError(_("Schrijf waarom de toestemming wordt ingetrokken."), field="reason")
    with transaction.atomic():
        consent.withdrawn_at, consent.withdrawn_by, consent.withdrawal_reason = timezone.now(), actor, reason
        consent.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason", "updated_at"])
        record_event(actor=actor, action="consent.withdrawn", target_type=target_of(consent.person),
                     target_uuid=consent.person.uuid,
                     fields=["consents"], purpose="toestemming intrekken",
                     details={"kind": consent.kind, "partner_type": consent.partner_type})
    return consent


def approver_candidates(person: Person):
    """Who may approve going ahead without consent: an AF of the case's municipality or a procesregisseur of the
    case's region."""
    case = person.case
    return (User.objects.filter(is_active=True)
            .filter(Q(role_assignments__role=Role.AF, organisation_id=case.municipality_id)
                    | Q(role_assignments__role=Role.PROCESREGISSEUR,
                        organisation__region_id=case.municipality.region_id))
            .distinct())


def require_consent_or_ground(person: Person, *, actor: User, kind: str, partner_type: str = "",
                              legal_ground: str = "", reason: str = "", approver: User | None = None
                              ) -> ConsentOverride | None:
    """The gate before sharing or registering a person. With the person's consent: None (go ahead). Without it:
    a legal ground, a reason and a second person's approval are required; the override is recorded and audited."""
    partner_type = _check_subject(kind, partner_type)
    if has_consent(person, kind, partner_type):
        return None
    if legal_ground not in LegalGround.values or legal_ground == LegalGround.CONSENT:
        raise DomainError(_("Er is geen toestemming. Kies de wettelijke grondslag waarop toch gedeeld of "
                            "geregistreerd wordt."), field="legal_ground", code="consent_required")
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise DomainError(_("Schrijf waarom dit zonder toestemming nodig is (minstens een zin)."), field="reason",
                          code="consent_required")
    if approver is None:
        raise DomainError(_("Kies wie akkoord geeft: een aandachtsfunctionaris of procesregisseur."),
                          field="approver", code="consent_required")
    if approver.pk == actor.pk:
        raise DomainError(_("Iemand anders dan uzelf moet akkoord geven."), field="approver",
                          code="consent_required")
    if not approver_candidates(person).filter(pk=approver.pk).exists():
        raise DomainError(_("Akkoord geeft een aandachtsfunctionaris van de gemeente of een procesregisseur van de "
                            "regio."), field="approver", code="consent_required")
    with transaction.atomic():
        override = ConsentOverride.objects.create(person=person, kind=kind, partner_type=partner_type,
                                                  legal_ground=legal_ground, reason=reason, actor=actor,
                                                  approver=approver)
        record_event(actor=actor, action="consent.override", target_type=target_of(person), target_uuid=person.uuid,
                     fields=["consent_overrides"], purpose="delen of registreren zonder toestemming",
                     details={"kind": kind, "partner_type": partner_type, "legal_ground": legal_ground,
                              "approver": approver.get_username()})
    return override


def record_override(person: Person, *, actor: User, kind: str, partner_type: str = "", legal_ground: str = "",
                    reason: str = "", approver: User | None = None) -> ConsentOverride:
    """Record, in advance, that a person's data goes to a partner type without consent (the consent page)."""
    if not can_record_consent(case_access(actor, person.case), person, kind):
        raise DomainError(_("U kunt voor deze persoon geen afwijking vastleggen."), code="forbidden")
    override = require_consent_or_ground(person, actor=actor, kind=kind, partner_type=partner_type,
                                         legal_ground=legal_ground, reason=reason, approver=approver)
    if override is None:
        raise DomainError(_("Er is toestemming gegeven; een afwijking is niet nodig."), field="kind")
    return override


def register_with_comensha(person: Person, *, actor: User, legal_ground: str = "", reason: str = "",
                           approver: User | None = None) -> Person:
    """Register a victim with CoMensha for the national figures: with consent to statistics, or on a ground."""
    if not can_record_consent(case_access(actor, person.case), person, ConsentKind.STATISTICS):
        raise DomainError(_("U kunt deze persoon niet aanmelden."), code="forbidden")
    if not person.is_victim:
        raise DomainError(_("Alleen slachtoffers worden bij CoMensha aangemeld."))
    if person.registered_with_comensha_at is not None:
        raise DomainError(_("Deze persoon is al bij CoMensha aangemeld."))
    with transaction.atomic():
        override = require_consent_or_ground(person, actor=actor, kind=ConsentKind.STATISTICS,
                                             legal_ground=legal_ground, reason=reason, approver=approver)
        person.registered_with_comensha_at = timezone.now()
        person.save(update_fields=["registered_with_comensha_at", "updated_at"])
        record_event(actor=actor, action="person.registered_comensha", target_type=target_of(person),
                     target_uuid=person.uuid,
                     fields=["registered_with_comensha_at"], purpose="registratie CoMensha",
                     details={"on_consent": override is None})
    return person


def check_identity_purpose(purpose: str) -> str:
    """The purpose a user states before a person's identity is shown (doelbinding), as for BRP lookups."""
    purpose = " ".join((purpose or "").split())
    if len(purpose) < 5:
        raise DomainError(_("Geef aan waarvoor u de identiteit nodig hebt (doelbinding)."), field="purpose")
    if len(purpose) > 150:
        raise DomainError(_("Beschrijf het doel in maximaal 150 tekens."), field="purpose")
    return purpose


def jeugdwet_proposal(person: Person) -> list[tuple[str, str]]:
    """The route proposed for a minor (seed 000 bijlage 2; seed 003 Jeugdwet): Veilig Thuis and the Raad voor de
    Kinderbescherming; for an unaccompanied minor foreigner Nidos (voogdij, Beschermde Opvang). (partner type,
    why) pairs, to show with links to the partner directory."""
    if not person.is_minor:
        return []
    steps: list[tuple[str, str]] = [(PartnerType.VEILIG_THUIS, _("Melden bij Veilig Thuis (Jeugdwet, meldcode).")),
             (PartnerType.OTHER, _("Raad voor de Kinderbescherming: onderzoek naar een kinderbeschermingsmaatregel."))]
    if person.is_unaccompanied_minor_foreigner:
        steps.append((PartnerType.NIDOS, _("Nidos: voogdij en plaatsing in de Beschermde Opvang, al bij de "
                                           "geringste indicatie van mensenhandel.")))
    return steps
