"""Input shape of the AF's actions on a signal."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meldroute.accounts.models import User
from meldroute.intake.constants import Outcome, Phenomenon
from meldroute.intake.forms import BoundedModelMultipleChoiceField, clean_kvk_number
from meldroute.intake.models import Indicator
from meldroute.organisations.models import Organisation
from meldroute.referrals.forms import ReferralForm
from meldroute.routing.constants import Side

from .adapters.brp import is_valid_bsn
from .constants import Assessment, ExploitationForm, MeansOfControl, NoteSource, Sector

TEXT = {"rows": 3}


class AssignForm(forms.Form):
    # No "---------": a signal is always given to someone (one of the municipality's AFs).
    assignee = forms.ModelChoiceField(label=_("Behandelaar"), queryset=User.objects.none(), empty_label=None,
                                      error_messages={"required": _("Kies een aandachtsfunctionaris."),
                                                      "invalid_choice": _("Kies een aandachtsfunctionaris van "
                                                                          "deze gemeente.")})

    def __init__(self, *args: Any, afs: Any, **kwargs: Any) -> None:
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
    # Route facts: what the region's meldroute branches on (routing.constants.FACTS).
    side = forms.ChoiceField(label=_("Gaat het signaal over een slachtoffer of over een dader of locatie?"),
                             choices=Side.choices, initial=Side.UNKNOWN, widget=forms.RadioSelect, required=False)
    prostitution = forms.BooleanField(label=_("Prostitutie is erbij betrokken"), required=False)
    minor = forms.BooleanField(label=_("Er is een minderjarige bij betrokken"), required=False)
    meldcode = forms.BooleanField(label=_("De melder valt onder de meldcode huiselijk geweld en kindermishandeling"),
                                  required=False)

    def clean(self) -> dict[str, Any] | None:
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
                                     empty_label=_("Kies de ketenpartner"),
                                     error_messages={"required": _("Kies een ketenpartner.")})
    text = forms.CharField(label=_("Toelichting"), max_length=5_000, required=False,
                           widget=forms.Textarea(attrs=TEXT))

    def __init__(self, *args: Any, region: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["partner"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Organisation.objects.partners().filter(region=region)


class CloseForm(forms.Form):
    # "Geen mensenhandel, ander fenomeen" is not a label to tick here: the signal is handed on (a referral, or
    # recorded as passed on outside Meldroute) on the hand-over page, which closes it with that outcome.
    outcome = forms.ChoiceField(label=_("Uitkomst"), widget=forms.RadioSelect,
                                choices=[(v, label) for v, label in Outcome.choices if v != Outcome.OTHER_PHENOMENON],
                                error_messages={"required": _("Kies een uitkomst."),
                                                "invalid_choice": _("Kies een van de uitkomsten. Een ander fenomeen "
                                                                    "geeft u door met 'Geef het signaal door aan "
                                                                    "wie het aangaat'.")})
    text = forms.CharField(label=_("Toelichting (intern)"), max_length=5_000, widget=forms.Textarea(attrs=TEXT),
                           error_messages={"required": _("Geef een toelichting bij het afsluiten.")})

    def __init__(self, *args: Any, open_steps: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        """`open_steps`: the route steps still open (key, title); the AF chooses which end with the signal."""
        super().__init__(*args, **kwargs)
        self.has_open_steps = bool(open_steps)
        if open_steps:
            self.fields["end_steps"] = forms.MultipleChoiceField(
                label=_("Welke routestappen eindigen met het afsluiten?"), choices=open_steps, required=False,
                widget=forms.CheckboxSelectMultiple, initial=[key for key, _title in open_steps],
                help_text=_("Een stap die u niet aanvinkt, blijft open (bijvoorbeeld: de uitkomst van een "
                            "ketenpartner wordt nog verwacht)."))
            self.fields["end_reason"] = forms.CharField(
                label=_("Waarom eindigen deze stappen?"), max_length=1_000, required=False,
                widget=forms.Textarea(attrs=TEXT))

    def clean(self) -> dict[str, Any] | None:
        data = super().clean() or {}
        if self.has_open_steps and data.get("end_steps") and not (data.get("end_reason") or "").strip():
            self.add_error("end_reason", _("Schrijf waarom deze routestappen eindigen."))
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


class CompleteStepForm(forms.Form):
    step = forms.UUIDField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Wat is er gedaan?"), max_length=5_000, widget=forms.Textarea(attrs={"rows": 2}),
                           error_messages={"required": _("Schrijf kort wat er in deze stap is gedaan.")})


def purpose_field() -> forms.CharField:
    return forms.CharField(
        label=_("Doel van de bevraging"), max_length=150,
        help_text=_("Waarvoor heeft u deze gegevens nodig bij dit signaal? Het doel wordt vastgelegd (doelbinding)."),
        error_messages={"required": _("Geef aan waarvoor u dit opvraagt (doelbinding)."),
                        "max_length": _("Beschrijf het doel in maximaal 150 tekens.")})


class BrpLookupForm(forms.Form):
    purpose = purpose_field()
    bsn = forms.CharField(label=_("Burgerservicenummer (BSN)"), max_length=11, required=False,
                          help_text=_("Of laat leeg en zoek op adres: wie staat er ingeschreven?"))
    postcode = forms.CharField(label=_("Postcode"), max_length=7, required=False)
    street = forms.CharField(label=_("Straat (als de postcode onbekend is)"), max_length=200, required=False)
    house_number = forms.IntegerField(label=_("Huisnummer"), min_value=1, max_value=99_999, required=False,
                                      error_messages={"invalid": _("Vul een huisnummer in cijfers in."),
                                                      "min_value": _("Vul een huisnummer in cijfers in."),
                                                      "max_value": _("Vul een huisnummer in cijfers in.")})

    def clean_bsn(self) -> Any:
        value = "".join(self.cleaned_data.get("bsn", "").split()).replace(".", "")
        if value and not is_valid_bsn(value):
            raise forms.ValidationError(_("Dit is geen geldig burgerservicenummer (elfproef)."))
        return value

    def clean(self) -> dict[str, Any] | None:
        data = super().clean() or {}
        if not data.get("bsn") and "bsn" not in self.errors and "house_number" not in self.errors:
            if not data.get("house_number"):
                self.add_error("house_number", _("Vul een BSN in, of een huisnummer met postcode of straat."))
            elif not data.get("postcode") and not data.get("street"):
                self.add_error("postcode", _("Vul bij het huisnummer een postcode of een straat in."))
        return data


class KvkLookupForm(forms.Form):
    purpose = purpose_field()
    kvk_number = forms.CharField(label=_("KvK-nummer"), max_length=10, required=False)
    name = forms.CharField(label=_("Of de naam van het bedrijf"), max_length=200, required=False,
                           help_text=_("Een naam die u hier intypt, wordt opgezocht in plaats van het "
                                       "ingevulde KvK-nummer."))

    def clean_kvk_number(self) -> Any:
        return clean_kvk_number(self.cleaned_data.get("kvk_number", ""))

    def clean(self) -> dict[str, Any] | None:
        data = super().clean() or {}
        if not data.get("kvk_number") and not data.get("name") and "kvk_number" not in self.errors:
            self.add_error("kvk_number", _("Vul een KvK-nummer of een bedrijfsnaam in."))
        # The number is prefilled from the signal: a name the AF typed while leaving that number as it was is what
        # they want looked up (issue 14), so the search goes by name. A number the AF typed themselves still wins.
        if data.get("name") and "name" in self.changed_data and "kvk_number" not in self.changed_data:
            data["kvk_number"] = ""
        return data


# --- "Geen mensenhandel, ander fenomeen": handing the signal on (services.hand_over_signal) -------------------------

def _closing_text() -> forms.CharField:
    return forms.CharField(label=_("Toelichting bij het afsluiten (intern)"), max_length=5_000,
                           widget=forms.Textarea(attrs=TEXT),
                           error_messages={"required": _("Geef een toelichting bij het afsluiten.")})


class PhenomenonChoiceForm(forms.Form):
    fenomeen = forms.ChoiceField(label=_("Welk ander fenomeen?"), choices=[("", _("Kies")), *Phenomenon.choices],
                                 error_messages={"required": _("Kies welk ander fenomeen het is."),
                                                 "invalid_choice": _("Kies welk ander fenomeen het is.")})


class ReferralHandoverForm(ReferralForm):
    """The hand-over as a referral: the referral's own fields, and the text the signal is closed with."""

    text = _closing_text()


class OutsideHandoverForm(forms.Form):
    """The hand-over outside Meldroute: to whom and when, and the text the signal is closed with."""

    receiver_name = forms.CharField(label=_("Doorgegeven aan"), max_length=160,
                                    error_messages={"required": _("Vul in aan wie u het signaal heeft doorgegeven."),
                                                    "max_length": _("Gebruik maximaal 160 tekens.")})
    contact = forms.CharField(label=_("Contactpersoon of afdeling"), max_length=160,
                              help_text=_("Wie het bij de ontvanger heeft aangenomen; geen gegevens van betrokkenen."),
                              error_messages={"required": _("Vul de contactpersoon of afdeling in die het heeft "
                                                            "ontvangen."),
                                              "max_length": _("Gebruik maximaal 160 tekens.")})
    handed_over_on = forms.DateField(label=_("Doorgegeven op"),
                                     widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                     error_messages={"required": _("Vul in wanneer u het heeft doorgegeven."),
                                                     "invalid": _("Vul een geldige datum in.")})
    text = _closing_text()
