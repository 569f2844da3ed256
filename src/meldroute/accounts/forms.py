"""Input shape of the absence form."""

from django import forms
from django.utils.translation import gettext_lazy as _


class AbsenceForm(forms.Form):
    absent_until = forms.DateField(
        label=_("Afwezig tot en met"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Leeg laten als u weer aanwezig bent. Zolang u afwezig bent, krijgt uw achtervang de "
                    "acute meldingen."),
        error_messages={"invalid": _("Vul een geldige datum in.")})
