"""Input shape of the wegwijzer filter."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .constants import ExploitationForm


class DirectoryFilterForm(forms.Form):
    vorm = forms.ChoiceField(label=_("Vorm van uitbuiting"), required=False,
                             choices=[("", _("Alle vormen")), *ExploitationForm.choices])
