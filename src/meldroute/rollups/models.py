"""One row per municipality and day of receipt: the signals' counts and durations, grouped by classified forms."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from meldroute.organisations.models import Organisation


class SignalDay(models.Model):
    """The signals a municipality received on one (local) day, summed: never a person, never a signal's identity.

    `cells` maps a forms key (the classification's forms, sorted and comma-joined; "" when unclassified) to the counts
    of those signals by their raw values — {"n", "acute", "sector": {value: n}, "team": {"channel:team": n},
    "outcome": {value: n}} — so monitoring applies its own categories (rare ones, "overig") when it reads.
    `durations` maps the same key to {"triage": [seconds…], "feedback": [seconds…]} (from receipt to the first
    classification and to feedback), kept whole so the medians over any period are exact. Kept in the same
    transaction as each change of a signal (receivers.py); `meldroute rebuild_rollups` recomputes them all."""

    municipality = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+",
                                     verbose_name=_("gemeente"))
    day = models.DateField(_("dag van ontvangst"))
    total = models.PositiveIntegerField(_("signalen"), default=0)
    cells = models.JSONField(default=dict)
    durations = models.JSONField(default=dict)
    # The report's timeliness (services.timeliness_of): what is settled counted, what depends on "now" kept as
    # moments (microseconds since the epoch) to compare with it; with the triage terms it was computed under.
    timeliness = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("dagtotaal signalen")
        verbose_name_plural = _("dagtotalen signalen")
        constraints = [models.UniqueConstraint(fields=["municipality", "day"], name="rollups_signalday_unique")]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.day}: {self.total}"


class SignalMonth(models.Model):
    """A municipality's signals of one (local) calendar month: the sum of its SignalDay rows, for whole-month periods.

    `cells` is the days' cells summed (same shape). The durations are kept for exact medians without reading every
    value: `hist` maps a forms key to {"triage"|"feedback": {bucket: n}}, and `durations` maps
    "triage"|"feedback" → bucket → forms key → [seconds…] (sorted). A bucket ("b<int>", services.bucket_of) is a
    range of ⅛ of a doubling of seconds, so the buckets order the values: a median is found by counting buckets in
    `hist`, then reading only the one or two buckets that hold the middle (monitoring.aggregates). Recomputed from the
    month's days whenever one of them is (services.refresh_day), and by `meldroute rebuild_rollups`."""

    municipality = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+",
                                     verbose_name=_("gemeente"))
    month = models.DateField(_("maand van ontvangst"))  # the first day of the month
    total = models.PositiveIntegerField(_("signalen"), default=0)
    cells = models.JSONField(default=dict)
    hist = models.JSONField(default=dict)
    durations = models.JSONField(default=dict)
    timeliness = models.JSONField(default=dict)  # the days' timeliness summed (terms None if they differ)

    class Meta:
        verbose_name = _("maandtotaal signalen")
        verbose_name_plural = _("maandtotalen signalen")
        constraints = [models.UniqueConstraint(fields=["municipality", "month"], name="rollups_signalmonth_unique")]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.month:%Y-%m}: {self.total}"
