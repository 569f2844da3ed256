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
from .permissions import PersonAccess


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


# Attributes of a person (beyond pseudonym and role) a zorgcoördinator does not see of a victim not shared with them.
ATTRIBUTE_KEYS = ("victim_status", "status_decided_by", "status_decided_on", "gender", "age_band",
                  "minor_at_exploitation", "is_minor", "citizenship", "is_unaccompanied_minor_foreigner",
                  "exploitation_forms", "sex_sector", "labour_sector", "means_of_control", "recruiter_relation",
                  "place_of_recruitment", "place_of_exploitation")


class CasePersonsView(APIView):
    @extend_schema(responses=PersonListSerializer(many=True), summary="Personen op een casus (pseudoniemen)")
    def get(self, request, case_uuid):
        case = case_selectors.get_case_for(request.user, case_uuid, purpose="personen op casus (API)")
        rows = []
        for person in selectors.persons_of_case(request.user, case):
            row = PersonListSerializer(person).data
            if not person.attributes_visible:
                for key in ATTRIBUTE_KEYS:
                    row.pop(key, None)
            rows.append(row)
        return Response(rows)


def _person_data(access: PersonAccess) -> dict:
    data = PersonDetailSerializer(access.person).data
    if not access.identity:
        data["identity"] = None
    data["identity_ground"] = access.ground.label if access.ground else None
    if not access.attributes:
        for key in ATTRIBUTE_KEYS:
            data.pop(key, None)
    elif not access.full:
        # The zorgcoördinator's part: no exploitation details beyond what care needs.
        for key in ("status_decided_by", "means_of_control", "recruiter_relation", "place_of_recruitment",
                    "place_of_exploitation", "sex_sector", "labour_sector"):
            data.pop(key, None)
    return data


class PersonView(APIView):
    @extend_schema(responses=PersonDetailSerializer,
                   summary="Eén persoon, zonder identiteit (die vraagt u op met een doel: POST …/identity/)")
    def get(self, request, person_uuid):
        return Response(_person_data(selectors.get_person_for(request.user, person_uuid,
                                                              purpose="persoon inzien (API)")))


class IdentityRequestSerializer(serializers.Serializer):
    purpose = serializers.CharField(max_length=150, help_text="Waarvoor u de identiteit nodig hebt (doelbinding).")


class PersonIdentityView(APIView):
    @extend_schema(request=IdentityRequestSerializer, responses=PersonDetailSerializer,
                   summary="De identiteit van één persoon, met een doel; op toestemming of vastgelegde grondslag")
    def post(self, request, person_uuid):
        body = IdentityRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        access = selectors.get_person_for(request.user, person_uuid, purpose="persoon inzien (API)",
                                          identity_purpose=body.validated_data["purpose"])
        response = Response(_person_data(access))
        response["Cache-Control"] = "no-store"
        return response


urlpatterns = [
    path("cases/<uuid:case_uuid>/persons/", CasePersonsView.as_view(), name="case-persons"),
    path("persons/<uuid:person_uuid>/", PersonView.as_view(), name="person-detail"),
    path("persons/<uuid:person_uuid>/identity/", PersonIdentityView.as_view(), name="person-identity"),
]
