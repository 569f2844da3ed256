"""Input shape of the beheerder's route pages: the step table, choose a preset, edit or upload YAML, decide a draft."""

import json
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from meldroute.core.exceptions import DomainError
from meldroute.partners.constants import PartnerType

from .constants import Decision, MeetingKind, Side, StepAction, StepActor
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
        label=_("Ik begrijp dat deze standaardroute, eenmaal gepubliceerd, de nieuwe meldroute van de regio wordt. "
                "Signalen die al onderweg zijn, houden hun eigen route."),
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


# --- The form editor: the route's steps as a table ------------------------------------------------------------------

def condition_value(conditions: dict[str, Any]) -> str:
    """A step's condition as the value of the condition dropdown (canonical JSON, so equal conditions match)."""
    return json.dumps(conditions or {}, sort_keys=True, separators=(",", ":"))


def deadline_value(hours: int | None, working_days: int | None) -> str:
    if hours:
        return f"h{hours}"
    if working_days:
        return f"wd{working_days}"
    return ""


def parse_deadline(value: str) -> dict[str, int]:
    if value.startswith("wd"):
        return {"working_days": int(value[2:])}
    if value.startswith("h"):
        return {"hours": int(value[1:])}
    return {}


ACTION_HELP = _("Wat er in deze stap gebeurt; dat bepaalt ook wanneer de stap vanzelf klaar is (bijvoorbeeld "
                "'Doorverwijzen' zodra de doorverwijzing is verstuurd).")


