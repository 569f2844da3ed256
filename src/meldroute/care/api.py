"""Victim care in the API, for the zorgcoördinator: the victims list (pseudonyms) and one victim's trajectory.

Mounted under /api/v1/ by meldroute.api.urls. Not visible → structured 404.
"""

from django.urls import path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

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


class VictimsView(APIView):
    @extend_schema(responses=VictimRowSerializer(many=True), summary="Slachtoffers van de zorgcoördinator")
    def get(self, request):
        rows = selectors.victims_for(request.user, timezone.localdate())
        return Response(VictimRowSerializer(rows, many=True).data)


class TrajectoryView(APIView):
    @extend_schema(responses=TrajectorySerializer, summary="Zorgtraject van één slachtoffer")
    def get(self, request, person_uuid):
        care = selectors.get_care_for(request.user, person_uuid, purpose="zorgtraject inzien (API)")
        if care.trajectory is None:
            return Response({"person": str(care.person_access.person.uuid), "trajectory": None})
        return Response({"person": str(care.person_access.person.uuid),
                         "trajectory": TrajectorySerializer(care.trajectory).data})


urlpatterns = [
    path("care/victims/", VictimsView.as_view(), name="care-victims"),
    path("persons/<uuid:person_uuid>/care/", TrajectoryView.as_view(), name="person-care"),
]
