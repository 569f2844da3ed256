"""Input shape of the policy pages; the rules are in services.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meldroute.accounts.constants import Role
from meldroute.accounts.models import User
from meldroute.core.forms import TextareaField
from meldroute.organisations.constants import Team

from .constants import FRONT_LINE_TEAMS, ActionStatus, ActivityKind, Part, Provider
from .models import RegionGoal

DATE_ERRORS = {"invalid": _("Vul een geldige datum in, bijvoorbeeld 2026-03-31."), "required": _("Vul een datum in.")}
NUMBER_ERRORS = {"invalid": _("Vul een heel getal in."), "required": _("Vul een aantal in."),
                 "min_value": _("Het aantal is ten minste %(limit_value)s."),
                 "max_value": _("Het aantal is ten hoogste %(limit_value)s.")}
TEAM_CHOICES = [(team, Team(team).label) for team in FRONT_LINE_TEAMS]
RECORDABLE_PARTS = [(p, Part(p).label) for p in (Part.POLICY_ADOPTED, Part.ACHTERVANG, Part.AF_APPOINTED,
                                                  Part.ROUTE_KNOWN, Part.TRAINED, Part.GOAL)]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class RecordPartForm(forms.Form):
    part = forms.ChoiceField(label=_("Onderdeel"), choices=RECORDABLE_PARTS,
                             error_messages={"required": _("Kies een onderdeel."),
                                             "invalid_choice": _("Kies een onderdeel.")})
    goal = forms.ModelChoiceField(label=_("Doelstelling (bij onderdeel 'Regionale doelstelling')"),
                                  queryset=RegionGoal.objects.none(), required=False, to_field_name="uuid",
                                  error_messages={"invalid_choice": _("Kies een doelstelling van de regio.")})
    met = forms.TypedChoiceField(label=_("Voldaan?"), choices=[("1", _("Ja")), ("0", _("Nee"))],
                                 coerce=lambda v: v == "1", widget=forms.RadioSelect,
                                 error_messages={"required": _("Kies ja of nee.")})
    evidence = forms.CharField(label=_("Onderbouwing"), max_length=500,
                               error_messages={"required": _("Geef de onderbouwing: waaruit blijkt dit?"),
                                               "max_length": _("Ten hoogste 500 tekens.")})
    document = forms.CharField(label=_("Document (bij beleid: titel en kenmerk)"), max_length=300, required=False)
    evidence_on = forms.DateField(label=_("Datum"), widget=DateInput(), error_messages=DATE_ERRORS)

    def __init__(self, *args: Any, region_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["goal"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = RegionGoal.objects.filter(region_id=region_id) if region_id else RegionGoal.objects.none()


class TrainingForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200, error_messages={"required": _("Vul de titel in.")})
    provider = forms.ChoiceField(label=_("Aanbieder"), choices=Provider.choices,
                                 error_messages={"invalid_choice": _("Kies een aanbieder.")})
    held_on = forms.DateField(label=_("Datum"), widget=DateInput(), error_messages=DATE_ERRORS)
    teams = forms.MultipleChoiceField(label=_("Teams"), choices=TEAM_CHOICES, widget=forms.CheckboxSelectMultiple,
                                      error_messages={"required": _("Kies ten minste één team."),
                                                      "invalid_choice": _("Kies teams uit de lijst.")})
    participants = forms.IntegerField(label=_("Aantal deelnemers"), min_value=1, max_value=10_000,
                                      error_messages=NUMBER_ERRORS)
    with_experts = forms.BooleanField(label=_("Met ervaringsdeskundigen"), required=False)


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Soort"), choices=ActivityKind.choices,
                             error_messages={"invalid_choice": _("Kies de soort activiteit.")})
    held_on = forms.DateField(label=_("Datum"), widget=DateInput(), error_messages=DATE_ERRORS)
    count = forms.IntegerField(label=_("Aantal (berichten, flyers, lessen, deelnemers)"), min_value=1,
                               max_value=100_000, initial=1, error_messages=NUMBER_ERRORS)
    team = forms.ChoiceField(label=_("Team (bij een bezoek aan een teamoverleg)"),
                             choices=[("", "—"), *TEAM_CHOICES], required=False)
    languages = forms.CharField(label=_("Talen (bij flyers)"), max_length=200, required=False)
    description = forms.CharField(label=_("Omschrijving"), max_length=300, required=False)


class CadenceForm(forms.Form):
    every_months = forms.IntegerField(label=_("Evaluatie elke (maanden)"), min_value=1, max_value=60,
                                      error_messages=NUMBER_ERRORS)
    last_evaluated_on = forms.DateField(label=_("Laatste evaluatie"), widget=DateInput(), required=False,
                                        error_messages=DATE_ERRORS)
    source = forms.CharField(label=_("Bron (beleidsplan en paragraaf)"), max_length=300, required=False)


class GoalForm(forms.Form):
    title = forms.CharField(label=_("Doelstelling"), max_length=300,
                            error_messages={"required": _("Vul de doelstelling in.")})
    source = forms.CharField(label=_("Bron"), max_length=300, required=False)


class ActionUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices,
                               error_messages={"invalid_choice": _("Kies een status.")})
    happened_on = forms.DateField(label=_("Datum"), widget=DateInput(), error_messages=DATE_ERRORS)
    note = TextareaField(label=_("Toelichting"), max_length=2_000, required=False,
                         widget=forms.Textarea(attrs={"rows": 3}))


class PersonChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_full_name() or obj.username} ({obj.organisation})"


class OwnerForm(forms.Form):
    owner = PersonChoiceField(label=_("Eigenaar in Meldroute (krijgt de herinnering)"),
                                   queryset=User.objects.none(), required=False, to_field_name="username",
                                   error_messages={"invalid_choice": _("Kies iemand uit deze regio.")})

    def __init__(self, *args: Any, region_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["owner"]
        assert isinstance(field, forms.ModelChoiceField)
        people = User.objects.filter(is_active=True, organisation__region_id=region_id,
                                     role_assignments__role__in=[Role.AF, Role.KETENREGISSEUR]).distinct()
        field.queryset = people.order_by("last_name", "username") if region_id else User.objects.none()


class ImportForm(forms.Form):
    plan = forms.CharField(label=_("Plan"), max_length=200,
                           error_messages={"required": _("Geef de naam van het plan.")})
    text = TextareaField(label=_("Geplakte tabel (tab-gescheiden, zoals uit het plan gekopieerd)"), required=False,
                         max_length=200_000, widget=forms.Textarea(attrs={"rows": 8}))
    file = forms.FileField(label=_("Of een bestand (CSV of XLSX)"), required=False)
    reason = forms.CharField(label=_("Reden van de import"), max_length=300,
                             error_messages={"required": _("Geef de reden van de import.")})
    file_name = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("text", "").strip() and not data.get("file"):
            self.add_error("text", _("Plak de tabel of kies een bestand."))
        return data
