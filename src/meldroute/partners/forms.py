"""Input shape of the wegwijzer filter and of the beheerder's receivers of another phenomenon."""

from django import forms
from django.utils.translation import gettext_lazy as _

from meldroute.core.forms import TextareaField
from meldroute.intake.constants import Phenomenon

from .constants import ExploitationForm, PartnerType


class DirectoryFilterForm(forms.Form):
    vorm = forms.ChoiceField(label=_("Vorm van uitbuiting"), required=False,
                             choices=[("", _("Alle vormen")), *ExploitationForm.choices])


class PhenomenonReceiverForm(forms.Form):
    phenomenon = forms.ChoiceField(label=_("Ander fenomeen"), choices=Phenomenon.choices, widget=forms.HiddenInput,
                                   error_messages={"required": _("Kies een fenomeen."),
                                                   "invalid_choice": _("Kies een fenomeen.")})
    partner_type = forms.ChoiceField(
        label=_("Soort ketenpartner in Meldroute"), required=False,
        choices=[("", _("Buiten Meldroute: vastleggen wie en wanneer")), *PartnerType.choices],
        help_text=_("Met een ketenpartner gaat de overdracht als doorverwijzing, met alleen wat de deelregel "
                    "toestaat."),
        error_messages={"invalid_choice": _("Kies een soort ketenpartner.")})
    receiver_name = forms.CharField(label=_("Ontvanger"), max_length=160,
                                    error_messages={"required": _("Vul in wie het signaal ontvangt."),
                                                    "max_length": _("Gebruik maximaal 160 tekens.")})
    source = TextareaField(label=_("Bron en toelichting"), max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           error_messages={"required": _("Geef de bron: welk plan of welke afspraak dit zegt.")})
