"""One structured error shape for every API failure: {"status", "code", "detail", "errors"}."""

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler

from meldroute.core.api import error_body, error_response
from meldroute.core.exceptions import DomainError


def structured_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        code = status.HTTP_403_FORBIDDEN if exc.code == "forbidden" else status.HTTP_400_BAD_REQUEST
        errors = {exc.field: [exc.message]} if exc.field else {}
        # A refusal bound to a field is invalid input to the client, like a serializer error on that field.
        error_code = "invalid" if exc.field and code == status.HTTP_400_BAD_REQUEST else exc.code
        return error_response(code, error_code, exc.message, errors)
    # Django's own 404/403 carry no DRF code; convert them first so the body says "not_found"/"permission_denied".
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages})
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, ValidationError):
        errors = response.data if isinstance(response.data, dict) else {"non_field_errors": response.data}
        response.data = error_body(response.status_code, "invalid", "De invoer is niet geldig.", errors)
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else str(response.data)
        response.data = error_body(response.status_code, getattr(exc, "default_code", "error"), str(detail))
    return response
