"""Input shape of the AF's actions on a signal."""

from django import forms
from django.utils.translation import gettext_lazy as _

from meldroute.accounts.models import User
from meldroute.intake.constants import Outcome, Phenomenon
from meldroute.intake.forms import BoundedModelMultipleChoiceField
from meldroute.intake.models import Indicator
from meldroute.organisations.models import Organisation

from .constants import Assessment, ExploitationForm, MeansOfControl, NoteSource, Sector

TEXT = {"rows": 3}


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Behandelaar"), queryset=User.objects.none(),
                                      error_messages={"required": _("Kies een aandachtsfunctionaris.")})

    def __init__(self, *args, afs, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = afs
        field.label_from_instance = lambda u: u.get_full_name() or u.username  # type: ignore[method-assign,assignment]


class EnrichmentForm(forms.Form):
    source = forms.ChoiceField(label=_("Bron"), choices=[("", _("Kies de bron")), *NoteSource.choices],
                               error_messages={"required": _("Kies de bron van deze informatie.")})
    text = forms.CharField(label=_("Wat heeft u gevonden?"), max_length=10_000,
                           widget=forms.Textarea(attrs=TEXT),
                           error_messages={"required": _("Schrijf wat u heeft gevonden.")})


class ClassificationForm(forms.Form):
    assessment = forms.ChoiceField(label=_("Beoordeling"), choices=Assessment.choices, widget=forms.RadioSelect,
                                   error_messages={"required": _("Kies een beoordeling.")})
    exploitation_forms = forms.MultipleChoiceField(label=_("Vorm(en) van uitbuiting"), choices=ExploitationForm.choices,
                                      required=False, widget=forms.CheckboxSelectMultiple)
    sector = forms.ChoiceField(label=_("Sector"), choices=[("", _("Nog niet bekend")), *Sector.choices],
                               required=False)
    indicators = BoundedModelMultipleChoiceField(label=_("Aanwezige indicatoren"), required=False,
                                                queryset=Indicator.objects.filter(is_active=True),
                                                widget=forms.CheckboxSelectMultiple)
    means_of_control = forms.MultipleChoiceField(label=_("Middelen van controle"), choices=MeansOfControl.choices,
                                                 required=False, widget=forms.CheckboxSelectMultiple)

    def clean(self):
        data = super().clean() or {}
        if data.get("assessment") and data["assessment"] != Assessment.NONE and not data.get("exploitation_forms"):
            self.add_error("exploitation_forms",
                           _("Kies bij een vermoeden van mensenhandel minstens één vorm van uitbuiting."))
        return data


class InformationRequestForm(forms.Form):
    question = forms.CharField(label=_("Vraag aan de melder"), max_length=5_000, widget=forms.Textarea(attrs=TEXT),
                               error_messages={"required": _("Schrijf de vraag aan de melder.")})
    days = forms.IntegerField(label=_("Geldig (dagen)"), min_value=1, max_value=60, initial=14,
                              error_messages={"min_value": _("Minimaal 1 dag."), "max_value": _("Maximaal 60 dagen."),
                                              "invalid": _("Vul een aantal dagen in."),
                                              "required": _("Vul een aantal dagen in.")})


class RouteForm(forms.Form):
    partner = forms.ModelChoiceField(label=_("Ketenpartner"), queryset=Organisation.objects.none(),
                                     error_messages={"required": _("Kies een ketenpartner.")})
    text = forms.CharField(label=_("Toelichting"), max_length=5_000, required=False,
                           widget=forms.Textarea(attrs=TEXT))

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["partner"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Organisation.objects.partners().filter(region=region)


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Uitkomst"), choices=Outcome.choices, widget=forms.RadioSelect,
                                error_messages={"required": _("Kies een uitkomst.")})
    phenomenon = forms.ChoiceField(label=_("Welk ander fenomeen?"), required=False,
                                   choices=[("", _("Niet van toepassing")), *Phenomenon.choices],
                                   help_text=_("Verplicht bij 'ander fenomeen': zo gaat het signaal niet verloren."))
    text = forms.CharField(label=_("Toelichting (intern)"), max_length=5_000, widget=forms.Textarea(attrs=TEXT),
                           error_messages={"required": _("Geef een toelichting bij het afsluiten.")})

    def clean(self):
        data = super().clean() or {}
        if data.get("outcome") == Outcome.OTHER_PHENOMENON and not data.get("phenomenon"):
            self.add_error("phenomenon", _("Kies welk ander fenomeen het is, zodat het signaal niet verloren gaat."))
        return data


class FeedbackForm(forms.Form):
    text = forms.CharField(
        label=_("Terugkoppeling aan de melder"), max_length=5_000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("De melder leest dit. Schrijf alleen wat binnen de wet en convenanten nodig is; "
                    "geen interne notities of gegevens van betrokkenen."),
        error_messages={"required": _("Schrijf de terugkoppeling voor de melder.")})


class ReasonForm(forms.Form):
    text = forms.CharField(label=_("Reden"), max_length=5_000, widget=forms.Textarea(attrs=TEXT),
                           error_messages={"required": _("Geef een reden.")})
