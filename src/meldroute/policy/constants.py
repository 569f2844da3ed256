"""The policy app's vocabularies: basisniveau requirements, action statuses, training providers, activity kinds."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from meldroute.organisations.constants import Team


class Requirement(models.TextChoices):
    """The three requirements of the basisniveau bestuurlijke aanpak mensenhandel (seed 000 §2.1)."""

    POLICY = "policy", _("Beleid vastgesteld")
    AF = "af", _("Aandachtsfunctionaris aangesteld")
    SIGNALLING = "signalling", _("Actieve signalering")


class Part(models.TextChoices):
    """What each requirement is made of: some parts Meldroute knows from its own data, others are recorded."""

    POLICY_ADOPTED = "policy_adopted", _("Beleid vastgesteld (datum en document)")
    AF_APPOINTED = "af_appointed", _("Aandachtsfunctionaris met de rol in Meldroute")
    ACHTERVANG = "achtervang", _("Achtervang geregeld")
    ROUTE_KNOWN = "route_known", _("Interne meldroute bekend")
    TRAINED = "trained", _("Trainingen in de laatste 12 maanden")
    GOAL = "goal", _("Regionale doelstelling")


PARTS_OF: dict[str, tuple[str, ...]] = {
    Requirement.POLICY: (Part.POLICY_ADOPTED,),
    Requirement.AF: (Part.AF_APPOINTED, Part.ACHTERVANG),
    Requirement.SIGNALLING: (Part.ROUTE_KNOWN, Part.TRAINED),
}

# Parts Meldroute fills in from its own data; a recording can still say "met" where the data does not show it
# (an achtervang arranged with a neighbouring municipality), never the other way round.
DERIVED_PARTS = frozenset({Part.AF_APPOINTED, Part.ACHTERVANG, Part.ROUTE_KNOWN, Part.TRAINED})


class Level(models.TextChoices):
    MET = "met", _("Voldoet")
    PARTLY = "partly", _("Voldoet deels")
    NOT_MET = "not_met", _("Voldoet niet")


# The front-line teams a training should reach every 12 months (issue 15, seed 002 §5.2.2).
FRONT_LINE_TEAMS: tuple[str, ...] = (Team.BALIE, Team.KCC, Team.TOEZICHT, Team.BOA, Team.LEERPLICHT, Team.WIJKTEAM,
                                     Team.ZWI, Team.VERGUNNINGEN)
COVERAGE_MONTHS = 12
TEAM_VISITS_PER_YEAR = 2  # seed 002 §5.2.2: the AF visits each team's meeting twice a year


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Nog niet gestart")
    IN_PROGRESS = "in_progress", _("Loopt")
    DONE = "done", _("Gereed")
    DROPPED = "dropped", _("Vervallen")


FINISHED_STATUSES = frozenset({ActionStatus.DONE, ActionStatus.DROPPED})


class Provider(models.TextChoices):
    RIEC_ELEARNING = "riec_elearning", _("RIEC e-learning")
    COMENSHA = "comensha", _("CoMensha")
    FAIRWORK = "fairwork", _("FairWork")
    SHOP = "shop", _("SHOP roadshow")
    OWN = "own", _("Eigen sessie")
    OTHER = "other", _("Andere aanbieder")


class ActivityKind(models.TextChoices):
    INTRANET = "intranet", _("Bericht op intranet")
    TEAM_VISIT = "team_visit", _("Bezoek teamoverleg")
    FLYER = "flyer", _("Flyers")
    BUSINESS_MEETING = "business_meeting", _("Ondernemersbijeenkomst")
    SCHOOL_LESSON = "school_lesson", _("Les op school")
    CAMPAIGN = "campaign", _("Campagne")


DEFAULT_EVALUATION_MONTHS = 12
