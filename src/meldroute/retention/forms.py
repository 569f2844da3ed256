"""Input shape of a retention hold: a signal's or case's code, a reason and an end date."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class HoldForm(forms.Form):
    reference = forms.CharField(label=_("Code van het signaal of de casus"), max_length=32,
                                help_text=_("Bijvoorbeeld de ontvangstcode van een signaal of het casusnummer."))
    reason = forms.CharField(label=_("Reden"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Bijvoorbeeld een lopend onderzoek, met kenmerk."))
    until = forms.DateField(label=_("Tot en met"), widget=forms.DateInput(attrs={"type": "date"}),
                            error_messages={"invalid": _("Vul een geldige datum in (dd-mm-jjjj).")})

    def clean_reference(self) -> Any:
        return self.cleaned_data["reference"].strip()
