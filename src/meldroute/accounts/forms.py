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


class OneTimeCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code uit uw authenticator-app"), max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text=_("Zes cijfers, bijvoorbeeld 123456."),
        error_messages={"required": _("Vul de code uit uw app in.")})

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"].replace(" ", "")
        if not code.isdigit() or len(code) != 6:
            raise forms.ValidationError(_("Een code bestaat uit zes cijfers."))
        return code
