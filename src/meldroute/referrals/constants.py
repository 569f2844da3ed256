"""Referral states, the table of allowed transitions, and the fields each data category carries."""

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from meldroute.partners.constants import DataCategory


class ReferralKind(models.TextChoices):
    """Why a signal goes out: a suspicion of trafficking (the route's referrals), or the hand-over of a signal that is
    no trafficking but another unwanted phenomenon (seed 000 §4.2; triage.services.hand_over_signal)."""

    TRAFFICKING = "trafficking", _("Mensenhandel (meldroute)")
    PHENOMENON = "phenomenon", _("Overdracht ander fenomeen (geen mensenhandel)")


class ReferralStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("Verstuurd, wacht op ketenpartner")
    ACCEPTED = "accepted", _("Geaccepteerd")
    REJECTED = "rejected", _("Afgewezen")
    DONE = "done", _("Afgerond")
    REVOKED = "revoked", _("Ingetrokken")


class OutcomeKind(models.TextChoices):
    """What the receiver did with a referral, as the AF and monitoring need it (issue 14): one of these, plus text."""

    INVESTIGATION = "investigation", _("Opgepakt voor onderzoek")
    NO_ACTION = "no_action", _("Geen actie")
    HANDED_OVER = "handed_over", _("Overgedragen aan een andere organisatie")
    OTHER = "other", _("Anders")


StrOrPromise = str | Promise
R = ReferralStatus
# Every allowed (from -> to) step (Primero's referral workflow). The transition service refuses everything else.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    R.IN_PROGRESS: frozenset({R.ACCEPTED, R.REJECTED, R.REVOKED}),
    R.ACCEPTED: frozenset({R.DONE, R.REVOKED}),
    R.REJECTED: frozenset(),
    R.DONE: frozenset(),
    R.REVOKED: frozenset(),
}
OPEN_STATUSES = frozenset({R.IN_PROGRESS, R.ACCEPTED})
# A rejection carries its reason, a completion its outcome.
TEXT_REQUIRED: dict[str, str] = {R.REJECTED: "reason", R.DONE: "outcome"}

D = DataCategory
# The fields each category puts into a referral's shared_data, in display order, with their Dutch label.
CATEGORY_FIELDS: dict[str, tuple[tuple[str, StrOrPromise], ...]] = {
    D.SUMMARY: (("reference", _("Kenmerk")), ("received_on", _("Ontvangen op")),
                ("municipality", _("Gemeente")), ("is_acute", _("Acuut"))),
    D.CLASSIFICATION: (("assessment", _("Beoordeling")), ("forms", _("Vorm(en) van uitbuiting")),
                       ("sector", _("Sector")), ("indicators", _("Indicatoren"))),
    D.DESCRIPTION: (("description", _("Omschrijving")), ("observed_on", _("Datum waarneming")),
                    ("observed_time", _("Tijdstip of periode"))),
    D.LOCATION: (("business_name", _("Bedrijf")), ("address", _("Adres")), ("postcode", _("Postcode")),
                 ("kvk_number", _("KvK-nummer")), ("location_description", _("Andere locatie"))),
    D.PERSONS: (("persons_description", _("Betrokken personen")),),
    D.ENRICHMENT: (("notes", _("Verrijking")),),
}

# A hand-over of another phenomenon has its own field set: its classification is the phenomenon and the AF's finding
# that it is no trafficking; the trafficking classification (forms, sector, indicators) does not go with it.
PHENOMENON_CATEGORY_FIELDS: dict[str, tuple[tuple[str, StrOrPromise], ...]] = {
    **CATEGORY_FIELDS,
    D.CLASSIFICATION: (("phenomenon", _("Ander fenomeen")), ("assessment", _("Beoordeling"))),
}
FIELDS_BY_KIND: dict[str, dict[str, tuple[tuple[str, StrOrPromise], ...]]] = {
    ReferralKind.TRAFFICKING: CATEGORY_FIELDS, ReferralKind.PHENOMENON: PHENOMENON_CATEGORY_FIELDS}


def category_fields(kind: str, category: str) -> tuple[tuple[str, StrOrPromise], ...]:
    return FIELDS_BY_KIND.get(kind, CATEGORY_FIELDS)[category]
