"""The retention rules: per record type its term (configuration, MELDROUTE["RETENTION"]), where the term starts,
what happens at its end (anonymise: which fields are cleared; delete) and the rule's source. docs/privacy/retention.md
holds the same table; a test checks the two agree."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, overload

from django.conf import settings


class Action(StrEnum):
    ANONYMISE = "anonymise"
    DELETE = "delete"
    NOT_AUTOMATED = "not_automated"

    @property
    def label(self) -> str:
        return {"anonymise": "anonimiseren", "delete": "verwijderen",
                "not_automated": "niet geautomatiseerd: archiveren via checkpoint"}[self.value]


# Where a term comes from. The five policy plans of the region name no terms; these are the proposed defaults a
# municipality's FG confirms or changes (environment variables MELDROUTE_RETENTION_*_MONTHS).
AVG = "AVG art. 5 lid 1 onder e (opslagbeperking)"
SPEC = "SPEC F4"


@dataclass(frozen=True)
class Rule:
    key: str
    record_type: str  # Dutch, for the report
    target_type: str  # the audit target name of the records (audit.targets: never renamed)
    covers: str  # which records, in Dutch
    starts: str  # when the term starts, in Dutch
    default_months: int | None  # None: not automated
    action: Action
    cleared: tuple[str, ...]  # what is cleared or deleted (field names and related records)
    source: str

    @property
    def months(self) -> int | None:
        if self.default_months is None:
            return None
        configured: Any = settings.MELDROUTE.get("RETENTION", {})
        return int(configured.get(self.key, self.default_months))

    def due_at(self, start: datetime | date) -> datetime | date:
        """The moment the term ends for a record whose term started at `start`."""
        return add_months(start, self.months or 0)

    def cutoff(self, now: datetime) -> datetime:
        """Records whose term started at or before this moment are due at `now`."""
        return add_months(now, -(self.months or 0))


@overload
def add_months(moment: datetime, months: int) -> datetime: ...


@overload
def add_months(moment: date, months: int) -> date: ...


def add_months(moment: datetime | date, months: int) -> datetime | date:
    """The same day `months` later (or earlier); the last day of the month where that day does not exist."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = moment.day
    while True:
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            day -= 1


SIGNAL_TEXTS = ("description", "address", "postcode", "business_name", "kvk_number", "location_description",
                "observed_time", "persons_description", "observed_on", "blind indexes", "attachments (files)",
                "questions and answers", "feedback text", "status texts", "enrichment notes", "link keys",
                "agenda item actions", "shared_data of its referrals")

RULES: tuple[Rule, ...] = (
    Rule("attachments", "Bijlagen bij signalen", "intake.attachment",
         "bijlagen van afgesloten of geannuleerde signalen", "afsluiten of annuleren van het signaal", 6,
         Action.DELETE, ("file on disk", "row", "original_name"),
         f"{AVG}; een bijlage is na de triage niet meer nodig: wat ertoe doet staat in het signaal"),
    Rule("signal_no_follow_up", "Signalen zonder vervolg", "intake.signal",
         "afgesloten of geannuleerde signalen zonder doorverwijzing en zonder casus", "afsluiten of annuleren", 12,
         Action.ANONYMISE, SIGNAL_TEXTS,
         f"{SPEC} (signalen zonder vervolg worden geanonimiseerd); {AVG}; de telling blijft voor de monitor"),
    Rule("signal_followed_up", "Signalen met doorverwijzing of casus", "intake.signal",
         "afgesloten signalen die tot een doorverwijzing of casus leidden (niet zolang een casus open is)",
         "afsluiten van het signaal", 60, Action.ANONYMISE, SIGNAL_TEXTS,
         f"{SPEC}; {AVG}; de looptijd van een casus plus de evaluatieperiode"),
    Rule("referral", "Doorverwijzingen", "referrals.referral",
         "afgeronde, afgewezen of ingetrokken doorverwijzingen", "afsluiten van de doorverwijzing", 60,
         Action.ANONYMISE, ("shared_data", "purpose", "reason", "outcome", "status texts", "links"),
         f"{AVG}; het verslag van wat er gedeeld is (organisatie, grondslag, categorieën, data) blijft"),
    Rule("case_closed", "Afgesloten casussen", "cases.case", "afgesloten casussen", "afsluiten van de casus", 60,
         Action.ANONYMISE,
         ("title", "result_text", "status texts", "action descriptions and notes",
          "intervention address, business_name, kvk_number, result", "agenda requests' reasons",
          "agenda item actions", "identity of its persons without care trajectory (first_name, last_name, bsn, "
          "birth_date, address, phone, hashes)", "consent reasons"),
         f"{SPEC} (casussen na hun termijn, E6); {AVG}; HTCDS- en CoMensha-velden blijven voor de statistiek"),
    Rule("intervention", "Bestuurlijke interventies zonder casus", "cases.intervention",
         "interventies op een adres of bedrijf zonder casus (met casus: de regel van de casus)",
         "datum van de interventie", 60, Action.ANONYMISE, ("address", "business_name", "kvk_number", "result"),
         f"{SPEC} E5; {AVG}; soort, datum, grondslag en gemeente blijven voor de evaluatie"),
    Rule("care_trajectory", "Zorgtrajecten van slachtoffers", "care.trajectory",
         "beëindigde zorgtrajecten, als de casus is afgesloten", "einddatum van het traject", 84,
         Action.ANONYMISE,
         ("identity of the person (first_name, last_name, bsn, birth_date, address, phone, hashes)",
          "placement provider", "permit notes", "responsible_override_reason", "consent reasons"),
         f"{AVG}; langer dan de casus: een slachtoffer kan jaren later terugkomen voor hulp of een "
         "verblijfsvergunning"),
    Rule("access_log", "Toegangslog", "audit.access", "elke inzage van persoonsgegevens", "moment van inzage",
         None, Action.NOT_AUTOMATED, (),
         f"{SPEC} F2 en §4: de log is append-only en met een sleutel geketend; verwijderen zou de keten breken. "
         "Archiveren: een ondertekend checkpoint (verify_audit_chain --checkpoint), dan de tabel archiveren"),
    Rule("audit_events", "Auditgebeurtenissen", "audit.event", "elke wijziging, ook de sporen van deze regels",
         "moment van de wijziging", None, Action.NOT_AUTOMATED, (),
         f"{SPEC} §4: een verwijderd record laat een spoor na; de keten moet verifieerbaar blijven. Archiveren via "
         "checkpoint, niet geautomatiseerd"),
)

AUTOMATED: tuple[Rule, ...] = tuple(rule for rule in RULES if rule.action is not Action.NOT_AUTOMATED)


def rule(key: str) -> Rule:
    return next(r for r in RULES if r.key == key)


# How far ahead the report looks: what goes within this period is shown with its date.
LOOKAHEAD = timedelta(days=90)


def markdown_table() -> str:
    """The retention table of docs/privacy/retention.md, generated from RULES with the default terms (a test checks
    the page holds exactly this)."""
    lines = ["| soort | welke records | termijn | gevolg | wat er verdwijnt | bron |", "|---|---|---|---|---|---|"]
    for r in RULES:
        term = f"{r.default_months} maanden na {r.starts}" if r.default_months else "—"
        cleared = ", ".join(r.cleared) or "—"
        lines.append(f"| {r.record_type} (`{r.key}`) | {r.covers} | {term} | {r.action.label} | {cleared} | "
                     f"{r.source} |")
    return "\n".join(lines) + "\n"
