"""Input shape of the FG's forms; the rules are in services.py."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meldroute.persons.forms import PersonForm
from meldroute.persons.models import Person

REASON_HELP = _("Bijvoorbeeld het kenmerk van de brief of mail en de datum van het verzoek. Wordt versleuteld "
                "bewaard bij het verzoek.")


def _reason_field() -> forms.CharField:
    return forms.CharField(label=_("Reden en kenmerk van het verzoek"), max_length=500, help_text=REASON_HELP,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": _("Vul de reden en het kenmerk van het verzoek in."),
                                           "max_length": _("Gebruik maximaal 500 tekens.")})


class SearchForm(forms.Form):
    term = forms.CharField(label=_("BSN of casusnummer"), max_length=40,
                           help_text=_("Een BSN wordt gezocht via een sleutel-hash en niet bewaard. Heeft de "
                                       "betrokkene geen BSN in Meldroute, zoek dan op het casusnummer."),
                           error_messages={"required": _("Vul een BSN of een casusnummer in."),
                                           "max_length": _("Gebruik maximaal 40 tekens.")})


class ReasonForm(forms.Form):
    reason = _reason_field()


class RestrictionForm(forms.Form):
    restricted = forms.TypedChoiceField(label=_("Beperking"), coerce=lambda v: v == "1",
                                        choices=[("1", _("Beperken")), ("0", _("Beperking opheffen"))],
                                        widget=forms.HiddenInput)
    reason = _reason_field()


class CorrectionForm(PersonForm):
    """The person form without the role (rectification corrects data, it never changes a person's role), plus the
    reason of the request."""

    reason = _reason_field()

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, roles=frozenset({person.role}), **kwargs)  # type: ignore[no-untyped-call]
        self.fields["role"].widget = forms.HiddenInput()
