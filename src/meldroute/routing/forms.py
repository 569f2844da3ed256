"""Input shape of the beheerder's route pages: choose a preset, edit the route as YAML, upload a YAML file."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from meldroute.core.exceptions import DomainError

from .presets import PRESETS
from .yaml_io import MAX_YAML_BYTES, parse_route_yaml


def _parsed(text: str) -> dict[str, Any]:
    try:
        return parse_route_yaml(text)
    except DomainError as error:
        raise ValidationError(error.message) from error


class PresetForm(forms.Form):
    preset = forms.ChoiceField(label=_("Standaardroute"), choices=list(PRESETS.items()), widget=forms.RadioSelect,
                               error_messages={"required": _("Kies een standaardroute."),
                                               "invalid_choice": _("Kies een van de standaardroutes.")})
    confirm = forms.BooleanField(
        label=_("Ik begrijp dat deze standaardroute de nieuwe meldroute van de regio wordt. Signalen die al onderweg "
                "zijn, houden hun eigen route."),
        error_messages={"required": _("Bevestig dat u de meldroute wilt vervangen.")})


class RouteYamlForm(forms.Form):
    yaml = forms.CharField(
        label=_("Meldroute (YAML)"), strip=False, max_length=MAX_YAML_BYTES,
        widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "false"}),
        help_text=_("Elke stap heeft een sleutel (key), volgorde (position), titel, wie (actor), wat (action), "
                    "eventueel naar of in (target), voorwaarden (when) en een termijn (deadline)."),
        error_messages={"required": _("De meldroute is leeg."),
                        "max_length": _("De meldroute is te lang (meer dan 200 kB).")})
    # The version the beheerder started from: saving over a newer version would silently undo someone's change.
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def clean_yaml(self) -> str:
        text: str = self.cleaned_data["yaml"]
        self.cleaned_data["route"] = _parsed(text)
        return text


class RouteImportForm(forms.Form):
    file = forms.FileField(label=_("YAML-bestand"), help_text=_("Een .yaml-bestand van hoogstens 200 kB, zoals de "
                                                               "export van een meldroute."),
                           error_messages={"required": _("Kies een YAML-bestand."),
                                           "empty": _("Het bestand is leeg.")})

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_YAML_BYTES:
            raise ValidationError(_("Het bestand is groter dan 200 kB; een meldroute is veel kleiner."))
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ValidationError(_("Het bestand is geen tekst in UTF-8; sla het op als UTF-8 en probeer het "
                                    "opnieuw.")) from error
        self.cleaned_data["route"] = _parsed(text)
        return upload
