"""Plumbing every app's api.py shares: the structured error body and viewsets keyed by a UUID in the path.

The router and the exception handler live in meldroute.api, above every app; what an app's API module needs from
them lives here, so no app imports meldroute.api.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.urls.converters import UUIDConverter
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.response import Response

# Exactly what Django's <uuid:…> path converter matches (lower-case, dashed), for router lookups.
UUID_PATTERN = UUIDConverter.regex


def error_body(status: int, code: str, detail: str, errors: dict[str, Any] | None = None) -> dict[str, Any]:
    """The one shape of every API failure: {"status", "code", "detail", "errors"}."""
    return {"status": status, "code": code, "detail": detail, "errors": errors or {}}


def error_response(status: int, code: str, detail: str, errors: dict[str, Any] | None = None) -> Response:
    return Response(error_body(status, code, detail, errors), status=status)


def uuid_path_parameter(name: str) -> OpenApiParameter:
    """The schema of a UUID path segment, as a <uuid:…> converter describes it."""
    return OpenApiParameter(name, OpenApiTypes.UUID, OpenApiParameter.PATH)


# A viewset whose detail routes carry a UUID (`lookup_url_kwarg`): the router matches it as Django's <uuid:…>
# converter does and the handler receives a UUID, as from a converter. No docstring: the schema would inherit it as
# the description of every operation of the viewsets that use it.
class UuidLookupMixin:
    lookup_url_kwarg: str | None = None
    lookup_value_regex = UUID_PATTERN

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if self.lookup_url_kwarg and isinstance(kwargs.get(self.lookup_url_kwarg), str):
            kwargs[self.lookup_url_kwarg] = UUID(kwargs[self.lookup_url_kwarg])
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
