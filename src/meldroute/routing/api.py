"""The region's meldroute through the API: read its versions, export YAML, propose a new route or a preset.

Beheerder only, own region; anyone else gets the structured 404 (never 403: others must not learn what exists).
A posted route or preset becomes the region's open draft (202), exactly as on the beheerder's pages: it is put in
use only when a second beheerder or the ketenregisseur publishes it (`POST drafts/<id>/publish/` or the web page),
so a token cannot skip the second person (routing.drafts).
"""

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ParseError
from rest_framework.response import Response

from meldroute.accounts.permissions import managed_region
from meldroute.core.exceptions import DomainError
from meldroute.core.parsers import JSONParser

from . import admin_selectors as selectors
from .constants import StepAction, StepActor
from .drafts import may_decide, publish_draft, save_draft
from .models import RouteDefinition, RouteDraft
from .presets import PRESETS, load_preset
from .services import route_as_data
from .yaml_io import MAX_YAML_BYTES, export_filename, export_route


class RouteJSONParser(JSONParser):
    """With the route's size limit: a too-large body is a 400 before it is read."""

    def parse(self, stream, media_type=None, parser_context=None):
        request = (parser_context or {}).get("request")
        length = request.META.get("CONTENT_LENGTH") if request is not None else None
        if length and str(length).isdigit() and int(length) > MAX_YAML_BYTES:
            raise ParseError(_("De meldroute is groter dan 200 kB."))
        return super().parse(stream, media_type, parser_context)


class RouteStepSerializer(serializers.Serializer):
    """Documentation of one step; the input itself is checked by routing.services.validate_route_data."""

    key = serializers.SlugField(max_length=64)
    position = serializers.IntegerField(min_value=1)
    number = serializers.CharField(required=False)
    title = serializers.CharField()
    description = serializers.CharField(required=False)
    actor = serializers.ChoiceField(choices=StepActor.choices)
    action = serializers.ChoiceField(choices=StepAction.choices)
    target = serializers.CharField(required=False, help_text="PartnerType bij inform/refer, MeetingKind bij meeting.")
    when = serializers.DictField(required=False, help_text="{kenmerk: waarde of [waarden]}; not_kenmerk sluit uit.")
    deadline = serializers.DictField(child=serializers.IntegerField(min_value=1), required=False,
                                     help_text="{hours: n} of {working_days: n}")


class RouteDataSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    preset = serializers.CharField(required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    source = serializers.CharField(required=False, allow_blank=True)  # type: ignore[assignment]
    steps = RouteStepSerializer(many=True)


class RouteVersionSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    region = serializers.CharField(source="region.slug", read_only=True)
    steps = serializers.SerializerMethodField()
    signals = serializers.SerializerMethodField()
    signals_open = serializers.SerializerMethodField()

    class Meta:
        model = RouteDefinition
        fields = ["id", "region", "name", "version", "is_active", "preset", "source", "created_at", "steps",
                  "signals", "signals_open"]

    def get_steps(self, definition) -> int:
        return definition.steps.count()

    def _count(self, definition):
        return self.context.get("counts", {}).get(definition.id, selectors.SignalCount())

    def get_signals(self, definition) -> int:
        return self._count(definition).total

    def get_signals_open(self, definition) -> int:
        return self._count(definition).open


class RouteDetailSerializer(serializers.Serializer):
    """Documentation of a version as data: its identity plus exactly what POST /routes/ accepts."""

    id = serializers.UUIDField()
    version = serializers.IntegerField()
    is_active = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    name = serializers.CharField()
    preset = serializers.CharField()
    description = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]
    steps = RouteStepSerializer(many=True)


class PresetSerializer(serializers.Serializer):
    preset = serializers.ChoiceField(choices=list(PRESETS.items()))


class RouteDraftSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    status = serializers.CharField()
    base_version = serializers.IntegerField(help_text="De versie in gebruik toen het concept werd gemaakt.")
    steps = serializers.IntegerField()
    publish = serializers.URLField(help_text="Door een tweede beheerder of de ketenregisseur te POSTen.")


