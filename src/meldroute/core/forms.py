"""Form rendering in NL Design System (Utrecht) markup, with an error summary."""

from typing import Any, TypeVar

from django import forms
from django.forms.renderers import TemplatesSetting
from django.http import HttpRequest

from .exceptions import DomainError

FieldT = TypeVar("FieldT", bound=forms.Field)
StrPromise = Any  # a lazy translation (gettext_lazy) as well as a str


class NLDesignFormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


def required_when(field: FieldT, when: "str | StrPromise") -> FieldT:
    """A field required only with some other choice (the form or service checks it): its label says when, e.g.
    "(verplicht bij afsluiten)", instead of "(niet verplicht)" — which would be untrue (issue 14)."""
    field.required_when = when  # type: ignore[attr-defined]  # read by templates/forms/field.html
    return field


def add_domain_error(form: forms.BaseForm, error: DomainError) -> None:
    """A service's refusal (DomainError) at its field, or above the form when the form has no such field."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


def flash_form_errors(request: HttpRequest, form: forms.BaseForm) -> None:
    """For a form the re-rendered page no longer offers (its row was closed or withdrawn in the meantime): put its
    refusal above the page as messages, so it is never silent."""
    from django.contrib import messages

    for error in form.non_field_errors():
        messages.error(request, str(error))
    for field in form:
        for error in field.errors:
            messages.error(request, f"{field.label}: {error}")


class TextareaField(forms.CharField):
    """A textarea's text with its line breaks as one character each: the browser's maxlength counts them so, but
    sends each as two (CRLF), so a text the browser let through would otherwise fail the same limit here."""

    def to_python(self, value: Any) -> str:
        text: str = super().to_python(value) or ""
        return text.replace("\r\n", "\n")
