"""The register of processing activities (AVG art. 30), generated from Meldroute's own configuration, never typed
twice: the purposes and their legal bases are the table below, each naming the models whose fields are the data
categories; the receivers are the region's sharing rules (partners.selectors.describe_rules: national defaults, the
region's own rules winning) and its partner directory; the retention terms are the retention rules with their
configured months (meldroute.retention.rules); the security measures are read from the settings. A change in a
sharing rule or a retention term is in the register the next time it is shown."""

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from meldroute.care.models import CareTrajectory, Placement, ReflectionPeriod
from meldroute.cases.models import Case, Intervention
from meldroute.intake.models import Attachment, Signal
from meldroute.organisations.constants import OrganisationKind
from meldroute.organisations.models import Organisation, Region
from meldroute.partners.constants import PERSONAL_CATEGORIES, LegalGround, PartnerType
from meldroute.partners.models import SharingRule
from meldroute.partners.selectors import describe_rules, directory_entries_for_region
from meldroute.persons.constants import PersonRole
from meldroute.persons.models import Consent, Person
from meldroute.referrals.models import Referral
from meldroute.triage.models import Classification, EnrichmentNote

# Who the data is about, besides the persons on a case (PersonRole).
REPORTER = "Melders (medewerkers van de gemeente en ketenpartners)"
EMPLOYEE = "Gebruikers van Meldroute (medewerkers)"
PERSONS = "Personen op een casus: " + ", ".join(str(label).lower() for label in PersonRole.labels)
MENTIONED = "Personen die in een signaal worden beschreven"


@dataclass(frozen=True)
class Processing:
    """One processing activity: what for, on which legal bases, about whom, which data (the models' fields), and
    whether its data leaves by the sharing rules. Its retention terms are the retention rules whose records are its
    models (a rule's target_type is a model's audit_target), plus `extra_targets` for records that are no model here."""

    key: str
    name: str
    purpose: str
    legal_bases: tuple[str, ...]  # LegalGround values
    legal_source: str
    subjects: tuple[str, ...]
    models: tuple[type[models.Model], ...]
    shared: bool = False
    extra_targets: tuple[str, ...] = ()

    @property
    def targets(self) -> set[str]:
        return {str(getattr(m, "audit_target", "")) for m in self.models} - {""} | set(self.extra_targets)


PROCESSING: tuple[Processing, ...] = (
    Processing("signals", "Signalen ontvangen en beoordelen",
               "Signalen van mensenhandel van medewerkers en ketenpartners ontvangen, wegen, verrijken en "
               "afhandelen (interne meldroute, bestuurlijke aanpak)",
               (LegalGround.PUBLIC_TASK,), "Gemeentewet art. 160 en 172; Wet Bibob; APV (bestuurlijke aanpak)",
               (MENTIONED, REPORTER), (Signal, Attachment, Classification, EnrichmentNote)),
    Processing("referrals", "Doorverwijzen naar ketenpartners",
               "Een signaal met precies de toegestane gegevens doorgeven aan de ketenpartner die moet handelen",
               (LegalGround.PUBLIC_TASK, LegalGround.LEGAL_OBLIGATION, LegalGround.VITAL_INTEREST,
                LegalGround.RIEC_COVENANT, LegalGround.ZVH_COVENANT, LegalGround.MELDCODE),
               "per ketenpartner en soort gegevens: de deelregels hieronder", (MENTIONED,), (Referral,), shared=True),
    Processing("cases", "Casusregie en bestuurlijke interventies",
               "Een casus met plan van aanpak voeren en bestuurlijke interventies vastleggen",
               (LegalGround.PUBLIC_TASK, LegalGround.ZVH_COVENANT, LegalGround.RIEC_COVENANT),
               "Gemeentewet; convenanten Zorg- en Veiligheidshuis en RIEC", (PERSONS,), (Case, Intervention, Person),
               shared=True),
    Processing("care", "Zorg en opvang voor slachtoffers",
               "Slachtoffers begeleiden naar zorg, opvang en bedenktijd; melden bij CoMensha",
               (LegalGround.CONSENT, LegalGround.VITAL_INTEREST, LegalGround.LEGAL_OBLIGATION),
               "Wmo 2015; Jeugdwet; Vreemdelingencirculaire B8/3; toestemming van de betrokkene",
               (str(PersonRole.VICTIM.label),), (CareTrajectory, Placement, ReflectionPeriod, Consent)),
    Processing("audit", "Verantwoording: inzage- en wijzigingslog",
               "Vastleggen wie welke persoonsgegevens inzag of wijzigde, met doel (AVG art. 5 lid 2 en 32)",
               (LegalGround.LEGAL_OBLIGATION,), "AVG art. 5 lid 2 en art. 32; BIO", (EMPLOYEE,), (),
               extra_targets=("audit.access", "audit.event")),
)

SPECIAL_FIELDS = {"exploitation_forms", "means_of_control", "victim_status"}  # may reveal a crime or health


