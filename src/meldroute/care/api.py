"""Victim care in the API, for the zorgcoördinator: the victims list (pseudonyms) and one victim's trajectory.

Registered on the router in meldroute.api.urls, under /api/v1/. Not visible → structured 404.
"""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from meldroute.core.api import UuidLookupMixin, uuid_path_parameter

from . import selectors
from .models import CareTrajectory, PermitEvent, Placement, ReflectionPeriod


class VictimRowSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="person.uuid")
    pseudonym = serializers.CharField(source="person.pseudonym")
    case = serializers.CharField(source="person.case.reference")
    is_minor = serializers.SerializerMethodField(help_text="Leeg voor een slachtoffer dat niet met u gedeeld is.")
    placement = serializers.CharField(source="placement.kind", default=None)
    reflection_deadline = serializers.DateField(source="period.deadline", default=None)
    reflection_expired = serializers.BooleanField(source="expired")
    reflection_ending_soon = serializers.BooleanField(source="ending_soon")

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_is_minor(self, row) -> bool | None:
        # Of a victim not shared with the zorgcoördinator no attribute at all, not even the minor flag.
        person = row["person"]
        return person.is_minor if person.attributes_visible else None


class PlacementSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)

    class Meta:
        model = Placement
        fields = ["id", "kind", "provider", "started_on", "ended_on"]


class ReflectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReflectionPeriod
        fields = ["kind", "granted_on", "starts_on", "deadline", "rule"]


class PermitEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = PermitEvent
        fields = ["kind", "occurred_on", "note"]


class TrajectorySerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    responsible_municipality = serializers.CharField(source="responsible_municipality.code", default=None)
    placements = PlacementSerializer(many=True, read_only=True)
    reflection_period = ReflectionSerializer(read_only=True, default=None)
    permit_events = PermitEventSerializer(many=True, read_only=True)

    class Meta:
        model = CareTrajectory
        fields = ["id", "started_on", "ended_on", "residence_status", "aangifte_made", "aangifte_on",
                  "responsible_municipality", "responsible_override_reason", "placements", "reflection_period",
                  "permit_events"]


# No docstrings on these viewsets: the schema takes a viewset's docstring as the description of its operations.
class CareViewSet(viewsets.ViewSet):
    @extend_schema(responses=VictimRowSerializer(many=True), summary="Slachtoffers van de zorgcoördinator")
    @action(detail=False, methods=["get"], url_path="victims", url_name="victims")
    def victims(self, request):
        rows = selectors.victims_for(request.user, timezone.localdate())
        return Response(VictimRowSerializer(rows, many=True).data)


@extend_schema(parameters=[uuid_path_parameter("person_uuid")])
class PersonCareViewSet(UuidLookupMixin, viewsets.ViewSet):
    lookup_url_kwarg = "person_uuid"

    @extend_schema(responses=TrajectorySerializer, summary="Zorgtraject van één slachtoffer")
    @action(detail=True, methods=["get"], url_path="care", url_name="care")
    def care(self, request, person_uuid):
        care = selectors.get_care_for(request.user, person_uuid, purpose="zorgtraject inzien (API)")
        if care.trajectory is None:
            return Response({"person": str(care.person_access.person.uuid), "trajectory": None})
        return Response({"person": str(care.person_access.person.uuid),
                         "trajectory": TrajectorySerializer(care.trajectory).data})