class RouteMetaForm(forms.Form):
    name = forms.CharField(label=_("Naam van de meldroute"), max_length=120,
                           error_messages={"required": _("Geef de meldroute een naam.")})
    description = forms.CharField(label=_("Toelichting"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text=_("Voor wie de route leest: waar komt hij vandaan, wat is bijzonder."))
    source = forms.CharField(label=_("Bron (beleidsplan)"), max_length=300, required=False,
                             help_text=_("Het beleidsplan en de paragraaf waarop de route steunt."))
    # The version the beheerder started from: a draft on an older version would silently undo someone's change.
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


STEP_HELP = {
    "position": _("Stappen met hetzelfde volgnummer lopen tegelijk (een parallelle groep); daarna volgt het "
                  "volgende nummer."),
    "number": _("Het nummer van de stap in het beleidsplan, als dat er een heeft."),
    "title": _("Kort en als opdracht, bijvoorbeeld 'Signaal verrijken'."),
    "actor": _("Wie deze stap moet zetten."),
    "action": ACTION_HELP,
    "target": _("Bij informeren of doorverwijzen: welke ketenpartner. Bij een overleg: welk overleg. Anders leeg."),
    "condition": _("Wanneer de stap geldt. Past het signaal er niet bij, dan wordt de stap overgeslagen."),
    "deadline": _("Binnen hoeveel werkdagen (of uren, bij acute stappen) de stap klaar moet zijn, gerekend vanaf het "
                  "moment dat de stap aan de beurt is."),
    "DELETE": _("Aangevinkte stappen verdwijnen bij opslaan uit het concept."),
}


class StepForm(forms.Form):
    key = forms.SlugField(max_length=64, required=False, widget=forms.HiddenInput)
    position = forms.IntegerField(label=_("Volgorde"), min_value=1, max_value=10_000,
                                  error_messages={"required": _("Geef een volgnummer."),
                                                  "invalid": _("Een volgnummer is een heel getal vanaf 1."),
                                                  "min_value": _("Een volgnummer is een heel getal vanaf 1."),
                                                  "max_value": _("Een volgnummer is hoogstens 10000.")})
    number = forms.CharField(label=_("Nr. in plan"), max_length=16, required=False)
    title = forms.CharField(label=_("Titel"), max_length=200,
                            error_messages={"required": _("Geef de stap een titel.")})
    description = forms.CharField(label=_("Toelichting"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    actor = forms.ChoiceField(label=_("Wie"), choices=StepActor.choices,
                              error_messages={"required": _("Kies wie de stap zet."),
                                              "invalid_choice": _("Kies een van de rollen.")})
    action = forms.ChoiceField(label=_("Wat"), choices=StepAction.choices,
                               error_messages={"required": _("Kies wat er gebeurt."),
                                               "invalid_choice": _("Kies een van de acties.")})
    target = forms.ChoiceField(label=_("Naar / in"), required=False, choices=[
        ("", _("— niet van toepassing —")),
        (_("Ketenpartner"), PartnerType.choices),
        (_("Overleg"), MeetingKind.choices),
    ], error_messages={"invalid_choice": _("Kies een ketenpartner of overleg uit de lijst.")})
    condition = forms.ChoiceField(label=_("Voorwaarde"), required=False,
                                  error_messages={"invalid_choice": _("Kies een van de voorwaarden.")})
    deadline = forms.ChoiceField(label=_("Termijn"), required=False,
                                 error_messages={"invalid_choice": _("Kies een van de termijnen.")})

    def __init__(self, *args: Any, condition_choices: list[tuple[str, str]] | None = None,
                 deadline_choices: list[tuple[str, str]] | None = None,
                 target_choices: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        if target_choices:
            fields["target"].choices = [*fields["target"].choices, (_("Een van meerdere ketenpartners"),
                                                                    target_choices)]
        fields["condition"].choices = condition_choices or [("{}", _("altijd"))]
        fields["deadline"].choices = deadline_choices or [("", _("geen termijn"))]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        action, target = data.get("action"), data.get("target") or ""
        if action == StepAction.MEETING and target not in MeetingKind.values:
            self.add_error("target", _("Kies bij een overlegstap in welk overleg het signaal wordt ingebracht."))
        elif action in (StepAction.REFER, StepAction.INFORM) and target and not set(target.split(",")) <= set(
                PartnerType.values):
            self.add_error("target", _("Kies bij informeren of doorverwijzen een ketenpartner (of laat leeg)."))
        elif action and action not in (StepAction.MEETING, StepAction.REFER, StepAction.INFORM) and target:
            self.add_error("target", _("Bij deze actie hoort geen ketenpartner of overleg; laat 'naar / in' leeg."))
        return data

    def as_step(self) -> dict[str, Any]:
        """The step in the preset/YAML format (what validate_route_data and the draft take)."""
        data = self.cleaned_data
        return {"key": data.get("key") or "", "position": data["position"], "number": data.get("number") or "",
                "title": data["title"], "description": data.get("description") or "", "actor": data["actor"],
                "action": data["action"], "target": data.get("target") or "",
                "when": json.loads(data.get("condition") or "{}"),
                "deadline": parse_deadline(data.get("deadline") or "")}


class BaseStepFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def clean(self) -> None:
        if any(self.errors):
            return
        kept = [form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        if not kept:
            raise ValidationError(_("Een meldroute heeft minstens één stap."))


StepFormSet = forms.formset_factory(StepForm, formset=BaseStepFormSet, extra=0, can_delete=True,
                                    max_num=200, validate_max=True)


class DraftDecisionForm(forms.Form):
    reason = forms.CharField(label=_("Reden van afwijzen"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Wordt bewaard bij het concept en in het auditlog."),
                             error_messages={"required": _("Schrijf kort waarom het concept wordt afgewezen.")})


class SampleSignalForm(forms.Form):
    """A made-up signal to walk through a draft: nothing is stored, no real signal is touched."""

    acute = forms.TypedChoiceField(label=_("Acuut?"), coerce=lambda v: v == "ja", initial="nee",
                                   choices=[("nee", _("Niet acuut")), ("ja", _("Acuut"))],
                                   error_messages={"invalid_choice": _("Kies acuut of niet acuut.")})
    side = forms.ChoiceField(label=_("Soort signaal"), initial=Side.VICTIM, choices=Side.choices,
                             error_messages={"invalid_choice": _("Kies een soort signaal uit de lijst.")})
    minor = forms.TypedChoiceField(label=_("Minderjarige betrokken?"), coerce=lambda v: v == "ja", initial="nee",
                                   choices=[("nee", _("Nee")), ("ja", _("Ja"))],
                                   error_messages={"invalid_choice": _("Kies ja of nee.")})
    prostitution = forms.TypedChoiceField(label=_("Prostitutie betrokken?"), coerce=lambda v: v == "ja",
                                          initial="nee", choices=[("nee", _("Nee")), ("ja", _("Ja"))],
                                          error_messages={"invalid_choice": _("Kies ja of nee.")})
    decision = forms.ChoiceField(label=_("Besluit van het overleg"), required=False,
                                 choices=[("", _("Nog geen besluit")), *Decision.choices],
                                 help_text=_("Stappen na het overleg hangen vaak af van het besluit."),
                                 error_messages={"invalid_choice": _("Kies een besluit uit de lijst.")})
