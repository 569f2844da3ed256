"""Persons in the API: a case's persons (pseudonyms only) and one person (identity for those allowed, logged).

Registered on the router in meldroute.api.urls, under /api/v1/. Not visible → structured 404, like the pages.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from meldroute.cases import selectors as case_selectors
from meldroute.core.api import UuidLookupMixin, uuid_path_parameter

from . import selectors
from .models import Person
from .permissions import PersonAccess


class PersonListSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)

    class Meta:
        model = Person
        fields = ["id", "pseudonym", "role", "victim_status", "is_minor", "is_unaccompanied_minor_foreigner",
                  "restricted_at"]  # AVG art. 18: a restriction shows wherever the person is shown


class PersonSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    case = serializers.CharField(source="case.reference", read_only=True)

    class Meta:
        model = Person
        fields = ["id", "pseudonym", "case", "role", "victim_status", "status_decided_by", "status_decided_on",
                  "gender", "age_band", "minor_at_exploitation", "is_minor", "citizenship",
                  "is_unaccompanied_minor_foreigner", "exploitation_forms", "sex_sector", "labour_sector",
                  "means_of_control", "recruiter_relation", "place_of_recruitment", "place_of_exploitation",
                  "restricted_at"]


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


# No docstrings on these viewsets: the schema takes a viewset's docstring as the description of its operations.
@extend_schema(parameters=[uuid_path_parameter("case_uuid")])
class CasePersonsViewSet(UuidLookupMixin, viewsets.ViewSet):
    lookup_url_kwarg = "case_uuid"

    @extend_schema(responses=PersonListSerializer(many=True), summary="Personen op een casus (pseudoniemen)")
    @action(detail=True, methods=["get"], url_path="persons", url_name="persons")
    def persons(self, request, case_uuid):
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


class IdentityRequestSerializer(serializers.Serializer):
    purpose = serializers.CharField(max_length=150, help_text="Waarvoor u de identiteit nodig hebt (doelbinding).")


@extend_schema(parameters=[uuid_path_parameter("person_uuid")])
class PersonViewSet(UuidLookupMixin, viewsets.ViewSet):
    lookup_url_kwarg = "person_uuid"

    @extend_schema(responses=PersonDetailSerializer,
                   summary="Eén persoon, zonder identiteit (die vraagt u op met een doel: POST …/identity/)")
    def retrieve(self, request, person_uuid):
        return Response(_person_data(selectors.get_person_for(request.user, person_uuid,
                                                              purpose="persoon inzien (API)")))

    @extend_schema(request=IdentityRequestSerializer, responses=PersonDetailSerializer,
                   summary="De identiteit van één persoon, met een doel; op toestemming of vastgelegde grondslag")
    @action(detail=True, methods=["post"], url_path="identity", url_name="identity")
    def identity(self, request, person_uuid):
        body = IdentityRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        access = selectors.get_person_for(request.user, person_uuid, purpose="persoon inzien (API)",
                                          identity_purpose=body.validated_data["purpose"])
        response = Response(_person_data(access))
        response["Cache-Control"] = "no-store"
        return response
