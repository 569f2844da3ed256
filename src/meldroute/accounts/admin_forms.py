"""Input shape of the beheerder's user pages (the services decide what is allowed)."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from meldroute.core.forms import TextareaField
from meldroute.organisations.constants import AfDuty, Team

from .constants import API_TOKEN_MAX_DAYS, Role

REASON_HELP = _("Komt in het auditlog: waarom deze wijziging nodig is.")


def _reason_field(required: bool = True) -> TextareaField:
    return TextareaField(label=_("Reden"), max_length=500, required=required, help_text=REASON_HELP,
                         widget=forms.Textarea(attrs={"rows": 2, "maxlength": 500}),
                         error_messages={"required": _("Geef een reden op.")})


class ReasonForm(forms.Form):
    reason = _reason_field()


class OptionalReasonForm(forms.Form):
    reason = _reason_field(required=False)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Rol"), choices=Role.choices,
                             error_messages={"required": _("Kies een rol."), "invalid_choice": _("Kies een rol.")})
    reason = _reason_field()

    def __init__(self, *args: Any, roles: Any = None, **kwargs: Any) -> None:
        """`roles`: the choices to offer (the ones the user lacks, or holds); all roles when validating a post."""
        super().__init__(*args, **kwargs)
        if roles is not None:
            self.fields["role"].choices = [(value, label) for value, label in Role.choices  # type: ignore[attr-defined]
                                           if value in roles]


class AfDutyForm(forms.Form):
    duty = forms.ChoiceField(label=_("Taak als aandachtsfunctionaris"), required=False,
                             choices=[("", _("Geen aparte taak: alle signalen")), *AfDuty.choices],
                             help_text=_("Waar de meldroute het werk verdeelt (zoals in Zoeterwoude): wie krijgt de "
                                         "dader- en locatiesignalen, wie de slachtoffersignalen. Een taak heeft per "
                                         "gemeente één houder; bij afwezigheid neemt de ander het over."),
                             error_messages={"invalid_choice": _("Kies een taak.")})
    reason = _reason_field()


class UserCreateForm(forms.Form):
    username = forms.RegexField(label=_("Gebruikersnaam"), max_length=150, regex=r"^[\w.@+-]+$",
                                error_messages={"invalid": _("Alleen letters, cijfers en . @ + - _."),
                                                "required": _("Vul een gebruikersnaam in.")})
    first_name = forms.CharField(label=_("Voornaam"), max_length=150,
                                 error_messages={"required": _("Vul een voornaam in.")})
    last_name = forms.CharField(label=_("Achternaam"), max_length=150,
                                error_messages={"required": _("Vul een achternaam in.")})
    email = forms.EmailField(label=_("E-mailadres"), error_messages={"required": _("Vul een e-mailadres in."),
                                                                     "invalid": _("Vul een geldig e-mailadres in.")})
    organisation: "forms.ModelChoiceField[Any]" = forms.ModelChoiceField(
        label=_("Organisatie"), queryset=None,  # set per beheerder in __init__
        error_messages={"required": _("Kies een organisatie."), "invalid_choice": _("Kies een organisatie.")})
    team = forms.ChoiceField(label=_("Team"), choices=[("", "—"), *Team.choices], required=False)
    reason = _reason_field()

    def __init__(self, *args: Any, organisations: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class TokenForm(forms.Form):
    organisation: "forms.ModelChoiceField[Any]" = forms.ModelChoiceField(
        label=_("Organisatie"), queryset=None,  # set per beheerder in __init__
        error_messages={"required": _("Kies een organisatie."), "invalid_choice": _("Kies een organisatie.")})
    name = forms.CharField(label=_("Naam van het systeem"), max_length=100,
                           error_messages={"required": _("Geef de sleutel een naam.")})
    valid_days = forms.IntegerField(label=_("Geldig (dagen)"), min_value=1, max_value=API_TOKEN_MAX_DAYS, initial=90,
                                    error_messages={"required": _("Vul een aantal dagen in."),
                                                    "invalid": _("Vul een heel aantal dagen in."),
                                                    "min_value": _("Minstens 1 dag."),
                                                    "max_value": _("Hoogstens %(limit_value)s dagen.")})
    reason = _reason_field()

    def __init__(self, *args: Any, organisations: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class LocalLoginSwitchForm(forms.Form):
    """Allow or forbid the local password login for one organisation (the hidden value is the new state)."""

    allowed = forms.TypedChoiceField(choices=[("1", _("Toestaan")), ("0", _("Uitzetten"))],
                                     coerce=lambda value: value == "1", widget=forms.HiddenInput,
                                     error_messages={"required": _("Kies aan of uit."),
                                                     "invalid_choice": _("Kies aan of uit.")})
    reason = _reason_field()


class AcutePhoneForm(forms.Form):
    """The number a reporter of an acute signal is told to call (the AF on duty or the meldpunt)."""

    acute_phone = forms.RegexField(
        label=_("Telefoonnummer bij acute signalen"), required=False, max_length=32,
        regex=r"^\+?[0-9][0-9 ()-]{5,30}$",
        help_text=_("Staat op de ontvangstbevestiging van een acuut signaal. Leeg: de melder krijgt alleen het "
                    "advies de aandachtsfunctionaris te bellen."),
        error_messages={"invalid": _("Geef een telefoonnummer, bijvoorbeeld 0900-1234567 of +31 20 123 4567.")})

