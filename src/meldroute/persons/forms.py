"""Input shape of the person, consent and override forms (the rules live in services)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from meldroute.accounts.models import User
from meldroute.partners.constants import LegalGround, PartnerType
from meldroute.triage.constants import ExploitationForm, MeansOfControl, Sector

from .constants import (
    Citizenship,
    ConsentGivenBy,
    ConsentKind,
    Gender,
    PersonRole,
    RecruiterRelation,
    SexSector,
    VictimStatus,
)

# ISO, whatever the language: a date input shows nothing for "24-11-2026", and the value would be lost on save.
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {"invalid": _("Vul een geldige datum in, bijvoorbeeld 2026-03-31.")}


UNKNOWN = _("Onbekend / niet van toepassing")


def _blank(choices, label=UNKNOWN):
    return [("", label), *choices]


class PersonForm(forms.Form):
    role = forms.ChoiceField(label=_("Rol"), choices=PersonRole.choices, widget=forms.RadioSelect,
                             error_messages={"required": _("Kies de rol van deze persoon.")})
    victim_status = forms.ChoiceField(label=_("Status slachtofferschap"), required=False,
                                      choices=_blank(VictimStatus.choices, _("Nog niet vastgesteld")))
    status_decided_by = forms.CharField(label=_("Status vastgesteld door"), max_length=120, required=False,
                                        help_text=_("Organisatie, bijvoorbeeld politie (AVIM) of zorgcoördinatie."))
    status_decided_on = forms.DateField(label=_("Status vastgesteld op"), required=False, widget=DATE,
                                        error_messages=DATE_ERRORS)
    first_name = forms.CharField(label=_("Voornaam"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Achternaam"), max_length=100, required=False)
    bsn = forms.CharField(label=_("BSN"), max_length=11, required=False,
                          help_text=_("Negen cijfers; wordt versleuteld opgeslagen."))
    birth_date = forms.DateField(label=_("Geboortedatum"), required=False, widget=DATE, error_messages=DATE_ERRORS)
    is_minor = forms.BooleanField(label=_("Minderjarig (alleen invullen als de geboortedatum onbekend is)"),
                                  required=False)
    address = forms.CharField(label=_("Adres of verblijfplaats"), max_length=200, required=False)
    phone = forms.CharField(label=_("Telefoonnummer"), max_length=30, required=False)
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, initial=Gender.UNKNOWN)
    citizenship = forms.ChoiceField(label=_("Nationaliteit"), choices=Citizenship.choices, initial=Citizenship.ZZ)
    is_unaccompanied_minor_foreigner = forms.BooleanField(
        label=_("Alleenstaande minderjarige vreemdeling (AMV)"), required=False)
    exploitation_year = forms.IntegerField(label=_("Jaar waarin de uitbuiting begon"), required=False,
                                           error_messages={"invalid": _("Vul een jaartal in, bijvoorbeeld 2025.")})
    exploitation_forms = forms.MultipleChoiceField(label=_("Vorm(en) van uitbuiting"), required=False,
                                                   choices=ExploitationForm.choices,
                                                   widget=forms.CheckboxSelectMultiple)
    sex_sector = forms.ChoiceField(label=_("Sector seksbranche"), required=False, choices=_blank(SexSector.choices))
    labour_sector = forms.ChoiceField(label=_("Sector arbeid"), required=False, choices=_blank(Sector.choices))
    means_of_control = forms.MultipleChoiceField(label=_("Middelen van controle"), required=False,
                                                 choices=MeansOfControl.choices, widget=forms.CheckboxSelectMultiple)
    recruiter_relation = forms.ChoiceField(label=_("Relatie met de ronselaar"), required=False,
                                           choices=_blank(RecruiterRelation.choices))
    place_of_recruitment = forms.CharField(label=_("Plaats van werving"), max_length=120, required=False,
                                           help_text=_("Gemeente of land, geen adres."))
    place_of_exploitation = forms.CharField(label=_("Plaats van uitbuiting"), max_length=120, required=False,
                                            help_text=_("Gemeente of land, geen adres."))
    confirm_duplicate = forms.BooleanField(
        label=_("Toch vastleggen: het is een andere casus over dezelfde persoon"), required=False)

    def __init__(self, *args, roles=None, **kwargs):
        super().__init__(*args, **kwargs)
        if roles is not None:
            # Offer the roles the user may register (the zorgcoördinator: victims only); the service checks again.
            field = self.fields["role"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [c for c in PersonRole.choices if c[0] in roles]
            if len(field.choices) == 1:
                self.initial.setdefault("role", field.choices[0][0])

    @classmethod
    def initial_for(cls, person) -> dict:
        initial = {name: getattr(person, name) for name in cls.base_fields if hasattr(person, name)}
        initial.pop("confirm_duplicate", None)
        return initial


class ConsentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Waarvoor"), choices=ConsentKind.choices,
                             error_messages={"required": _("Kies waarvoor de toestemming geldt.")})
    partner_type = forms.ChoiceField(label=_("Met welke ketenpartner (bij delen)"), required=False,
                                     choices=_blank(PartnerType.choices, _("—")))
    given = forms.TypedChoiceField(label=_("Besluit"), choices=[("yes", _("Toestemming gegeven")),
                                                               ("no", _("Toestemming geweigerd"))],
                                   coerce=lambda v: v == "yes", widget=forms.RadioSelect,
                                   error_messages={"required": _("Kies of toestemming is gegeven.")})
    given_by = forms.ChoiceField(label=_("Gegeven door"), choices=ConsentGivenBy.choices,
                                 initial=ConsentGivenBy.SELF, widget=forms.RadioSelect)
    given_on = forms.DateField(label=_("Datum"), widget=DATE, error_messages={
        **DATE_ERRORS, "required": _("Vul de datum in.")})

    def __init__(self, *args, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kinds is not None:
            field = self.fields["kind"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [c for c in ConsentKind.choices if c[0] in kinds]


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reden van intrekking"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("Schrijf waarom de toestemming wordt ingetrokken.")})


class OverrideForm(forms.Form):
    """Going ahead without consent: ground, reason, a second person's approval."""

    kind = forms.ChoiceField(label=_("Waarvoor"), choices=ConsentKind.choices)
    partner_type = forms.ChoiceField(label=_("Met welke ketenpartner (bij delen)"), required=False,
                                     choices=_blank(PartnerType.choices, _("—")))
    legal_ground = forms.ChoiceField(label=_("Wettelijke grondslag"),
                                     choices=_blank([c for c in LegalGround.choices if c[0] != LegalGround.CONSENT],
                                                    _("Kies de grondslag")), required=False)
    reason = forms.CharField(label=_("Reden"), max_length=2000, required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))
    approver = forms.ModelChoiceField(label=_("Akkoord van"), queryset=User.objects.none(), required=False,
                                      help_text=_("Een aandachtsfunctionaris of procesregisseur, niet uzelf."))

    def __init__(self, *args, approvers=None, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["approver"]
        assert isinstance(field, forms.ModelChoiceField)
        if approvers is not None:
            field.queryset = approvers
        field.label_from_instance = lambda u: u.get_full_name() or u.username  # type: ignore[method-assign,assignment]
        if kinds is not None:
            kind = self.fields["kind"]
            assert isinstance(kind, forms.ChoiceField)
            kind.choices = [c for c in ConsentKind.choices if c[0] in kinds]


class ComenshaForm(OverrideForm):
    """Register with CoMensha; the ground fields count only when there is no consent to statistics."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["kind"]
        del self.fields["partner_type"]


class IdentityPurposeForm(forms.Form):
    """The purpose a user states before a person's identity is shown (doelbinding); it goes into the access log."""

    purpose = forms.CharField(
        label=_("Waarvoor heeft u de identiteit nodig?"), max_length=150,
        help_text=_("Het doel wordt vastgelegd in het inzageregister, met de grondslag (doelbinding)."),
        error_messages={"required": _("Geef aan waarvoor u de identiteit nodig hebt (doelbinding)."),
                        "max_length": _("Beschrijf het doel in maximaal 150 tekens.")})


class BrpPersonForm(forms.Form):
    """Taking a BRP person into a case (persons.views.person_from_brp): which case, in which role."""

    case = forms.UUIDField(error_messages={"required": _("Kies een casus."), "invalid": _("Kies een casus.")})
    role = forms.ChoiceField(label=_("Als"), choices=PersonRole.choices, initial=PersonRole.OTHER,
                             error_messages={"required": _("Kies of dit een slachtoffer, verdachte of andere "
                                                           "betrokkene is."),
                                             "invalid_choice": _("Kies of dit een slachtoffer, verdachte of andere "
                                                                 "betrokkene is.")})
