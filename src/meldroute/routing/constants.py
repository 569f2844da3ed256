"""Vocabularies of a meldroute: who acts, what happens, which facts a step's condition may test."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StepActor(models.TextChoices):
    """Who must act on a step."""

    AF = "af", _("Aandachtsfunctionaris")
    AF_OOV = "af_oov", _("Aandachtsfunctionaris OOV (dader- en locatiesignalen)")
    AF_ZORG = "af_zorg", _("Aandachtsfunctionaris Zorg, Werk en Inkomen (slachtoffersignalen)")
    MELDCODE_PROFESSIONAL = "meldcode_professional", _("Professional onder de meldcode, samen met de AF")
    MEETING = "meeting", _("Het overleg")
    PARTNER = "partner", _("De ketenpartner")
    ZVH = "zvh", _("Zorg- en Veiligheidshuis")


class StepAction(models.TextChoices):
    """What happens on a step, and so which event completes it."""

    PICK_UP = "pick_up", _("Oppakken")
    INFORM = "inform", _("Informeren")
    ENRICH = "enrich", _("Verrijken")
    MEETING = "meeting", _("Inbrengen in een overleg")
    REFER = "refer", _("Doorverwijzen naar een ketenpartner")
    OPEN_CASE = "open_case", _("Casus openen")
    FEEDBACK = "feedback", _("Terugkoppelen aan de melder")
    PARTNER_FEEDBACK = "partner_feedback", _("Terugkoppeling van de ketenpartner aan de aandachtsfunctionaris")
    DECIDE = "decide", _("Besluiten")


class MeetingKind(models.TextChoices):
    SCREENING = "screening", _("Screeningsoverleg")
    SIGNALING = "signaling", _("Signaleringsoverleg")
    UNDERMINING = "undermining", _("Ondermijningsoverleg / -tafel")
    TRAFFICKING_TABLE = "trafficking_table", _("Regionale mensenhandeltafel (RIEC informatieplein)")


class StepState(models.TextChoices):
    PENDING = "pending", _("Nog niet aan de beurt")
    ACTIVE = "active", _("Aan de beurt")
    DONE = "done", _("Afgerond")
    SKIPPED = "skipped", _("Niet van toepassing")


class DraftStatus(models.TextChoices):
    """Where a change to a region's meldroute stands: drafted, then published by a second person, or refused."""

    DRAFT = "draft", _("Concept")
    PUBLISHED = "published", _("Gepubliceerd")
    REFUSED = "refused", _("Afgewezen")


class Side(models.TextChoices):
    """Whether a signal is about a victim or about a perpetrator or location (Zoeterwoude's split)."""

    UNKNOWN = "unknown", _("Nog niet bekend")
    VICTIM = "victim", _("Slachtoffersignaal")
    PERPETRATOR = "perpetrator", _("Dader- of locatiesignaal")
    BOTH = "both", _("Beide")


class Decision(models.TextChoices):
    """What a meeting (or the AF) decided; stored as the route fact `decision`."""

    CONTINUE = "continue", _("Verder in de meldroute")
    REFER = "refer", _("Doorverwijzen naar een ketenpartner")
    CASE = "case", _("Casus starten")
    MONITOR = "monitor", _("Monitoren en opnieuw agenderen")
    NO_TRAFFICKING = "no_trafficking", _("Geen mensenhandel")


# The facts a step's condition may test, and their type. Conditions are {fact: value or [values]}; a list fact
# (forms) matches when it shares a value with the condition, a scalar fact when it equals one of the values.
FACTS: dict[str, type] = {
    "acute": bool,
    "forms": list,
    "assessment": str,
    "side": str,
    "prostitution": bool,
    "minor": bool,
    "meldcode": bool,
    "decision": str,
    # Set by the route's own events: the signal went to a chain partner; a partner returned its outcome.
    "referred": bool,
    "partner_outcome": bool,
}

# Events that complete an active step with this action (routing.services.record_route_event). Inform and decide
# steps are completed by hand; enrichment ends when the AF records the classification and the route facts.
EVENT_FOR_ACTION: dict[str, str] = {  # keyed by StepAction values (a step's `action` is its text)
    StepAction.PICK_UP: "picked_up",
    StepAction.ENRICH: "classified",
    StepAction.MEETING: "meeting_decided",
    StepAction.REFER: "referral_sent",
    StepAction.OPEN_CASE: "case_opened",
    StepAction.FEEDBACK: "feedback_given",
    StepAction.PARTNER_FEEDBACK: "outcome_returned",
}
