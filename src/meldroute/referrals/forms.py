"""Input shape of sending, answering and revoking a referral."""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meldroute.core.forms import required_when
from meldroute.partners.constants import DataCategory, LegalGround

from .constants import OutcomeKind, ReferralStatus

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
    # Shown only after the service warned that the signal is already open at this receiver (issue 14).
    confirm_duplicate = forms.BooleanField(
        label=_("Ja, ik stuur toch nog een doorverwijzing naar deze ketenpartner"), required=False)

    def __init__(self, *args: Any, organisations: Iterable[Any], entries: Iterable[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.data.get("confirm_duplicate"):
            self.fields.pop("confirm_duplicate")  # offered only once the service warned (offer_duplicate)
        self.organisations = {f"org:{o.uuid}": o for o in organisations}
        self.entries = {f"entry:{e.uuid}": e for e in entries}
        field = self.fields["receiver"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            ("", _("Kies een ketenpartner")),
            (_("Organisaties in Meldroute"), [(key, o.name) for key, o in self.organisations.items()]),
            (_("Wegwijzer (via persoonlijke link)"), [(key, e.name) for key, e in self.entries.items()]),
        ]

    def offer_duplicate(self) -> None:
        """The signal is already open at this receiver: offer the box that confirms a second referral."""
        self.fields.setdefault("confirm_duplicate", ReferralForm.base_fields["confirm_duplicate"])

    def receiver_kwargs(self) -> dict[str, Any]:
        key = self.cleaned_data["receiver"]
        if key in self.organisations:
            return {"receiver_organisation": self.organisations[key]}
        return {"directory_entry": self.entries[key]}


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reden van afwijzing"), max_length=5_000, widget=forms.Textarea(attrs=TEXT),
                             error_messages={"required": _("Geef de reden van de afwijzing.")})


class CompleteForm(forms.Form):
    outcome_kind = forms.ChoiceField(label=_("Wat is er met de doorverwijzing gedaan?"), choices=OutcomeKind.choices,
                                     widget=forms.RadioSelect,
                                     error_messages={"required": _("Kies wat er met de doorverwijzing is gedaan."),
                                                     "invalid_choice": _("Kies wat er met de doorverwijzing is "
                                                                         "gedaan.")})
    handed_to = required_when(forms.CharField(label=_("Overgedragen aan (organisatie)"), max_length=160,
                                              required=False),
                              _("verplicht bij overdracht aan een andere organisatie"))
    outcome = required_when(forms.CharField(label=_("Toelichting"), max_length=10_000, required=False,
                                            widget=forms.Textarea(attrs=TEXT),
                                            help_text=_("Deel niet meer dan nodig is.")),
                            _("verplicht bij 'Anders'"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("outcome_kind")
        if kind == OutcomeKind.HANDED_OVER and not (data.get("handed_to") or "").strip():
            self.add_error("handed_to", _("Schrijf aan welke organisatie u het heeft overgedragen."))
        if kind == OutcomeKind.OTHER and not (data.get("outcome") or "").strip():
            self.add_error("outcome", _("Beschrijf de uitkomst."))
        return data


class MessageForm(forms.Form):
    text = forms.CharField(label=_("Uw vraag of antwoord"), max_length=5_000, widget=forms.Textarea(attrs=TEXT),
                           help_text=_("Alleen de verzender en de ontvanger van deze doorverwijzing lezen dit."),
                           error_messages={"required": _("Schrijf uw vraag of antwoord.")})


STATUS_FILTERS = [("", _("Alle")), ("open", _("Openstaand")), *ReferralStatus.choices]


class ReferralFilterForm(forms.Form):
    """The referral list's filters (issue 14): status, acute only, received between two dates."""

    status = forms.ChoiceField(label=_("Status"), choices=STATUS_FILTERS, required=False,
                               error_messages={"invalid_choice": _("Kies een status uit de lijst.")})
    acute = forms.BooleanField(label=_("Alleen acuut"), required=False)
    received_from = forms.DateField(label=_("Ontvangen vanaf"), required=False,
                                    widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                    error_messages={"invalid": _("Vul een datum in, bijvoorbeeld 1-3-2026.")})
    received_until = forms.DateField(label=_("Ontvangen tot en met"), required=False,
                                     widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                     error_messages={"invalid": _("Vul een datum in, bijvoorbeeld 31-3-2026.")})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("received_from"), data.get("received_until")
        if start and end and end < start:
            self.add_error("received_until", _("De einddatum ligt voor de begindatum."))
        return data

    def filters(self) -> dict[str, Any]:
        """The valid filters only: an invalid field is shown with its message and left out."""
        data = getattr(self, "cleaned_data", {}) if self.is_bound else {}
        return {name: data.get(name) for name in self.fields if name not in self.errors and data.get(name)}


class AcceptForm(forms.Form):
    """Accepting needs no input; the form keeps every action on the same shape."""


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Waarom trekt u de doorverwijzing in?"), max_length=5_000, required=False,
                             widget=forms.Textarea(attrs=TEXT))
