"""Input shape of the chair's actions on a meeting."""

from django import forms
from django.utils.translation import gettext_lazy as _

from meldroute.organisations.models import Organisation
from meldroute.partners.constants import PartnerType
from meldroute.routing.constants import Decision


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Besluit"), choices=Decision.choices, widget=forms.RadioSelect,
                                 error_messages={"required": _("Kies een besluit.")})
    refer_to = forms.ChoiceField(label=_("Doorverwijzen naar"), required=False,
                                 choices=[("", _("Niet van toepassing")), *PartnerType.choices],
                                 help_text=_("Alleen bij het besluit 'doorverwijzen'."))
    owner_organisation = forms.ModelChoiceField(
        label=_("Eigenaar (organisatie)"), queryset=Organisation.objects.none(), required=False,
        empty_label=_("Kies een organisatie"),
        help_text=_("Verplicht, behalve bij 'geen mensenhandel' en 'monitoren'."),
        error_messages={"invalid_choice": _("Kies een organisatie die aan dit overleg deelneemt.")})
    action = forms.CharField(label=_("Actie"), max_length=2_000, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))
    deadline = forms.DateField(label=_("Uiterlijk"), required=False, widget=DateInput(),
                               error_messages={"invalid": _("Vul een geldige datum in, bijvoorbeeld 2026-03-31.")})

    def __init__(self, *args, participants, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["owner_organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = participants


class CloseMeetingForm(forms.Form):
    notes = forms.CharField(label=_("Aantekeningen voor de notulen"), max_length=10_000, required=False,
                            widget=forms.Textarea(attrs={"rows": 3}),
                            help_text=_("Geen persoonsgegevens: de notulen gaan naar alle deelnemers."))
