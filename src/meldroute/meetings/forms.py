"""Input shape of the chair's actions on a meeting, and of bringing a case to a table."""

import json
from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from meldroute.core.forms import required_when
from meldroute.organisations.models import Organisation
from meldroute.partners.constants import PartnerType
from meldroute.routing.constants import Decision

from .constants import CASE_DECISION_LABELS, CASE_REASON_MAX_LENGTH, DECISION_FIELDS, MOVE_REASON_MAX_LENGTH
from .models import MeetingSeries


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def fixed_options(field: "forms.ModelChoiceField[Organisation]", options: "Sequence[Organisation]") -> None:
    """Render `field` with options read once for many forms (the agenda has a form per item), so an agenda costs no
    query per item (issue 17); the field's queryset still validates what is posted."""
    field.choices = [("", field.empty_label or ""), *((option.pk, field.label_from_instance(option))
                                                      for option in options)]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Besluit"), choices=Decision.choices, widget=forms.RadioSelect,
                                 error_messages={"required": _("Kies een besluit.")})
    refer_to = required_when(forms.ChoiceField(label=_("Doorverwijzen naar"), required=False,
                                               choices=[("", _("Niet van toepassing")), *PartnerType.choices]),
                             _("verplicht bij het besluit 'doorverwijzen'"))
    owner_organisation = required_when(forms.ModelChoiceField(
        label=_("Eigenaar (organisatie)"), queryset=Organisation.objects.none(), required=False,
        empty_label=_("Kies een organisatie"),
        error_messages={"invalid_choice": _("Kies een organisatie die aan dit overleg deelneemt.")}),
        _("verplicht, behalve bij 'geen mensenhandel' en 'monitoren'"))
    action = forms.CharField(label=_("Actie"), max_length=2_000, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))
    deadline = forms.DateField(label=_("Uiterlijk"), required=False, widget=DateInput(),
                               error_messages={"invalid": _("Vul een geldige datum in, bijvoorbeeld 2026-03-31.")})
    shelter = forms.BooleanField(label=_("Opvang nodig"), required=False,
                                 help_text=_("In een acute situatie: de personen moeten worden opgevangen. De "
                                             "zorgcoördinator krijgt een aanvraag opvang."))

    def __init__(self, *args: Any, participants: "QuerySet[Organisation]", shelter: bool = False,
                 participant_options: "Sequence[Organisation] | None" = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["owner_organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = participants
        if participant_options is not None:
            fixed_options(field, participant_options)
        if not shelter:
            del self.fields["shelter"]

    def decision_fields(self) -> dict[str, list[str]]:
        """Per decision, the fields it asks for (static/meldroute/meetings.js shows only these)."""
        return {decision: [name for name in names if name in self.fields]
                for decision, names in DECISION_FIELDS.items()}

    def decision_fields_json(self) -> str:
        return json.dumps(self.decision_fields())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        decision = cleaned.get("decision")
        if decision in DECISION_FIELDS:
            # A field the decision does not ask for is ignored, whatever the browser sent along.
            needed = DECISION_FIELDS[decision]
            empty: dict[str, Any] = {"owner_organisation": None, "deadline": None, "shelter": False}
            for name in ("refer_to", "owner_organisation", "action", "deadline", "shelter"):
                if name in self.fields and name not in needed:
                    cleaned[name] = empty.get(name, "")
        return cleaned


class CaseDecisionForm(DecisionForm):
    """The decision about a case: no referral (a case has no route), and an action with a deadline also goes into
    the case's plan van aanpak."""

    def __init__(self, *args: Any, participants: "QuerySet[Organisation]", **kwargs: Any) -> None:
        super().__init__(*args, participants=participants, **kwargs)
        del self.fields["refer_to"]
        decision = self.fields["decision"]
        assert isinstance(decision, forms.ChoiceField)
        decision.choices = [(value, label) for value, label in CASE_DECISION_LABELS.items()]
        self.fields["deadline"].help_text = _("Met een actie en een uiterste datum komt de actie ook in het plan van "
                                              "aanpak van de casus.")


class CaseAgendaRequestForm(forms.Form):
    series = forms.ModelChoiceField(label=_("Overleg"), queryset=MeetingSeries.objects.none(),
                                    empty_label=_("Kies een overleg"),
                                    error_messages={"required": _("Kies een overleg."),
                                                    "invalid_choice": _("Kies een overleg waaraan uw organisatie "
                                                                        "deelneemt.")})
    reason = forms.CharField(label=_("Waarom bespreken?"), max_length=CASE_REASON_MAX_LENGTH,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Zonder namen: de reden staat bij de casus, niet op de agenda."),
                             error_messages={"required": _("Geef aan waarom de casus besproken moet worden "
                                                           "(zonder namen).")})

    def __init__(self, *args: Any, series: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["series"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = series


class CloseMeetingForm(forms.Form):
    notes = forms.CharField(label=_("Aantekeningen voor de notulen"), max_length=10_000, required=False,
                            widget=forms.Textarea(attrs={"rows": 3}),
                            help_text=_("Alle deelnemers lezen deze aantekeningen, ook wie van de signalen alleen het "
                                        "minimum ziet: schrijf hier geen namen, adressen of andere "
                                        "persoonsgegevens."))


class InviteForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisatie uitnodigen voor dit punt"),
                                          queryset=Organisation.objects.none(), empty_label=_("Kies een organisatie"),
                                          error_messages={"required": _("Kies een organisatie."),
                                                          "invalid_choice": _("Kies een organisatie uit de regio die "
                                                                              "nog niet aan het overleg deelneemt.")})

    def __init__(self, *args: Any, organisations: "QuerySet[Organisation]",
                 organisation_options: "Sequence[Organisation] | None" = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisations
        if organisation_options is not None:
            fixed_options(field, organisation_options)


class MoveItemForm(forms.Form):
    reason = forms.CharField(label=_("Reden"), max_length=MOVE_REASON_MAX_LENGTH,
                             help_text=_("Zonder namen, bijvoorbeeld: wacht op informatie van de politie."),
                             error_messages={"required": _("Geef de reden van de verplaatsing op (zonder namen).")})


class AttendanceForm(forms.Form):
    organisations = forms.ModelMultipleChoiceField(label=_("Aanwezig"), queryset=Organisation.objects.none(),
                                                   required=False, widget=forms.CheckboxSelectMultiple,
                                                   error_messages={
                                                       "invalid_choice": _("Kies organisaties die aan dit overleg "
                                                                           "deelnemen."),
                                                       "invalid_pk_value": _("Kies organisaties die aan dit overleg "
                                                                             "deelnemen.")})

    def __init__(self, *args: Any, organisations: "QuerySet[Organisation]", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisations"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = organisations
