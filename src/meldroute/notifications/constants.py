"""The kinds of notification (SPEC 2B, 2E; issue 14). Each says what happened, never about whom."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    REFERRAL_RECEIVED = "referral_received", _("Doorverwijzing ontvangen")
    REFERRAL_ANSWERED = "referral_answered", _("Doorverwijzing beantwoord")
    REFERRAL_REVOKED = "referral_revoked", _("Doorverwijzing ingetrokken")
    QUESTION_ANSWERED = "question_answered", _("Vraag aan de melder beantwoord")
    CASE_ACTION_ASSIGNED = "case_action_assigned", _("Actie in een casus aan u toegewezen")
    CASE_ACTION_OVERDUE = "case_action_overdue", _("Actie in een casus over de termijn")
    AGENDA_PUBLISHED = "agenda_published", _("Agenda van een overleg gepubliceerd")
    REFERRAL_MESSAGE = "referral_message", _("Vraag of antwoord bij een doorverwijzing")
    ROUTE_STEP_OVERDUE = "route_step_overdue", _("Stap in de meldroute over de termijn")
    POLICY_ACTION_OVERDUE = "policy_action_overdue", _("Actiepunt van het beleidsplan over de termijn")
