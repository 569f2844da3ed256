"""Persons in the API: a case's persons (pseudonyms only) and one person (identity for those allowed, logged).

Mounted under /api/v1/ by meldroute.api.urls. Not visible → structured 404, like the pages.
"""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from meldroute.cases import selectors as case_selectors

from . import selectors
from .models import Person


class PersonListSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)

    class Meta:
        model = Person
        fields = ["id", "pseudonym", "role", "victim_status", "is_minor", "is_unaccompanied_minor_foreigner"]


class PersonSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    case = serializers.CharField(source="case.reference", read_only=True)

    class Meta:
        model = Person
        fields = ["id", "pseudonym", "case", "role", "victim_status", "status_decided_by", "status_decided_on",
                  "gender", "age_band", "minor_at_exploitation", "is_minor", "citizenship",
                  "is_unaccompanied_minor_foreigner", "exploitation_forms", "sex_sector", "labour_sector",
                  "means_of_control", "recruiter_relation", "place_of_recruitment", "place_of_exploitation"]


class IdentitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = list(Person.IDENTITY_FIELDS)


class PersonDetailSerializer(PersonSerializer):
    identity = IdentitySerializer(source="*", allow_null=True, read_only=True,
                                  help_text="Alleen voor wie de identiteit mag zien; anders null.")

    class Meta(PersonSerializer.Meta):
        fields = [*PersonSerializer.Meta.fields, "identity"]


class CasePersonsView(APIView):
    @extend_schema(responses=PersonListSerializer(many=True), summary="Personen op een casus (pseudoniemen)")
    def get(self, request, case_uuid):
        case = case_selectors.get_case_for(request.user, case_uuid, purpose="personen op casus (API)")
        return Response(PersonListSerializer(selectors.persons_of_case(request.user, case), many=True).data)


class PersonView(APIView):
    @extend_schema(responses=PersonDetailSerializer, summary="Eén persoon; identiteit alleen als u die mag zien")
    def get(self, request, person_uuid):
        access = selectors.get_person_for(request.user, person_uuid, purpose="persoon inzien (API)")
        data = PersonDetailSerializer(access.person).data
        if not access.identity:
            data["identity"] = None
        if not access.full:
            # The zorgcoördinator's part: no exploitation details beyond what care needs.
            for key in ("status_decided_by", "means_of_control", "recruiter_relation", "place_of_recruitment",
                        "place_of_exploitation", "sex_sector", "labour_sector"):
                data.pop(key, None)
        return Response(data)


urlpatterns = [
    path("cases/<uuid:case_uuid>/persons/", CasePersonsView.as_view(), name="case-persons"),
    path("persons/<uuid:person_uuid>/", PersonView.as_view(), name="person-detail"),
]
