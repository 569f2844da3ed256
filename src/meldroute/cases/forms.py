"""Input shape of the case pages (the rules live in services)."""

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from meldroute.accounts.models import User
from meldroute.core.forms import TextareaField, required_when
from meldroute.intake.forms import BoundedModelMultipleChoiceField
from meldroute.organisations.constants import OrganisationKind
from meldroute.organisations.models import Organisation

from .constants import CaseResult, CaseRole, CaseStatus, ComplexityCriterion, InterventionKind

TEXT = {"rows": 3}
DATE_ERRORS = {"invalid": _("Vul een geldige datum in, bijvoorbeeld 2026-03-31."),
               "required": _("Vul een datum in.")}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _person_label(user) -> str:
    org = user.organisation.name if user.organisation_id else ""
    return f"{user.get_full_name() or user.username} ({org})" if org else (user.get_full_name() or user.username)


class OpenCaseForm(forms.Form):
    title = forms.CharField(label=_("Werktitel"), max_length=120,
                            help_text=_("Zonder namen: bijvoorbeeld 'Nagelsalon Dorpsstraat'."),
                            error_messages={"required": _("Geef de casus een werktitel (zonder namen)."),
                                            "max_length": _("De werktitel is hoogstens 120 tekens.")})
    # Bounded: an out-of-range key is a field error, not SQLite's OverflowError (a 500).
    other_signals: forms.ModelMultipleChoiceField = BoundedModelMultipleChoiceField(
        label=_("Andere signalen over dezelfde situatie"), queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Kies alleen signalen uit de lijst."),
                        "invalid_pk_value": _("Kies alleen signalen uit de lijst.")})
    zvh: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Inbrengen bij Zorg- en Veiligheidshuis"), queryset=None, required=False,
        empty_label=_("Niet (nog) ingebracht"),
        error_messages={"invalid_choice": _("Kies het Zorg- en Veiligheidshuis van de eigen regio.")})

    def __init__(self, *args, signals, region, summaries=None, **kwargs):
        """`summaries`: signal pk → the inbox's short safe summary (triage.selectors.add_inbox_summaries)."""
        super().__init__(*args, **kwargs)
        field = self.fields["other_signals"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = signals
        summaries = summaries or {}

        def label(s):
            text = f"{s.reference} ({date_format(timezone.localtime(s.received_at), 'j F Y')})"
            summary = summaries.get(s.pk, "")
            return f"{text} — {Truncator(summary).chars(90)}" if summary else text

        field.label_from_instance = label  # type: ignore[method-assign,assignment]
        zvh = self.fields["zvh"]
        assert isinstance(zvh, forms.ModelChoiceField)
        zvh.queryset = Organisation.objects.filter(kind=OrganisationKind.ZVH, region=region)


class StatusForm(forms.Form):
    to_status = forms.ChoiceField(label=_("Nieuwe status"), choices=CaseStatus.choices,
                                  error_messages={"required": _("Kies een status."),
                                                  "invalid_choice": _("Onbekende status.")})
    result = required_when(forms.ChoiceField(label=_("Resultaat"), required=False,
                                             choices=[("", _("Kies bij afsluiten een resultaat")),
                                                      *CaseResult.choices],
                                             error_messages={"invalid_choice": _("Onbekend resultaat.")}),
                           _("verplicht bij afsluiten"))
    text = required_when(forms.CharField(label=_("Reden of toelichting"), required=False, max_length=2_000,
                                         widget=forms.Textarea(attrs=TEXT)),
                         _("verplicht bij opschorten en heropenen"))

    def __init__(self, *args, allowed=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["to_status"]
        assert isinstance(field, forms.ChoiceField)
        # Offer what the transition table allows from here; the service checks it again.
        field.choices = [(v, label) for v, label in CaseStatus.choices if v in allowed] or CaseStatus.choices


class ComplexForm(forms.Form):
    criteria = forms.MultipleChoiceField(label=_("Waarom is de casus complex?"), choices=ComplexityCriterion.choices,
                                         widget=forms.CheckboxSelectMultiple,
                                         error_messages={"required": _("Kies minstens één criterium waarom de casus "
                                                                       "complex is.")})


class MemberForm(forms.Form):
    role = forms.ChoiceField(label=_("Rol"), choices=CaseRole.choices,
                             error_messages={"required": _("Kies een rol.")})
    user = forms.ModelChoiceField(label=_("Wie"), queryset=User.objects.none(), empty_label=_("Kies een persoon"),
                                  error_messages={"required": _("Kies een persoon."),
                                                  "invalid_choice": _("Kies een persoon uit de lijst.")})

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = candidates
        field.label_from_instance = _person_label  # type: ignore[method-assign,assignment]


class ActionForm(forms.Form):
    description = forms.CharField(label=_("Actie"), max_length=2_000, widget=forms.Textarea(attrs=TEXT),
                                  error_messages={"required": _("Beschrijf de actie.")})
    owner_user = forms.ModelChoiceField(label=_("Eigenaar: persoon"), queryset=User.objects.none(), required=False,
                                        empty_label=_("Geen persoon"),
                                        error_messages={"invalid_choice": _("Kies een persoon uit de lijst.")})
    owner_organisation = forms.ModelChoiceField(
        label=_("of eigenaar: ketenpartner"), queryset=Organisation.objects.none(), required=False,
        empty_label=_("Geen ketenpartner"), error_messages={"invalid_choice": _("Kies een ketenpartner uit de lijst.")})
    deadline = forms.DateField(label=_("Uiterlijk"), widget=DateInput(), error_messages=DATE_ERRORS)

    def __init__(self, *args, people, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        owner_user = self.fields["owner_user"]
        assert isinstance(owner_user, forms.ModelChoiceField)
        owner_user.queryset = people
        owner_user.label_from_instance = _person_label  # type: ignore[method-assign,assignment]
        owner_org = self.fields["owner_organisation"]
        assert isinstance(owner_org, forms.ModelChoiceField)
        owner_org.queryset = organisations


class CompleteActionForm(forms.Form):
    note = forms.CharField(label=_("Toelichting"), required=False, max_length=2_000)


class CancelActionForm(forms.Form):
    reason = forms.CharField(label=_("Reden"), max_length=2_000,
                             error_messages={"required": _("Geef de reden op waarom de actie vervalt.")})


class PostponeActionForm(forms.Form):
    deadline = forms.DateField(label=_("Nieuwe uiterste datum"), widget=DateInput(), error_messages=DATE_ERRORS)
    reason = forms.CharField(label=_("Reden"), max_length=2_000,
                             error_messages={"required": _("Geef de reden voor de nieuwe datum op.")})


class InterventionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Soort interventie"), choices=[("", _("Kies")), *InterventionKind.choices],
                             error_messages={"required": _("Kies de soort interventie."),
                                             "invalid_choice": _("Kies de soort interventie.")})
    decided_on = forms.DateField(label=_("Datum"), widget=DateInput(), error_messages=DATE_ERRORS)
    legal_basis = forms.CharField(label=_("Grondslag"), max_length=200, required=False,
                                  help_text=_("Leeg laten voor de gebruikelijke grondslag, bijvoorbeeld 'Wet Bibob' of "
                                              "'art. 174a Gemeentewet'."))
    result = forms.CharField(label=_("Resultaat"), required=False, max_length=4_000,
                             widget=forms.Textarea(attrs=TEXT), help_text=_("Kan later worden aangevuld."))


class AddressInterventionForm(InterventionForm):
    """An intervention on an address or business that is not (yet) a case."""

    address = forms.CharField(label=_("Adres"), max_length=200, required=False)
    business_name = forms.CharField(label=_("Bedrijf"), max_length=200, required=False)
    kvk_number = forms.CharField(label=_("KvK-nummer"), max_length=8, required=False,
                                 error_messages={"max_length": _("Een KvK-nummer heeft 8 cijfers.")})


class ResultForm(forms.Form):
    # The view redirects (the result sits in a table row), so a refusal would lose the text: count as the browser does.
    result = TextareaField(label=_("Resultaat"), max_length=4_000, widget=forms.Textarea(attrs=TEXT),
                             error_messages={"required": _("Beschrijf het resultaat.")})
