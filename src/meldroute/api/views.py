"""The API's own views: the structured 404 for any address under /api/v1/ that no app serves."""

from typing import Any, NoReturn

from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.views import APIView


class UnknownEndpointView(APIView):
    """Any other address under /api/v1/ (a mistyped path, an id that is no UUID): the structured 404, not Django's
    HTML page, so a partner system reads the same error shape everywhere."""

    schema = None  # not an endpoint of the API

    def get(self, request: Request, *args: Any, **kwargs: Any) -> NoReturn:
        raise exceptions.NotFound()

    post = put = patch = delete = get
