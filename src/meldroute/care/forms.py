"""Input shape of the care forms (the rules live in services)."""

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meldroute.organisations.constants import OrganisationKind
from meldroute.organisations.models import Organisation

from .constants import PermitEventKind, PlacementKind, ReflectionKind, ResidenceStatus

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # str or a lazy translation

# ISO, whatever the language: a date input shows nothing for "24-11-2026", and the value would be lost on save.
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {"invalid": _("Vul een geldige datum in, bijvoorbeeld 2026-03-31."), "required": _("Vul de datum in.")}


def _municipality_field(label: "StrOrPromise", required: bool = False,
                        help_text: "StrOrPromise" = "") -> "forms.ModelChoiceField[Any]":
    return forms.ModelChoiceField(label=label, required=required, help_text=help_text,
                                  queryset=Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY)
                                  .order_by("name"), empty_label=_("Onbekend / niet ingeschreven"))


class StartForm(forms.Form):
    started_on = forms.DateField(label=_("Gestart op"), widget=DATE, error_messages=DATE_ERRORS)
    residence_status = forms.ChoiceField(label=_("Verblijfsstatus"), choices=ResidenceStatus.choices,
                                         initial=ResidenceStatus.UNKNOWN)
    registered_municipality = _municipality_field(_("Ingeschreven in (BRP)"))
    found_municipality = _municipality_field(_("Aangetroffen in"),
                                             help_text=_("Telt voor de verantwoordelijke gemeente als het slachtoffer "
                                                         "niet ingeschreven is."))


class UpdateForm(forms.Form):
    residence_status = forms.ChoiceField(label=_("Verblijfsstatus"), choices=ResidenceStatus.choices)
    aangifte_made = forms.BooleanField(label=_("Aangifte gedaan"), required=False)
    aangifte_on = forms.DateField(label=_("Aangifte gedaan op"), required=False, widget=DATE,
                                  error_messages=DATE_ERRORS)
    registered_municipality = _municipality_field(_("Ingeschreven in (BRP)"))
    found_municipality = _municipality_field(_("Aangetroffen in"))
    ended_on = forms.DateField(label=_("Traject afgesloten op"), required=False, widget=DATE,
                               error_messages=DATE_ERRORS)


class PlacementForm(forms.Form):
    kind = forms.ChoiceField(label=_("Soort opvang"), choices=PlacementKind.choices)
    provider = forms.CharField(label=_("Aanbieder"), max_length=150,
                               error_messages={"required": _("Vul de aanbieder van de opvang in.")})
    started_on = forms.DateField(label=_("Begin"), widget=DATE, error_messages=DATE_ERRORS)
    ended_on = forms.DateField(label=_("Einde"), required=False, widget=DATE, error_messages=DATE_ERRORS)


class EndPlacementForm(forms.Form):
    ended_on = forms.DateField(label=_("Einde"), widget=DATE, error_messages=DATE_ERRORS)


class ReflectionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Soort"), choices=ReflectionKind.choices, initial=ReflectionKind.REGULAR)
    starts_on = forms.DateField(label=_("Ingangsdatum"), widget=DATE, error_messages=DATE_ERRORS)
    granted_on = forms.DateField(label=_("Verleend op (als anders dan de ingangsdatum)"), required=False,
                                 widget=DATE, error_messages=DATE_ERRORS)


class PermitForm(forms.Form):
    kind = forms.ChoiceField(label=_("Stap"), choices=PermitEventKind.choices)
    occurred_on = forms.DateField(label=_("Datum"), widget=DATE, error_messages=DATE_ERRORS)
    note = forms.CharField(label=_("Toelichting"), max_length=300, required=False)


class MunicipalityForm(forms.Form):
    municipality = _municipality_field(_("Verantwoordelijke gemeente"))
    reason = forms.CharField(label=_("Reden van afwijken"), max_length=1000, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))
