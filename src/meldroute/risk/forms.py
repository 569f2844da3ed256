"""Input shape of the omgevingsscan: which register, the file, and why (the reason is audited)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .constants import RegisterKind


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Register"), choices=[("", _("— kies een register —")), *RegisterKind.choices],
                             error_messages={"required": _("Kies een register.")})
    file = forms.FileField(label=_("Bestand"), help_text=_("CSV zoals het register het levert (puntkomma, komma of "
                                                             "tab), of GeoJSON voor de wijk- en buurtkaart."),
                           error_messages={"required": _("Kies een bestand."),
                                           "empty": _("Het gekozen bestand is leeg.")})
    reason = forms.CharField(label=_("Reden van de import"), max_length=500,
                             help_text=_("Bijvoorbeeld: jaarlijkse omgevingsscan 2026, nieuwe levering KvK."),
                             error_messages={"required": _("Geef de reden van de import.")})
