"""The content of a data subject access request (AVG art. 15): everything Meldroute holds about one person, as a
plain dict (the JSON) that the PDF renders too.

What is theirs: their person records, the cases they are on and their role there, the signals of those cases, the
referrals of those signals and what was shared with whom, consent, care, and who looked at or changed their records.
What is never in it: another person. Others on the same case are counted as "andere betrokkene", never named; free
text (a signal's description, a referral's purpose) has every known identifier of those others replaced by
"[andere betrokkene]"; the reporter of a signal and the employees who read the records appear by organisation only.
No record's internal id is exported.
"""

import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.utils import timezone

from meldroute.audit.models import AccessLogEntry, AuditEvent
from meldroute.care.models import CareTrajectory
from meldroute.cases.models import Case
from meldroute.intake.models import Signal
from meldroute.partners.constants import DataCategory, LegalGround, PartnerType
from meldroute.persons.models import Person
from meldroute.referrals.constants import CATEGORY_FIELDS
from meldroute.referrals.models import Referral
from meldroute.triage.constants import ExploitationForm, MeansOfControl

from .constants import OTHER_PERSON

REDACTED = f"[{OTHER_PERSON}]"
# What a change on their records was, in words a person reads (the audit log's action codes; others as they are).
ACTIONS = {
    "person.added": "vastgelegd op een casus", "person.updated": "gegevens gewijzigd",
    "person.corrected": "gegevens gerectificeerd (AVG art. 16)",
    "person.restricted": "verwerking beperkt (AVG art. 18)",
    "person.restriction_lifted": "beperking van de verwerking opgeheven", "person.registered_comensha":
    "anoniem gemeld bij CoMensha", "consent.recorded": "toestemming vastgelegd", "consent.withdrawn":
    "toestemming ingetrokken", "consent.override": "gedeeld of geregistreerd zonder toestemming, op een wettelijke "
    "grondslag", "care.trajectory_started": "zorgtraject gestart", "care.trajectory_updated": "zorgtraject gewijzigd",
    "care.placement_added": "opvang vastgelegd", "care.placement_ended": "opvang beëindigd",
    "care.reflection_granted": "bedenktijd vastgelegd", "care.permit_event": "stap verblijfsvergunning vastgelegd",
    "care.responsible_municipality_set": "verantwoordelijke gemeente vastgesteld",
}
MIN_TERM = 3  # shorter fragments ("Li", initials) would blank out ordinary words


