"""The wegwijzer and the sharing rules in the stock admin (superusers only); every rule change is audited."""

from typing import TYPE_CHECKING

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from meldroute.accounts.admin import AuditedAdminMixin

from .constants import ExploitationForm, LegalGround
from .models import DirectoryEntry, SharingRule

if TYPE_CHECKING:  # django-stubs' ModelForm and ModelAdmin are generic over their model; Django's are not subscriptable
    _DirectoryEntryForm = forms.ModelForm[DirectoryEntry]
    _SharingRuleForm = forms.ModelForm[SharingRule]
    _DirectoryEntryAdmin = admin.ModelAdmin[DirectoryEntry]
    _SharingRuleAdmin = admin.ModelAdmin[SharingRule]
else:
    _DirectoryEntryForm = _SharingRuleForm = forms.ModelForm
    _DirectoryEntryAdmin = _SharingRuleAdmin = admin.ModelAdmin


class DirectoryEntryForm(_DirectoryEntryForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    # Declared last: the field name shadows the `forms` module inside this class body.
    forms = forms.MultipleChoiceField(label=_("Vormen van uitbuiting"), choices=ExploitationForm.choices,
                                      required=False, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = DirectoryEntry
        fields = ["name", "partner_type", "region", "description", "contact_route", "email", "phone", "website",
                  "forms", "organisation", "is_active"]


@admin.register(DirectoryEntry)
class DirectoryEntryAdmin(_DirectoryEntryAdmin):
    form = DirectoryEntryForm
    list_display = ["name", "partner_type", "region", "organisation", "is_active"]
    list_filter = ["partner_type", "region", "is_active"]
    search_fields = ["name", "description"]


class SharingRuleForm(_SharingRuleForm):
    grounds = forms.MultipleChoiceField(label=_("Toegestane grondslagen"), choices=LegalGround.choices,
                                        required=False, widget=forms.CheckboxSelectMultiple,
                                        help_text=_("Niets aangevinkt: deze gegevens gaan nooit naar deze partner."))

    class Meta:
        model = SharingRule
        fields = ["region", "partner_type", "category", "grounds", "source"]


@admin.register(SharingRule)
class SharingRuleAdmin(AuditedAdminMixin, _SharingRuleAdmin):  # the superuser is named in the rule's audit event
    form = SharingRuleForm
    list_display = ["partner_type", "category", "region", "grounds"]
    list_filter = ["partner_type", "category", "region"]
