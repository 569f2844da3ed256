"""Input shape of the reporting form and the reporter's answer."""

import re
import unicodedata
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meldroute.organisations.constants import Team

from .models import Indicator

POSTCODE_RE = re.compile(r"^\s*(\d{4})\s?([A-Za-z]{2})\s*$")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of rows that answers an out-of-range key with a field error instead of a 500.

    SQLite cannot bind an integer beyond 64 bits and raises OverflowError from the `pk IN (...)` query;
    no row can have such a key, so it is simply not one of the choices.
    """

    def _check_values(self, value):  # Django's hook, not in the stubs
        try:
            return super()._check_values(value)  # type: ignore[misc]
        except OverflowError as error:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                  params={"value": max(map(str, value), key=len)}) from error


def clean_postcode(value: str) -> str:
    if not value:
        return ""
    match = POSTCODE_RE.match(value)
    if not match or match.group(1).startswith("0"):
        raise ValidationError(_("Vul een Nederlandse postcode in, bijvoorbeeld 1234 AB."))
    return f"{match.group(1)} {match.group(2).upper()}"


def clean_kvk_number(value: str) -> str:
    """Eight ASCII digits. NFKC first: "１２３４５６７８" typed full-width is KvK number 12345678; other scripts' digits
    (which \\d and isdigit() accept) are refused, as no search or link on the number would ever find them."""
    value = "".join(unicodedata.normalize("NFKC", value or "").split())
    if value and not re.fullmatch(r"[0-9]{8}", value):
        raise ValidationError(_("Een KvK-nummer bestaat uit 8 cijfers."))
    return value


def clean_observed_on(value: date | None) -> date | None:
    if value and value > timezone.localdate():
        raise ValidationError(_("De datum van de waarneming kan niet in de toekomst liggen."))
    if value and value.year < 1990:
        raise ValidationError(_("Vul een datum na 1990 in."))
    return value


class SignalForm(forms.Form):
    description = forms.CharField(
        label=_("Wat heeft u gezien of gehoord?"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Beschrijf het in uw eigen woorden. Een vaag gevoel is ook welkom: u hoeft niet te weten "
                    "of het mensenhandel is."),
        error_messages={"required": _("Beschrijf kort wat u heeft gezien of gehoord.")},
    )
    is_acute = forms.TypedChoiceField(
        label=_("Is er direct gevaar?"), coerce=lambda v: v == "yes", widget=forms.RadioSelect,
        choices=[("no", _("Nee, het kan via de gewone route")),
                 ("yes", _("Ja, acuut: iemand is nu in gevaar of er moet vandaag iets gebeuren"))],
        error_messages={"required": _("Geef aan of er direct gevaar is.")},
    )
    address = forms.CharField(label=_("Adres"), max_length=200, required=False,
                              help_text=_("Straat, huisnummer en plaats, als u dat weet."))
    postcode = forms.CharField(label=_("Postcode"), max_length=7, required=False)
    business_name = forms.CharField(label=_("Naam van het bedrijf"), max_length=200, required=False)
    kvk_number = forms.CharField(label=_("KvK-nummer"), max_length=12, required=False,
                                 help_text=_("8 cijfers, als u het weet."))
    location_description = forms.CharField(label=_("Andere locatie"), max_length=300, required=False,
                                           help_text=_("Bijvoorbeeld: parkeerplaats achter het station."))
    observed_on = forms.DateField(label=_("Wanneer was het?"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                  error_messages={"invalid": _("Vul een geldige datum in.")})
    observed_time = forms.CharField(label=_("Tijdstip of periode"), max_length=100, required=False,
                                    help_text=_("Bijvoorbeeld: dinsdagavond, of al enkele weken."))
    persons_description = forms.CharField(
        label=_("Wie waren erbij betrokken?"), max_length=5_000, required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Namen als u die kent, anders een beschrijving (leeftijd, uiterlijk, taal, auto)."))
    reporter_team = forms.ChoiceField(label=_("Uw team"), choices=[("", _("Kies uw team")), *Team.choices],
                                      error_messages={"required": _("Kies het team waarin u werkt.")})
    indicators = BoundedModelMultipleChoiceField(
        label=_("Welke signalen herkent u?"), required=False, widget=forms.CheckboxSelectMultiple,
        queryset=Indicator.objects.filter(is_active=True),
        help_text=_("Vink aan wat u herkent. Niets herkend? Meld toch."))
    attachments = MultipleFileField(
        label=_("Bijlagen"), required=False,
        help_text=_("Foto's of documenten (JPEG, PNG, HEIC, WebP, PDF, Word, OpenDocument)."))

    def clean_postcode(self):
        return clean_postcode(self.cleaned_data.get("postcode", ""))

    def clean_kvk_number(self):
        return clean_kvk_number(self.cleaned_data.get("kvk_number", ""))

    def clean_observed_on(self):
        return clean_observed_on(self.cleaned_data.get("observed_on"))

    def clean_attachments(self):
        """Check the files with the other fields, so a refused file is named in the same round as every other
        mistake (the service checks them again before storing anything)."""
        from .exceptions import AttachmentRejected
        from .services import config, inspect_attachment

        uploads = self.cleaned_data.get("attachments") or []
        errors = []
        if len(uploads) > config("ATTACHMENT_MAX_COUNT"):
            errors.append(_("Te veel bijlagen: maximaal %(n)s per signaal.") % {"n": config("ATTACHMENT_MAX_COUNT")})
        for upload in uploads:
            try:
                inspect_attachment(upload)
            except AttachmentRejected as refused:
                errors.append(refused.message)
            finally:
                upload.seek(0)
        if errors:
            raise ValidationError(errors)
        return uploads

    def indicator_groups(self):
        """The checkboxes grouped by form of exploitation, for the template."""
        from .indicator_catalogue import INDICATOR_GROUP_LABELS

        field = self.fields["indicators"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        by_code = {str(i.pk): i.form for i in field.queryset or ()}
        groups: dict[str, list] = {form: [] for form in INDICATOR_GROUP_LABELS}
        for checkbox in self["indicators"]:
            groups.setdefault(by_code.get(str(checkbox.data["value"]), "general"), []).append(checkbox)
        return [(INDICATOR_GROUP_LABELS[form], boxes) for form, boxes in groups.items() if boxes]


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Uw antwoord"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 4}),
                             error_messages={"required": _("Schrijf uw antwoord.")})