def _when(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


class Redactor:
    """Replaces the identifiers of other persons (names, BSN, address, phone) in free text."""

    def __init__(self, others: Iterable[Person], own: Iterable[Person]) -> None:
        own_values = {v.casefold() for p in own for v in (p.full_name, p.bsn) if v}
        terms: set[str] = set()
        for other in others:
            for value in (other.full_name, other.first_name, other.last_name, other.bsn, other.address, other.phone):
                value = " ".join((value or "").split())
                if len(value) >= MIN_TERM and value.casefold() not in own_values:
                    terms.add(value)
                # The parts of a double or prefixed name ("Vermaak-Test", "van Dam") count on their own too.
                for part in re.split(r"[\s-]+", value if value in (other.first_name, other.last_name) else ""):
                    if len(part) >= MIN_TERM:
                        terms.add(part)
        ordered = sorted(terms, key=len, reverse=True)  # the full name before its parts
        # Whole words only: a surname "Dam" must not blank out "Amsterdam".
        self._pattern = (re.compile(r"(?<!\w)(?:" + "|".join(re.escape(t) for t in ordered) + r")(?!\w)",
                                    re.IGNORECASE) if ordered else None)

    def __call__(self, text: str | None) -> str:
        text = text or ""
        return self._pattern.sub(REDACTED, text) if self._pattern else text


def _choice(choices: Any, value: str) -> str:
    return str(dict(choices).get(value, value)) if value else ""


def _labels(choices: Any, values: Iterable[str]) -> list[str]:
    return [_choice(choices, v) for v in values]


def _person(person: Person) -> dict[str, Any]:
    return {
        "pseudoniem": person.pseudonym,
        "casus": person.case.reference,
        "rol": person.get_role_display(),
        "identiteit": {"voornaam": person.first_name, "achternaam": person.last_name, "bsn": person.bsn,
                       "geboortedatum": _when(person.birth_date), "adres": person.address,
                       "telefoon": person.phone},
        "status_slachtofferschap": person.get_victim_status_display() if person.victim_status else "",
        "status_vastgesteld_door": person.status_decided_by,
        "status_vastgesteld_op": _when(person.status_decided_on),
        "gender": person.get_gender_display(),
        "leeftijd_bij_uitbuiting": person.get_age_band_display(),
        "minderjarig": person.is_minor,
        "nationaliteit": person.get_citizenship_display(),
        "alleenstaande_minderjarige_vreemdeling": person.is_unaccompanied_minor_foreigner,
        "jaar_begin_uitbuiting": person.exploitation_year,
        "vormen_van_uitbuiting": _labels(ExploitationForm.choices, person.exploitation_forms),
        "sector_seksbranche": person.get_sex_sector_display() if person.sex_sector else "",
        "sector_arbeid": person.get_labour_sector_display() if person.labour_sector else "",
        "middelen_van_controle": _labels(MeansOfControl.choices, person.means_of_control),
        "relatie_met_ronselaar": person.get_recruiter_relation_display() if person.recruiter_relation else "",
        "plaats_van_werving": person.place_of_recruitment,
        "plaats_van_uitbuiting": person.place_of_exploitation,
        "gemeld_bij_comensha_op": _when(person.registered_with_comensha_at),
        "vastgelegd_op": _when(person.created_at),
        "verwerking_beperkt_sinds": _when(person.restricted_at),
    }


def _case(case: Case, records: list[Person], redact: Redactor) -> dict[str, Any]:
    mine = {p.pk for p in records}
    others = sum(1 for p in case.persons.all() if p.pk not in mine)
    return {
        "casusnummer": case.reference,
        "werktitel": redact(case.title),
        "gemeente": case.municipality.name,
        "status": case.get_status_display(),
        "geopend_op": _when(case.created_at),
        "afgesloten_op": _when(case.closed_at),
        "resultaat": case.get_result_display() if case.result else "",
        "uw_rol": sorted({p.get_role_display() for p in records if p.case_id == case.pk}),
        "andere_betrokkenen": [OTHER_PERSON] * others,
    }


def _signal(signal: Signal, redact: Redactor) -> dict[str, Any]:
    return {
        "ontvangstcode": signal.reference,
        "gemeente": signal.municipality.name,
        "ontvangen_op": _when(signal.received_at),
        "kanaal": signal.get_channel_display(),
        "status": signal.get_status_display(),
        "uitkomst": signal.get_outcome_display() if signal.outcome else "",
        "vormen_van_uitbuiting": _labels(ExploitationForm.choices, signal.classified_forms),
        "omschrijving": redact(signal.description),
        "betrokken_personen": redact(signal.persons_description),
        "adres": redact(signal.address),
        "andere_locatie": redact(signal.location_description),
        "datum_waarneming": _when(signal.observed_on),
    }


def _referral(referral: Referral, redact: Redactor) -> dict[str, Any]:
    shared = {}
    for category, values in (referral.shared_data or {}).items():
        # Exactly what left, under the Dutch labels the receiver saw (referrals.constants.CATEGORY_FIELDS).
        labels = {name: str(label) for name, label in CATEGORY_FIELDS.get(category, ())}
        shared[_choice(DataCategory.choices, category)] = {labels.get(field, field): redact(str(value))
                                                           for field, value in values.items()}
    return {
        "signaal": referral.signal.reference,
        "verzonden_op": _when(referral.created_at),
        "ontvanger": referral.receiver_name,
        "soort_ketenpartner": _choice(PartnerType.choices, referral.receiver_partner_type),
        "doel": redact(referral.purpose),
        "grondslag": _choice(LegalGround.choices, referral.legal_ground),
        "status": referral.get_status_display(),
        "afgesloten_op": _when(referral.closed_at),
        "gedeelde_gegevens": shared,
    }


def _care(trajectory: CareTrajectory, redact: Redactor) -> dict[str, Any]:
    period = getattr(trajectory, "reflection_period", None)
    return {
        "casus": trajectory.person.case.reference,
        "gestart_op": _when(trajectory.started_on),
        "afgesloten_op": _when(trajectory.ended_on),
        "verblijfsstatus": trajectory.get_residence_status_display(),
        "aangifte_gedaan": trajectory.aangifte_made,
        "verantwoordelijke_gemeente": trajectory.responsible_municipality.name
        if trajectory.responsible_municipality else "",
        "opvang": [{"soort": p.get_kind_display(), "aanbieder": p.provider, "begin": _when(p.started_on),
                    "einde": _when(p.ended_on)} for p in trajectory.placements.all()],
        "bedenktijd": {"soort": period.get_kind_display(), "ingang": _when(period.starts_on),
                       "loopt_af_op": _when(period.deadline)} if period else None,
        "verblijfsstappen": [{"stap": e.get_kind_display(), "datum": _when(e.occurred_on),
                              "toelichting": redact(e.note)} for e in trajectory.permit_events.all()],
    }


def _who(entry: AccessLogEntry | AuditEvent) -> str:
    """An employee by organisation, never by name; the system as itself."""
    actor = entry.actor
    if actor is None:
        return "Meldroute (systeem)" if entry.actor_label == "systeem" else "Ketenpartner (persoonlijke link)"
    return actor.organisation.name if actor.organisation is not None else "Meldroute"


def build_export(records: list[Person], *, controller: str, request_reference: str) -> dict[str, Any]:
    """Everything about the data subject whose records these are."""
    case_ids = sorted({p.case_id for p in records})
    cases = list(Case.objects.filter(pk__in=case_ids).select_related("municipality").prefetch_related("persons")
                 .order_by("reference"))
    others = Person.objects.filter(case_id__in=case_ids).exclude(pk__in=[p.pk for p in records])
    redact = Redactor(others, records)
    signals = list(Signal.objects.filter(cases__in=case_ids).distinct().select_related("municipality")
                   .order_by("received_at"))
    referrals = list(Referral.objects.filter(signal__in=signals).select_related("signal").order_by("created_at"))
    trajectories = list(CareTrajectory.objects.filter(person__in=records)
                        .select_related("person__case", "responsible_municipality")
                        .prefetch_related("placements", "permit_events"))
    consents = [c for p in records for c in p.consents.all()]
    overrides = [o for p in records for o in p.consent_overrides.all()]
    pseudonym_of = {p.uuid: p.pseudonym for p in records}
    # Their care trajectory is read and changed under its own target: it is theirs too.
    pseudonym_of |= {t.uuid: f"{t.person.pseudonym} (zorgtraject)" for t in trajectories}
    targets = list(pseudonym_of)
    access = AccessLogEntry.objects.filter(target_uuid__in=targets).select_related("actor__organisation")
    changes = AuditEvent.objects.filter(target_uuid__in=targets).select_related("actor__organisation")
    return {
        "over_dit_overzicht": {
            "wettelijke_basis": "AVG artikel 15 (recht op inzage)",
            "verwerkingsverantwoordelijke": controller,
            "kenmerk_verzoek": request_reference,
            "opgesteld_op": _when(timezone.now()),
            "toelichting": ("Alle gegevens die Meldroute over u bevat. Andere personen staan er niet in: wie samen "
                            "met u in een casus voorkomt, heet hier 'andere betrokkene'. Medewerkers staan vermeld "
                            "met hun organisatie."),
        },
        "persoonsgegevens": [_person(p) for p in records],
        "casussen": [_case(c, records, redact) for c in cases],
        "signalen": [_signal(s, redact) for s in signals],
        "doorverwijzingen": [_referral(r, redact) for r in referrals],
        "toestemmingen": [{"casus": c.person.case.reference, "waarvoor": c.get_kind_display(),
                           "ketenpartner": _choice(PartnerType.choices, c.partner_type), "gegeven": c.given,
                           "gegeven_door": c.get_given_by_display(), "datum": _when(c.given_on),
                           "ingetrokken_op": _when(c.withdrawn_at)} for c in consents],
        "afwijkingen_van_toestemming": [{"casus": o.person.case.reference, "waarvoor": o.get_kind_display(),
                                         "ketenpartner": _choice(PartnerType.choices, o.partner_type),
                                         "grondslag": o.get_legal_ground_display(), "datum": _when(o.created_at)}
                                        for o in overrides],
        "zorg": [_care(t, redact) for t in trajectories],
        "inzage_door_medewerkers": [{"tijdstip": _when(e.created_at), "record": pseudonym_of.get(e.target_uuid, ""),
                                     "organisatie": _who(e), "velden": list(e.fields), "doel": redact(e.purpose)}
                                    for e in access.order_by("id")],
        "wijzigingen": [{"tijdstip": _when(e.created_at), "record": pseudonym_of.get(e.target_uuid, ""),
                         "handeling": ACTIONS.get(e.action, e.action), "organisatie": _who(e),
                         "velden": list(e.fields)}
                        for e in changes.order_by("id")],
    }
