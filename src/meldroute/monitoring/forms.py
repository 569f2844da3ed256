"""Input shape of the monitoring pages: fixed periods and dimensions only (see suppression.py on why)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from meldroute.triage.constants import ExploitationForm

from .aggregates import Period
from .constants import REPORT_KINDS, REPORT_SECTIONS
from .tables import DIMENSIONS, SIGNAL_DIMENSION_KEYS, VICTIM_DIMENSION_KEYS, available_years

TEXT = {"rows": 4}


def rolling_label(today: date | None = None) -> str:
    """What "12m" covers, in words: this month so far and the eleven before it, named (in December that is the
    calendar year, and the label then says so rather than promising a different window)."""
    period = parse_period("12m", today)
    last = date(period.end.year - (period.end.month == 1), (period.end.month - 2) % 12 + 1, 1)
    return str(_("Laatste 12 maanden: %(start)s t/m %(end)s (tot vandaag)")) % {
        "start": date_format(period.start, "F Y"), "end": date_format(last, "F Y")}


def period_choices(today: date | None = None) -> list[tuple[str, str]]:
    today = today or timezone.localdate()
    choices = [("12m", rolling_label(today))]
    for year in available_years(today):
        label = str(year) if year < today.year else str(_("%(year)s (tot vandaag)")) % {"year": year}
        choices.append((str(year), label))
    for year in available_years(today, span=3):
        for half in (2, 1):
            if date(year, 1 if half == 1 else 7, 1) <= today:
                label = str(_("%(year)s, %(half)se halfjaar")) % {"year": year, "half": half}
                choices.append((f"{year}-h{half}", label))
    return choices


def parse_period(value: str, today: date | None = None) -> Period:
    today = today or timezone.localdate()
    if value == "12m":  # this month and the eleven before it
        index = today.year * 12 + today.month - 1
        start_year, start_month = divmod(index - 11, 12)
        end_year, end_month = divmod(index + 1, 12)
        return Period(date(start_year, start_month + 1, 1), date(end_year, end_month + 1, 1))
    if "-h" in value:
        year, half = value.split("-h")
        return Period.half_year(int(year), int(half))
    return Period.year(int(value))


class DashboardFilterForm(forms.Form):
    periode = forms.ChoiceField(label=_("Periode"), required=False)
    vorm = forms.ChoiceField(label=_("Vorm van uitbuiting"), required=False,
                             choices=[("", _("Alle vormen")), *ExploitationForm.choices])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["periode"].choices = period_choices()  # type: ignore[attr-defined]
        self.fields["periode"].initial = "12m"

    def period(self) -> Period:
        value = (self.cleaned_data.get("periode") if self.is_valid() else "") or "12m"
        return parse_period(value)

    def form(self) -> str | None:
        return (self.cleaned_data.get("vorm") if self.is_valid() else None) or None


class RegionalForm(forms.Form):
    jaar = forms.TypedChoiceField(label=_("Jaar"), coerce=int, required=False)
    onderwerp = forms.ChoiceField(
        label=_("Onderwerp"), required=False,
        choices=[(key, DIMENSIONS[key][0]) for key in (*SIGNAL_DIMENSION_KEYS, *VICTIM_DIMENSION_KEYS)])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["jaar"].choices = [(y, str(y)) for y in available_years()]  # type: ignore[attr-defined]

    def values(self) -> tuple[int, str]:
        data = self.cleaned_data if self.is_valid() else {}
        return data.get("jaar") or available_years()[0], data.get("onderwerp") or "form"


class ComenshaExportForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Registratiejaar"), coerce=int,
                                  error_messages={"required": _("Kies een jaar."),
                                                  "invalid_choice": _("Kies een jaar uit de lijst.")})
    reason = forms.CharField(label=_("Reden van de export"), max_length=500, widget=forms.Textarea(attrs=TEXT),
                             help_text=_("Bijvoorbeeld: jaarlijkse registratie slachtoffers bij CoMensha."),
                             error_messages={"required": _("Geef de reden van deze export.")})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in available_years()]  # type: ignore[attr-defined]


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Soort rapportage"), choices=list(REPORT_KINDS.items()),
                             error_messages={"required": _("Kies het soort rapportage.")})
    year = forms.TypedChoiceField(label=_("Jaar"), coerce=int,
                                  error_messages={"invalid_choice": _("Kies een jaar uit de lijst.")})
    half = forms.TypedChoiceField(label=_("Halfjaar"), coerce=int, choices=[(1, _("1e halfjaar")),
                                                                            (2, _("2e halfjaar"))],
                                  required=False, empty_value=None)
    intro = forms.CharField(label=_("Inleiding"), required=False, max_length=5_000, widget=forms.Textarea(attrs=TEXT))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in available_years()]  # type: ignore[attr-defined]
        for key, heading in REPORT_SECTIONS:
            self.fields[key] = forms.CharField(label=heading, required=False, max_length=10_000,
                                               widget=forms.Textarea(attrs=TEXT))

    def texts(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(key, "") for key in ("intro", *(k for k, _h in REPORT_SECTIONS))}
