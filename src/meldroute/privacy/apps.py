"""The data subject's rights (inzage, rectificatie, beperking) and the register of processing, for the FG."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "meldroute.privacy"
    label = "privacy"
    verbose_name = _("Privacy (functionaris gegevensbescherming)")
