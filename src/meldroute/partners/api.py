"""The wegwijzer through the API: read-only, no personal data, for every authenticated user."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from .models import DirectoryEntry
from .selectors import describe_rules, directory_for


class DirectoryEntrySerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    national = serializers.SerializerMethodField()
    sharing_rule = serializers.SerializerMethodField()

    class Meta:
        model = DirectoryEntry
        fields = ["id", "name", "partner_type", "description", "contact_route", "email", "phone", "website",
                  "forms", "national", "sharing_rule"]

    def get_national(self, entry) -> bool:
        return entry.region_id is None

    def get_sharing_rule(self, entry) -> dict[str, list[str]]:
        region = self.context.get("region")
        return {line.category: list(line.grounds) for line in describe_rules(region, entry.partner_type)}


class DirectoryViewSet(viewsets.GenericViewSet):
    serializer_class = DirectoryEntrySerializer
    pagination_class = None

    def get_queryset(self):
        return DirectoryEntry.objects.none()  # the schema needs a model; the list below is scoped by region

    @extend_schema(responses={200: DirectoryEntrySerializer(many=True)})
    def list(self, request):
        user = request.user
        region = user.organisation.region_id if user.organisation_id else None
        entries = directory_for(user, form=request.query_params.get("vorm", ""))
        return Response(DirectoryEntrySerializer(entries, many=True, context={"region": region}).data)