@dataclass
class Activity:
    name: str
    purpose: str
    legal_bases: list[str]
    legal_source: str
    subjects: list[str]
    data: list[str]
    receivers: list[str]
    retention: list[str]


@dataclass
class ReceiverRule:
    category: str
    text: str
    regional: bool
    personal: bool = True  # the category holds personal data (all but the summary)
    allowed: bool = True  # it may go on at least one ground


@dataclass
class Receiver:
    partner_type: str
    label: str
    organisations: list[str]
    rules: list[ReceiverRule]


@dataclass
class RetentionTerm:
    key: str
    target_type: str
    record_type: str
    covers: str
    term: str
    action: str
    source: str


@dataclass
class Register:
    region: Region
    controllers: list[str]
    generated_at: datetime
    activities: list[Activity]
    receivers: list[Receiver]
    retention: list[RetentionTerm] | None  # None: the retention configuration is not installed
    security: list[str]
    notes: list[str] = field(default_factory=list)


def _data_categories(model_classes: tuple[type[models.Model], ...]) -> list[str]:
    """The fields of the models, by their Dutch name: what is stored, straight from the models."""
    names: list[str] = []
    for model in model_classes:
        for f in model._meta.get_fields():
            if not isinstance(f, models.Field) or f.auto_created or not f.editable and f.name != "restricted_at":
                continue
            if f.name in {"id", "uuid", "created_at", "updated_at"} or isinstance(f, models.ForeignKey):
                continue
            label = str(f.verbose_name)
            if label.replace(" ", "_") == f.name:
                continue  # a technical field without a Dutch name (hashes, timestamps of reminders)
            label += " (bijzonder/strafrechtelijk gevoelig)" if f.name in SPECIAL_FIELDS else ""
            if label not in names:
                names.append(label)
    return names


def retention_terms() -> list[RetentionTerm] | None:
    """The terms as configured now (meldroute.retention.rules); None when that app is not installed."""
    try:
        from meldroute.retention.rules import RULES
    except ImportError:  # pragma: no cover - HOOK: the register says the terms are not configured
        return None
    terms = []
    for rule in RULES:
        months = rule.months
        term = f"{months} maanden" if months is not None else "niet geautomatiseerd"
        terms.append(RetentionTerm(key=rule.key, target_type=rule.target_type, record_type=rule.record_type,
                                   covers=rule.covers,
                                   term=f"{term} na {rule.starts}" if months is not None else term,
                                   action=rule.action.label, source=rule.source))
    return terms


def _receivers(region: Region) -> list[Receiver]:
    entries = list(directory_entries_for_region(region))
    used = {e.partner_type for e in entries}
    used |= set(SharingRule.objects.filter(region__isnull=True).values_list("partner_type", flat=True))
    used |= set(SharingRule.objects.filter(region=region).values_list("partner_type", flat=True))
    receivers = []
    for partner_type in PartnerType:
        if partner_type.value not in used:
            continue
        rules = [ReceiverRule(category=line.label, text=line.text, regional=line.is_regional,
                              personal=line.category in PERSONAL_CATEGORIES, allowed=bool(line.grounds))
                 for line in describe_rules(region, partner_type.value)]
        receivers.append(Receiver(partner_type=partner_type.value, label=str(partner_type.label),
                                  organisations=[e.name for e in entries if e.partner_type == partner_type.value],
                                  rules=rules))
    return receivers


def _security() -> list[str]:
    config = settings.MELDROUTE
    limits = settings.MELDROUTE_LOGIN_LIMITS
    two_factor = "verplicht" if config.get("REQUIRE_2FA") else "uit in deze omgeving (verplicht in productie)"
    return [
        "Versleuteling in rust (Fernet) van identiteiten, signaalteksten, adressen, verrijking, gedeelde gegevens "
        "en bijlagen; zoeken via blinde indexen met een eigen sleutel (docs/privacy/encryption-at-rest.md)",
        f"Tweestapsverificatie: {two_factor}",
        f"Sessie verloopt na {settings.SESSION_COOKIE_AGE // 60} minuten zonder activiteit",
        f"Blokkade na {settings.AXES_FAILURE_LIMIT} mislukte pogingen per account, {limits['per_address']} per "
        f"herkomstadres en {limits['overall']} in totaal (django-axes)",
        "Need-to-know: één afbakeningsregel per soort gegeven; buiten de afbakening 404, niets geschreven",
        "Elke inzage en elke wijziging in een append-only, met een sleutel geketende log met ondertekende checkpoints "
        "buiten de database (docs/privacy/audit-chain.md)",
        "Rollen die persoonsgegevens zien alleen met goedkeuring van een tweede beheerder",
        "Strikte Content-Security-Policy en Permissions-Policy in de browser",
        "Gedeeld wordt alleen wat de deelregel per ketenpartner en grondslag toestaat; wat vertrok wordt vastgelegd",
    ]


