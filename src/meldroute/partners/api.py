"""The wegwijzer through the API: read-only, no personal data, for every authenticated user."""

from typing import TYPE_CHECKING, cast

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from meldroute.accounts.models import User

from .models import DirectoryEntry
from .selectors import describe_rules, directory_for

if TYPE_CHECKING:  # the stubs' serializers and viewsets are generic over their model; DRF's are not subscriptable
    _EntrySerializer = serializers.ModelSerializer[DirectoryEntry]
    _EntryViewSet = viewsets.GenericViewSet[DirectoryEntry]
else:
    _EntrySerializer, _EntryViewSet = serializers.ModelSerializer, viewsets.GenericViewSet


class DirectoryEntrySerializer(_EntrySerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    national = serializers.SerializerMethodField()
    sharing_rule = serializers.SerializerMethodField()

    class Meta:
        model = DirectoryEntry
        fields = ["id", "name", "partner_type", "description", "contact_route", "email", "phone", "website",
                  "forms", "national", "sharing_rule"]

    def get_national(self, entry: DirectoryEntry) -> bool:
        return entry.region_id is None

    def get_sharing_rule(self, entry: DirectoryEntry) -> dict[str, list[str]]:
        region = self.context.get("region")
        return {line.category: list(line.grounds) for line in describe_rules(region, entry.partner_type)}


class DirectoryViewSet(_EntryViewSet):
    serializer_class = DirectoryEntrySerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[DirectoryEntry]:
        return DirectoryEntry.objects.none()  # the schema needs a model; the list below is scoped by region

    @extend_schema(responses={200: DirectoryEntrySerializer(many=True)})
    def list(self, request: Request) -> Response:
        user = cast(User, request.user)  # the API's default permission: IsAuthenticated
        organisation = user.organisation
        region = organisation.region_id if organisation is not None else None
        entries = directory_for(user, form=request.query_params.get("vorm", ""))
        return Response(DirectoryEntrySerializer(entries, many=True, context={"region": region}).data)
