"""Referrals (doorverwijzingen) to chain partners, each with its own authorised field set and personal links."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "meldroute.referrals"
    label = "referrals"
    verbose_name = _("Doorverwijzingen")

    def ready(self) -> None:
        from meldroute.intake import timeline as signal_timeline

        from . import timeline

        signal_timeline.register("referrals", timeline.entries)  # its entries on a signal's timeline
        from . import notifying  # noqa: F401 — tells partners and AFs about referrals (meldroute.notifications)
