"""Vocabularies of the overleggen: cadence, meeting state, and which roles take part or chair."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from meldroute.accounts.constants import Role
from meldroute.partners.constants import DataCategory, LegalGround
from meldroute.routing.constants import Decision, MeetingKind


class Cadence(models.TextChoices):
    WEEKLY = "weekly", _("Wekelijks")
    MONTHLY = "monthly", _("Maandelijks")
    QUARTERLY = "quarterly", _("Vier keer per jaar")
    HALF_YEARLY = "half_yearly", _("Twee keer per jaar")


# The months a quarterly or half-yearly table meets in (its weekday and week of the month as a monthly one).
CADENCE_MONTHS: dict[str, tuple[int, ...]] = {
    Cadence.QUARTERLY: (1, 4, 7, 10),
    Cadence.HALF_YEARLY: (4, 10),
}


class SeriesKind(models.TextChoices):
    """The kinds of table: the four a meldroute step can wait for (routing.MeetingKind, same values), and the two
    bestuurlijke tables of seed 002 §5.5 that discuss the approach, not signals (no route step brings items there:
    cases are brought to them by hand)."""

    SCREENING = MeetingKind.SCREENING.value, MeetingKind.SCREENING.label
    SIGNALING = MeetingKind.SIGNALING.value, MeetingKind.SIGNALING.label
    UNDERMINING = MeetingKind.UNDERMINING.value, MeetingKind.UNDERMINING.label
    TRAFFICKING_TABLE = MeetingKind.TRAFFICKING_TABLE.value, MeetingKind.TRAFFICKING_TABLE.label
    THEME = "theme", _("Themaoverleg ondermijning (OOV, burgemeester, politie)")
    ADMINISTRATIVE_TABLE = "administrative_table", _("Bestuurlijke mensenhandeltafel")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("maandag")
    TUESDAY = 1, _("dinsdag")
    WEDNESDAY = 2, _("woensdag")
    THURSDAY = 3, _("donderdag")
    FRIDAY = 4, _("vrijdag")


class Ordinal(models.IntegerChoices):
    """Which weekday of the month a monthly meeting falls on."""

    FIRST = 1, _("eerste")
    SECOND = 2, _("tweede")
    THIRD = 3, _("derde")
    FOURTH = 4, _("vierde")
    LAST = -1, _("laatste")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Gepland")
    HELD = "held", _("Gehouden")
    CANCELLED = "cancelled", _("Vervallen")


# Roles whose holders sit at a meeting table for their organisation. Ketenregisseur, beheerder, burgemeester and
# melder follow aggregates or their own signals, not the tables' items (SPEC §1).
WORKING_ROLES = frozenset({Role.AF, Role.PROCESREGISSEUR, Role.CASUSREGISSEUR, Role.ZORGCOORDINATOR, Role.PARTNER})
# Roles of the chair organisation that may chair: record decisions and close the meeting.
CHAIR_ROLES = frozenset({Role.AF, Role.PROCESREGISSEUR, Role.PARTNER})
# Decisions that need no owner or action: nothing further is done, or the item simply returns next time.
DECISIONS_WITHOUT_ACTION = frozenset({Decision.NO_TRAFFICKING, Decision.MONITOR})
# What a table may decide about a case (a case has no route to refer or to open a case from), with the wording
# that fits a case; the stored value stays the route's Decision value.
CASE_DECISION_LABELS = {
    Decision.CONTINUE: _("Doorgaan met het plan van aanpak"),
    Decision.MONITOR: Decision.MONITOR.label,
    Decision.NO_TRAFFICKING: _("Geen mensenhandel (advies: casus afsluiten)"),
}
CASE_DECISIONS = frozenset(CASE_DECISION_LABELS)

ACCESS_PURPOSE = "bespreking in overleg"
# The legal ground a table shares on, per kind of table (seed 000 bijlage 1, seed 002 §5.6): the ZVH covenant at the
# screeningsoverleg, the RIEC covenant at the RIEC's tables, the municipality's public task at its own overleg. The
# sharing rules (partners, data) then decide per participant's partner type which categories may go on that ground.
LEGAL_GROUND_OF_KIND: dict[str, str] = {
    MeetingKind.SCREENING: LegalGround.ZVH_COVENANT,
    MeetingKind.SIGNALING: LegalGround.PUBLIC_TASK,
    MeetingKind.UNDERMINING: LegalGround.RIEC_COVENANT,
    MeetingKind.TRAFFICKING_TABLE: LegalGround.RIEC_COVENANT,
    SeriesKind.THEME: LegalGround.PUBLIC_TASK,
    SeriesKind.ADMINISTRATIVE_TABLE: LegalGround.RIEC_COVENANT,
}
# The table that decides on shelter in an acute situation (seed 003 §6, footnote 12): "De deelnemers van het
# screeningsoverleg bepalen in een acute situatie in onderling overleg of de personen moeten worden opgevangen."
SHELTER_KINDS: frozenset[str] = frozenset({SeriesKind.SCREENING})
# Which fields of the decision form each decision needs (the form shows only these; the rest is ignored).
DECISION_FIELDS: dict[str, tuple[str, ...]] = {
    Decision.CONTINUE: ("owner_organisation", "action", "deadline", "shelter"),
    Decision.REFER: ("refer_to", "owner_organisation", "action", "deadline", "shelter"),
    Decision.CASE: ("owner_organisation", "action", "deadline", "shelter"),
    Decision.MONITOR: ("owner_organisation", "action", "deadline", "shelter"),
    Decision.NO_TRAFFICKING: (),
}
MOVE_REASON_MAX_LENGTH = 300
# What every participant sees of any signal on the agenda (reference, date, municipality, status; the forms of
# exploitation and the question to the table are added outside the categories): no personal data.
MINIMAL_CATEGORIES: frozenset[str] = frozenset({DataCategory.SUMMARY})
CASE_REASON_MAX_LENGTH = 500
