"""The API's own views: the root of /api/v1/ (its resources and documents, as links) and the structured 404 for
any address under /api/v1/ that no app serves."""

from typing import Any, NoReturn

from rest_framework import exceptions
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView


class ApiRootView(APIView):
    """GET /api/v1/: JSON with a link per collection and to the schema and its docs. Like the schema it is for a
    signed-in user or a token holder (401 for anyone else); what each collection returns is scoped as always."""

    schema = None  # not a resource of the API
    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer]
    resources: dict[str, str] = {}  # collection name -> URL name, given by the router (api.urls)

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        links = {name: reverse(f"api:{url_name}", request=request) for name, url_name in self.resources.items()}
        return Response({"version": "v1", "resources": links,
                         "schema": reverse("api:schema", request=request),
                         "docs": reverse("api:docs", request=request)})


class UnknownEndpointView(APIView):
    """Any other address under /api/v1/ (a mistyped path, an id that is no UUID): the structured 404, not Django's
    HTML page, so a partner system reads the same error shape everywhere."""

    schema = None  # not an endpoint of the API

    def get(self, request: Request, *args: Any, **kwargs: Any) -> NoReturn:
        raise exceptions.NotFound()

    post = put = patch = delete = get
