"""Panels: a page's forms, each posted on its own to one action that calls one service.

A page with panels (a signal in triage, a case, a care trajectory) keeps two tables keyed by the action's name, the
last part of its URL: builders (name → a function of (data, prefix) that makes the panel's form) and actions
(name → a `PanelAction`: the service call and the message after it). `panel_forms` makes every panel's form, with
its name as prefix so field ids stay unique on the page, and binds only the posted one; `submit` validates that form
and calls the service. A refusal (`DomainError`) lands at the form's field, so the view renders the page again with
the user's input (200, not 400: that page is what htmx swaps in); success sets the message and the view redirects.
"""

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest

from .exceptions import DomainError
from .forms import add_domain_error

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # str or a lazy translation, as messages.success takes it

FormBuilder = Callable[[Any, str], forms.BaseForm]  # (data or None, prefix) → the panel's form
# (perform, success): a function of (target, actor, cleaned_data) that calls one service, and the message once done.
PanelAction = tuple[Callable[[Any, Any, dict[str, Any]], object], "StrOrPromise"]


def panel_forms(builders: Mapping[str, FormBuilder], data: Any = None, which: str | None = None) -> dict[str, Any]:
    """Fresh forms for every panel; the one named `which` is bound to the submitted data."""
    return {name: build(data if name == which else None, name) for name, build in builders.items()}


def submit(request: HttpRequest, action: PanelAction, target: Any, form: forms.BaseForm) -> bool:
    """Validate the posted form and perform the action on `target` as the user. True when done (the message is set:
    redirect); False when the form has errors, a refusal included (render the page with it)."""
    if not form.is_valid():
        return False
    perform, success = action
    try:
        perform(target, request.user, form.cleaned_data)
    except DomainError as error:
        add_domain_error(form, error)
        return False
    messages.success(request, success)
    return True
