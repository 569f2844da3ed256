"""Input shape of the public form for residents and of the beheerder's switch per municipality."""

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meldroute.core.forms import TextareaField

from .forms import BoundedModelMultipleChoiceField, clean_observed_on, clean_postcode
from .resident_services import resident_indicators

# The hidden field a person never sees (hidden by a class in meldroute.css, not in the accessibility tree, not
# focusable); scripts that fill every field fill it too. Its name looks like a field worth filling.
HONEYPOT_FIELD = "website"


class ResidentSignalForm(forms.Form):
    description = TextareaField(
        label=_("Wat heeft u gezien of gehoord?"), max_length=5_000, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Schrijf het op in uw eigen woorden. U hoeft niet zeker te weten dat het om mensenhandel gaat."),
        error_messages={"required": _("Schrijf kort op wat u heeft gezien of gehoord."),
                        "max_length": _("Schrijf het korter op: maximaal %(limit_value)d tekens "
                                        "(nu %(show_value)d).")},
    )
    address = forms.CharField(label=_("Adres"), max_length=200, required=False,
                              help_text=_("Straat, huisnummer en plaats, als u dat weet."))
    postcode = forms.CharField(label=_("Postcode"), max_length=7, required=False)
    location_description = forms.CharField(label=_("Andere plek"), max_length=300, required=False,
                                           help_text=_("Bijvoorbeeld: het bedrijf, de straat of het park."))
    observed_on = forms.DateField(label=_("Wanneer was het?"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                  error_messages={"invalid": _("Vul een geldige datum in.")})
    observed_time = forms.CharField(label=_("Tijdstip of periode"), max_length=100, required=False,
                                    help_text=_("Bijvoorbeeld: 's avonds laat, of al een paar weken."))
    persons_description = TextareaField(
        label=_("Wie waren erbij?"), max_length=2_000, required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Beschrijf de mensen als u wilt: ongeveer hoe oud, welke taal, welke auto."))
    indicators = BoundedModelMultipleChoiceField(
        label=_("Herkent u iets hiervan?"), required=False, widget=forms.CheckboxSelectMultiple,
        queryset=resident_indicators(),
        help_text=_("Vink aan wat u herkent. Herkent u niets? Meld het toch."))
    website = forms.CharField(label=_("Laat dit veld leeg"), max_length=200, required=False,
                              widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))

    def clean_postcode(self) -> str:
        return clean_postcode(self.cleaned_data.get("postcode", ""))

    def clean_observed_on(self) -> date | None:
        return clean_observed_on(self.cleaned_data.get("observed_on"))

    @property
    def honeypot_filled(self) -> bool:
        return bool((self.data.get(HONEYPOT_FIELD) or "").strip())

    def signal_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop(HONEYPOT_FIELD, None)
        data.pop("indicators", None)
        return data


class ResidentFormSettingsForm(forms.Form):
    is_enabled = forms.BooleanField(
        label=_("Inwonerformulier aan"), required=False,
        help_text=_("Uit: de pagina verwijst inwoners alleen naar Meld Misdaad Anoniem en de hulporganisatie "
                    "hieronder."))
    local_help_name = forms.CharField(
        label=_("Hulporganisatie in de regio (naam)"), max_length=120, required=False,
        help_text=_("Bijvoorbeeld het regionale SHOP of de zorgcoördinatie. Niet verplicht."))
    local_help_url = forms.URLField(
        label=_("Hulporganisatie in de regio (website)"), max_length=200, required=False, assume_scheme="https",
        help_text=_("Bijvoorbeeld https://www.voorbeeld.nl. Niet verplicht."),
        error_messages={"invalid": _("Vul een geldig webadres in, bijvoorbeeld https://www.voorbeeld.nl.")})

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if cleaned.get("local_help_url") and not cleaned.get("local_help_name"):
            self.add_error("local_help_name", _("Geef ook de naam van de organisatie bij deze website."))
        return cleaned
