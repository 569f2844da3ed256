"""Partner API: submit a signal, list and read back the signals one's organisation submitted."""

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from meldroute.accounts.constants import Role
from meldroute.intake import selectors, services
from meldroute.intake.constants import Channel

from .serializers import SignalCreateSerializer, SignalListSerializer, SignalSerializer


class SignalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    lookup_field = "uuid"
    lookup_url_kwarg = "id"
    lookup_value_regex = "[0-9a-fA-F-]{36}"

    def get_queryset(self):
        return selectors.signals_visible_to(self.request.user).order_by("-received_at", "-id")

    def get_serializer_class(self):
        return {"list": SignalListSerializer, "create": SignalCreateSerializer}.get(self.action, SignalSerializer)

    @extend_schema(responses={200: SignalSerializer})
    def retrieve(self, request, *args, **kwargs):
        signal = selectors.get_signal_for(request.user, kwargs["id"], purpose="terugzoeken via API")
        return Response(SignalSerializer(signal).data)

    @extend_schema(request=SignalCreateSerializer, responses={201: SignalSerializer})
    def create(self, request, *args, **kwargs):
        if not request.user.has_role(Role.PARTNER):
            raise PermissionDenied
        serializer = SignalCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        signal = services.register_signal(
            actor=request.user, municipality=data.pop("municipality"), is_acute=data.pop("is_acute"),
            indicators=data.pop("indicators", []), data=data, channel=Channel.PARTNER)
        signal = selectors.get_signal_for(request.user, signal.uuid, purpose="ontvangstbevestiging via API")
        return Response(SignalSerializer(signal).data, status=status.HTTP_201_CREATED)


class UnknownEndpointView(APIView):
    """Any other address under /api/v1/ (a mistyped path, an id that is no UUID): the structured 404, not Django's
    HTML page, so a partner system reads the same error shape everywhere."""

    schema = None  # not an endpoint of the API

    def get(self, request, *args, **kwargs):
        raise exceptions.NotFound()

    post = put = patch = delete = get