def _draft(draft: RouteDraft, request) -> dict:
    url = request.build_absolute_uri(f"/api/v1/routes/drafts/{draft.uuid}/publish/")
    return {"id": draft.uuid, "status": draft.status, "base_version": draft.base_version,
            "steps": len(draft.data.get("steps", [])), "publish": url}


def _open_draft_for(user, draft_uuid) -> RouteDraft:
    """The draft of a region the user may decide on; anything else is the structured 404."""
    draft = RouteDraft.objects.select_related("region").filter(uuid=draft_uuid).first()
    if draft is None or not may_decide(user, draft.region):
        raise NotFound
    return draft


def _detail(definition: RouteDefinition) -> dict:
    return {"id": definition.uuid, "version": definition.version, "is_active": definition.is_active,
            "created_at": definition.created_at, **route_as_data(definition)}


class RouteViewSet(viewsets.GenericViewSet):
    parser_classes = [RouteJSONParser]
    serializer_class = RouteVersionSerializer
    pagination_class = None
    lookup_field = "uuid"
    lookup_url_kwarg = "id"
    lookup_value_regex = "[0-9a-fA-F-]{36}"

    def get_queryset(self):
        return RouteDefinition.objects.none()  # the schema needs a model; every action below scopes by region

    @extend_schema(responses={200: RouteVersionSerializer(many=True)})
    def list(self, request):
        region = managed_region(request.user)
        versions = list(selectors.route_versions(region).select_related("region"))
        counts = selectors.signal_counts(v.id for v in versions)
        return Response(RouteVersionSerializer(versions, many=True, context={"counts": counts}).data)

    @extend_schema(responses={200: RouteDetailSerializer})
    def retrieve(self, request, id=None):
        region = managed_region(request.user)
        return Response(_detail(selectors.route_version(region, id)))

    @extend_schema(request=RouteDataSerializer, responses={202: RouteDraftSerializer})
    def create(self, request):
        region = managed_region(request.user)
        if not isinstance(request.data, dict):
            raise DomainError(str(_("Een meldroute is een beschrijving met een naam en stappen.")), field="name")
        draft = save_draft(region, request.data, actor=request.user)
        return Response(_draft(draft, request), status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=PresetSerializer, responses={202: RouteDraftSerializer})
    @action(detail=False, methods=["post"], url_path="preset")
    def preset(self, request):
        region = managed_region(request.user)
        slug = request.data.get("preset") if isinstance(request.data, dict) else None
        if not isinstance(slug, str) or slug not in PRESETS:
            raise DomainError(str(_("Kies een van de standaardroutes: %(ok)s.") % {"ok": ", ".join(PRESETS)}),
                              field="preset")
        draft = save_draft(region, {**load_preset(slug), "preset": slug}, actor=request.user)
        return Response(_draft(draft, request), status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses={201: RouteDetailSerializer},
                   parameters=[OpenApiParameter("draft", OpenApiTypes.UUID, OpenApiParameter.PATH)])
    @action(detail=False, methods=["post"], url_path=r"drafts/(?P<draft>[0-9a-fA-F-]{36})/publish")
    def publish(self, request, draft=None):
        """Put the draft in use: a second beheerder of the region or its ketenregisseur, never its maker."""
        open_draft = _open_draft_for(request.user, draft)
        definition = publish_draft(open_draft, actor=request.user)
        definition = RouteDefinition.objects.select_related("region").get(pk=definition.pk)
        return Response(_detail(definition), status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "text/yaml"): OpenApiResponse(OpenApiTypes.STR)})
    @action(detail=True, methods=["get"], url_path="yaml")
    def yaml(self, request, id=None):
        region = managed_region(request.user)
        definition = selectors.route_version(region, id)
        response = HttpResponse(export_route(definition, actor=request.user),
                                content_type="text/yaml; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{export_filename(definition)}"'
        return response
