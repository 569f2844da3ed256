"""Input shape of the absence, second-factor and local login forms."""

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
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


class LocalLoginForm(AuthenticationForm):
    """The local password login; refused for people of an organisation that logs in only through its IdP."""

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        organisation = getattr(user, "organisation", None)
        if organisation is not None and not organisation.local_login_allowed:
            from . import services  # forms describe input; the refusal is still an audited event
            from .oidc import REFUSAL_MESSAGES

            services.record_login_refused(reason="local_login_off", via="lokaal wachtwoord", user=user)
            raise forms.ValidationError(REFUSAL_MESSAGES["local_login_off"], code="local_login_off")
