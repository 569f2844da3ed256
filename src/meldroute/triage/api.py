"""The AF's API on a signal: look it up in a register (BRP, KvK) and read the signals it is linked to.

Registered on the router in meldroute.api.urls, under /api/v1/signals/<uuid>/. Only an AF of the signal's
municipality gets past get_signal_for_triage; anyone else gets a structured 404. Refusals (DomainError) become
structured 400s.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from meldroute.core.api import UuidLookupMixin, error_response, uuid_path_parameter
from meldroute.routing import selectors as routing_selectors
from meldroute.routing import services as routing_services
from meldroute.routing.models import SignalRouteStep

from . import services
from .constants import LookupSource
from .models import EnrichmentNote
from .selectors import get_signal_for_triage, links_for


class LookupSerializer(serializers.Serializer):
    source = serializers.ChoiceField(choices=LookupSource.choices, help_text="brp of kvk.")  # type: ignore[assignment]
    purpose = serializers.CharField(max_length=150, help_text="Waarvoor de gegevens nodig zijn (doelbinding).")
    bsn = serializers.CharField(max_length=11, required=False, allow_blank=True, help_text="BRP: burgerservicenummer.")
    postcode = serializers.CharField(max_length=7, required=False, allow_blank=True, help_text="BRP: postcode.")
    street = serializers.CharField(max_length=200, required=False, allow_blank=True, help_text="BRP: straat.")
    house_number = serializers.IntegerField(min_value=1, max_value=99_999, required=False, allow_null=True,
                                            help_text="BRP: huisnummer.")
    kvk_number = serializers.CharField(max_length=10, required=False, allow_blank=True, help_text="KvK: nummer.")
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, help_text="KvK: bedrijfsnaam.")


class EnrichmentNoteSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)

    class Meta:
        model = EnrichmentNote
        fields = ["id", "source", "text", "purpose", "retrieved_at"]


class LinkedSignalSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="signal.uuid")
    reference = serializers.CharField(source="signal.reference")
    received_at = serializers.DateTimeField(source="signal.received_at")
    status = serializers.CharField(source="signal.status")
    kinds = serializers.ListField(child=serializers.CharField())


class LinksSerializer(serializers.Serializer):
    same_municipality = LinkedSignalSerializer(many=True)
    region_count = serializers.IntegerField(help_text="Gekoppelde signalen in andere gemeenten van de regio.")


class SignalRouteStepSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    actor_label = serializers.CharField(source="get_actor_display", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = SignalRouteStep
        fields = ["id", "key", "number", "position", "title", "actor", "actor_label", "action", "target", "state",
                  "due_at", "is_overdue", "completed_at", "note"]


class RouteProgressSerializer(serializers.Serializer):
    name = serializers.CharField(source="route.name")
    version = serializers.IntegerField(source="route.version")
    facts = serializers.DictField(source="route.facts")
    finished_at = serializers.DateTimeField(source="route.finished_at", allow_null=True)
    current = SignalRouteStepSerializer(many=True)
    steps = SignalRouteStepSerializer(many=True)


class CompleteStepSerializer(serializers.Serializer):
    step = serializers.UUIDField()
    note = serializers.CharField(max_length=5_000)


# No docstring: the schema takes a viewset's docstring as the description of each of its operations.
@extend_schema(parameters=[uuid_path_parameter("signal_uuid")])
class SignalTriageViewSet(UuidLookupMixin, viewsets.ViewSet):
    lookup_url_kwarg = "signal_uuid"

    @extend_schema(request=LookupSerializer, responses={201: EnrichmentNoteSerializer})
    @action(detail=True, methods=["post"], url_path="lookups", url_name="lookups")
    def lookups(self, request, signal_uuid):
        signal = get_signal_for_triage(request.user, signal_uuid)
        serializer = LookupSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        source, purpose = data.pop("source"), data.pop("purpose")
        if source == LookupSource.BRP:
            note = services.lookup_brp(signal, actor=request.user, purpose=purpose, bsn=data.get("bsn", ""),
                                       postcode=data.get("postcode", ""), street=data.get("street", ""),
                                       house_number=data.get("house_number"))
        else:
            note = services.lookup_kvk(signal, actor=request.user, purpose=purpose,
                                       kvk_number=data.get("kvk_number", ""), name=data.get("name", ""))
        return Response(EnrichmentNoteSerializer(note).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: LinksSerializer})
    @action(detail=True, methods=["get"], url_path="links", url_name="links")
    def links(self, request, signal_uuid):
        signal = get_signal_for_triage(request.user, signal_uuid)
        return Response(LinksSerializer(links_for(request.user, signal)).data)

    @extend_schema(responses={200: RouteProgressSerializer})
    @action(detail=True, methods=["get"], url_path="route", url_name="route")
    def route(self, request, signal_uuid):
        """Where the signal stands on its region's meldroute; the AF finishes an inform or decide step by hand."""
        signal = get_signal_for_triage(request.user, signal_uuid)
        progress = routing_selectors.route_progress(signal)
        if progress is None:
            return error_response(404, "not_found", "Voor de regio van dit signaal is geen meldroute ingesteld.")
        return Response(RouteProgressSerializer(progress).data)

    @extend_schema(request=CompleteStepSerializer, responses={200: RouteProgressSerializer})
    @route.mapping.post
    def complete_route_step(self, request, signal_uuid):
        """Where the signal stands on its region's meldroute; the AF finishes an inform or decide step by hand."""
        signal = get_signal_for_triage(request.user, signal_uuid)
        serializer = CompleteStepSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        step = routing_selectors.active_step_of(signal, serializer.validated_data["step"])
        routing_services.complete_step(step, actor=request.user, note=serializer.validated_data["note"])
        return Response(RouteProgressSerializer(routing_selectors.route_progress(signal)).data)
