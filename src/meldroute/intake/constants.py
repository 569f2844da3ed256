"""Signal states, the table of allowed transitions, channels and closing outcomes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SignalStatus(models.TextChoices):
    RECEIVED = "received", _("Ontvangen")
    IN_TRIAGE = "in_triage", _("In behandeling")
    INFO_REQUESTED = "info_requested", _("Informatie gevraagd aan melder")
    IN_ROUTE = "in_route", _("In de meldroute")
    FORWARDED = "forwarded", _("Doorgezet naar ketenpartner")
    CLOSED = "closed", _("Afgesloten")
    REOPENED = "reopened", _("Heropend")
    CANCELLED = "cancelled", _("Geannuleerd")


S = SignalStatus
# Every allowed (from -> to) step. The transition service refuses everything else.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    S.RECEIVED: frozenset({S.IN_TRIAGE, S.CANCELLED}),
    S.IN_TRIAGE: frozenset({S.INFO_REQUESTED, S.IN_ROUTE, S.FORWARDED, S.CLOSED, S.CANCELLED}),
    S.INFO_REQUESTED: frozenset({S.IN_TRIAGE, S.CANCELLED}),
    S.IN_ROUTE: frozenset({S.INFO_REQUESTED, S.FORWARDED, S.CLOSED, S.IN_TRIAGE}),
    S.FORWARDED: frozenset({S.IN_ROUTE, S.CLOSED}),
    S.CLOSED: frozenset({S.REOPENED}),
    S.REOPENED: frozenset({S.IN_TRIAGE, S.INFO_REQUESTED, S.IN_ROUTE, S.FORWARDED, S.CLOSED, S.CANCELLED}),
    S.CANCELLED: frozenset(),
}
# Transitions that must carry an explanatory text (SPEC §4: closed and reopened "with a text").
TEXT_REQUIRED = frozenset({S.CLOSED, S.REOPENED, S.CANCELLED})
# States in which a signal still waits for work by the AF.
ACTIVE_STATUSES = frozenset({S.RECEIVED, S.IN_TRIAGE, S.INFO_REQUESTED, S.IN_ROUTE, S.FORWARDED, S.REOPENED})
# States from which the feedback clock starts (issue 2: after closing or routing).
FEEDBACK_CLOCK_STATUSES = frozenset({S.CLOSED, S.IN_ROUTE, S.FORWARDED})

# What the reporter sees: plain words, no internal detail.
REPORTER_STATUS_LABELS = {
    S.RECEIVED: _("Ontvangen"),
    S.IN_TRIAGE: _("In behandeling bij de aandachtsfunctionaris"),
    S.INFO_REQUESTED: _("Er is een vraag aan u"),
    S.IN_ROUTE: _("In behandeling"),
    S.FORWARDED: _("In behandeling"),
    S.CLOSED: _("Afgerond"),
    S.REOPENED: _("In behandeling"),
    S.CANCELLED: _("Ingetrokken"),
}


class Channel(models.TextChoices):
    INTERNAL = "internal", _("Interne melding medewerker")
    PARTNER = "partner", _("Ketenpartner")
    PUBLIC = "inwoner", _("Inwoner (openbaar formulier)")  # intake.resident_services: no account, never acute


class Outcome(models.TextChoices):
    TRAFFICKING_ROUTED = "trafficking_routed", _("Vermoeden mensenhandel, doorgezet in de meldroute")
    NO_TRAFFICKING = "no_trafficking", _("Geen mensenhandel")
    OTHER_PHENOMENON = "other_phenomenon", _("Geen mensenhandel, ander fenomeen")
    INSUFFICIENT_INFORMATION = "insufficient_information", _("Onvoldoende informatie om verder te gaan")
    DUPLICATE = "duplicate", _("Dubbele melding")


class Phenomenon(models.TextChoices):
    """Where a 'not trafficking' signal goes instead of being lost (SPEC B3)."""

    UNDERMINING = "undermining", _("Andere ondermijnende criminaliteit")
    DOMESTIC_VIOLENCE = "domestic_violence", _("Huiselijk geweld / kindermishandeling")
    POOR_HOUSING = "poor_housing", _("Slechte huisvesting / overbewoning")
    LABOUR_LAW = "labour_law", _("Arbeidsrechtelijke misstand (geen uitbuiting)")
    ILLEGAL_PROSTITUTION = "illegal_prostitution", _("Illegale prostitutie zonder uitbuiting")
    CARE_NEED = "care_need", _("Zorgsignaal (wijkteam)")
    OTHER = "other", _("Ander fenomeen")