def build_register(region: Region) -> Register:
    terms = retention_terms()
    receivers = _receivers(region)
    # A receiver of personal data: a partner type to which at least one personal category may go on some ground.
    shared_to = [r.label for r in receivers if any(rule.personal and rule.allowed for rule in r.rules)]
    activities = [
        Activity(name=p.name, purpose=p.purpose, legal_bases=[str(LegalGround(g).label) for g in p.legal_bases],
                 legal_source=p.legal_source, subjects=list(p.subjects), data=_data_categories(p.models),
                 receivers=shared_to if p.shared else ["geen (alleen binnen de eigen organisatie)"],
                 retention=[f"{t.record_type}: {t.term}" for t in terms if t.target_type in p.targets]
                 if terms is not None else ["bewaartermijnen nog niet geconfigureerd"])
        for p in PROCESSING]
    controllers = list(Organisation.objects.filter(region=region, kind=OrganisationKind.MUNICIPALITY)
                       .order_by("name").values_list("name", flat=True))
    notes = [] if terms is not None else ["De bewaartermijnen komen uit meldroute.retention; die is hier niet "
                                          "geïnstalleerd."]
    return Register(region=region, controllers=controllers, generated_at=timezone.now(), activities=activities,
                    receivers=receivers, retention=terms, security=_security(), notes=notes)


def register_csv(register: Register) -> str:
    """One row per fact, so a spreadsheet can filter: section, subject, item, value."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["onderdeel", "onderwerp", "kenmerk", "waarde"])
    writer.writerow(["register", register.region.name, "verwerkingsverantwoordelijken",
                     ", ".join(register.controllers)])
    writer.writerow(["register", register.region.name, "opgesteld op",
                     timezone.localtime(register.generated_at).strftime("%Y-%m-%d %H:%M")])
    for a in register.activities:
        writer.writerow(["verwerking", a.name, "doel", a.purpose])
        writer.writerow(["verwerking", a.name, "grondslagen", "; ".join(a.legal_bases)])
        writer.writerow(["verwerking", a.name, "wettelijke bron", a.legal_source])
        writer.writerow(["verwerking", a.name, "betrokkenen", "; ".join(a.subjects)])
        writer.writerow(["verwerking", a.name, "gegevens", "; ".join(a.data)])
        writer.writerow(["verwerking", a.name, "ontvangers", "; ".join(a.receivers)])
        writer.writerow(["verwerking", a.name, "bewaartermijnen", "; ".join(a.retention)])
    for r in register.receivers:
        writer.writerow(["ontvanger", r.label, "organisaties", "; ".join(r.organisations)])
        for rule in r.rules:
            writer.writerow(["ontvanger", r.label, rule.category,
                             rule.text + (" (regionale regel)" if rule.regional else "")])
    for t in register.retention or []:
        writer.writerow(["bewaartermijn", t.record_type, t.term, f"{t.action}; {t.covers}; bron: {t.source}"])
    for measure in register.security:
        writer.writerow(["beveiliging", "", "", measure])
    for note in register.notes:
        writer.writerow(["opmerking", "", "", note])
    return out.getvalue()


def register_markdown(register: Register) -> str:
    """The register as Markdown, for docs/privacy/register.md and for pasting into the municipality's own register."""
    when = timezone.localtime(register.generated_at).strftime("%Y-%m-%d %H:%M")
    lines = [f"### Register van verwerkingen — {register.region.name}", "",
             f"Opgesteld op {when} uit de configuratie. Verwerkingsverantwoordelijken: "
             f"{', '.join(register.controllers)}.", ""]
    lines += [f"> {note}" for note in register.notes]
    for a in register.activities:
        lines += [f"#### {a.name}", "", f"- **Doel**: {a.purpose}",
                  f"- **Grondslagen**: {'; '.join(a.legal_bases)} — {a.legal_source}",
                  f"- **Betrokkenen**: {'; '.join(a.subjects)}", f"- **Gegevens**: {'; '.join(a.data) or '—'}",
                  f"- **Ontvangers**: {'; '.join(a.receivers)}",
                  f"- **Bewaartermijnen**: {'; '.join(a.retention) or '—'}", ""]
    lines += ["#### Ontvangers en deelregels", "",
              "| ketenpartner | organisaties (wegwijzer) | wat mag worden gedeeld |", "|---|---|---|"]
    for r in register.receivers:
        rules = "<br>".join(f"{rule.category}: {rule.text}{' (regionale regel)' if rule.regional else ''}"
                            for rule in r.rules)
        lines.append(f"| {r.label} | {'; '.join(r.organisations) or '—'} | {rules} |")
    lines += ["", "#### Bewaartermijnen", ""]
    if register.retention is None:
        lines.append("Nog niet geconfigureerd.")
    else:
        lines += ["| soort gegevens | termijn | daarna | bron |", "|---|---|---|---|"]
        lines += [f"| {t.record_type} ({t.covers}) | {t.term} | {t.action} | {t.source} |" for t in register.retention]
    lines += ["", "#### Beveiligingsmaatregelen", ""]
    lines += [f"- {m}" for m in register.security]
    return "\n".join(lines) + "\n"
