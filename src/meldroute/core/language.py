"""The language of record. The interface speaks the language the user chose, but what Meldroute stores or sends on
— history lines, enrichment notes, what a referral shares, notifications and their mails, audit purposes — is
written in Dutch whatever the writer's screen shows: a colleague, a chain partner or a court reads it later, in the
language of the administration (Awb 2:6). Errors and messages for the user himself stay in his language."""

from collections.abc import Callable, Mapping
from functools import wraps
from typing import ParamSpec, TypeVar

from django.utils.functional import Promise
from django.utils.translation import override

RECORD_LANGUAGE = "nl"

P = ParamSpec("P")
R = TypeVar("R")


def recorded(message: str, params: Mapping[str, object] | None = None) -> str:
    """A text to store: `message` (Dutch, with %(name)s placeholders) filled with `params`, whose lazy labels and
    other translatable values are read in the language of record."""
    if params is None:
        return message
    with override(RECORD_LANGUAGE):
        return message % {name: str(value) if isinstance(value, Promise) else value for name, value in params.items()}


def recorded_label(label: object) -> str:
    """A choice's label (or other lazy text) as it is stored: in the language of record."""
    with override(RECORD_LANGUAGE):
        return str(label)


def in_record_language(function: Callable[P, R]) -> Callable[P, R]:
    """For a function that composes what is stored or sent and refuses nothing: all of it in the language of
    record (labels, dates, gettext)."""
    @wraps(function)
    def composed(*args: P.args, **kwargs: P.kwargs) -> R:
        with override(RECORD_LANGUAGE):
            return function(*args, **kwargs)
    return composed
