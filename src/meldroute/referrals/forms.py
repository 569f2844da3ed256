"""Input shape of sending, answering and revoking a referral."""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meldroute.partners.constants import DataCategory, LegalGround

TEXT = {"rows": 3}
SHAREABLE = [(value, label) for value, label in DataCategory.choices if value != DataCategory.SUMMARY]


class ReferralForm(forms.Form):
    receiver = forms.ChoiceField(label=_("Naar"),
                                 error_messages={"required": _("Kies naar wie u doorverwijst."),
                                                 "invalid_choice": _("Kies naar wie u doorverwijst.")})
    purpose = forms.CharField(label=_("Doel van de doorverwijzing"), max_length=5_000,
                              widget=forms.Textarea(attrs=TEXT),
                              error_messages={"required": _("Schrijf waarom u doorverwijst.")})
    legal_ground = forms.ChoiceField(label=_("Grondslag"),
                                     choices=[("", _("Kies de grondslag")), *LegalGround.choices],
                                     error_messages={"required": _("Kies een grondslag.")})
    categories = forms.MultipleChoiceField(
        label=_("Welke gegevens gaan mee?"), choices=SHAREABLE, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Kenmerk, datum, gemeente en acuut gaan altijd mee. Deel niet meer dan nodig is."))
    note = forms.CharField(label=_("Toelichting in het verloop (intern)"), max_length=2_000, required=False,
                           widget=forms.Textarea(attrs=TEXT))

    def __init__(self, *args: Any, organisations: Iterable[Any], entries: Iterable[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {f"org:{o.uuid}": o for o in organisations}
        self.entries = {f"entry:{e.uuid}": e for e in entries}
        field = self.fields["receiver"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            ("", _("Kies een ketenpartner")),
            (_("Organisaties in Meldroute"), [(key, o.name) for key, o in self.organisations.items()]),
            (_("Wegwijzer (via persoonlijke link)"), [(key, e.name) for key, e in self.entries.items()]),
        ]

    def receiver_kwargs(self) -> dict[str, Any]:
        key = self.cleaned_data["receiver"]
        if key in self.organisations:
            return {"receiver_organisation": self.organisations[key]}
        return {"directory_entry": self.entries[key]}


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reden van afwijzing"), max_length=5_000, widget=forms.Textarea(attrs=TEXT),
                             error_messages={"required": _("Geef de reden van de afwijzing.")})


class CompleteForm(forms.Form):
    outcome = forms.CharField(label=_("Uitkomst"), max_length=10_000, widget=forms.Textarea(attrs=TEXT),
                              error_messages={"required": _("Beschrijf de uitkomst.")})


class AcceptForm(forms.Form):
    """Accepting needs no input; the form keeps every action on the same shape."""


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Waarom trekt u de doorverwijzing in?"), max_length=5_000, required=False,
                             widget=forms.Textarea(attrs=TEXT))
