"""The partner API on signals: submit a signal, list and read back the signals one's organisation submitted.

Registered on the router in meldroute.api.urls (/api/v1/signals/); errors take the structured shape of
meldroute.api.exceptions.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from meldroute.accounts.constants import Role
from meldroute.core.api import error_body
from meldroute.organisations.models import Organisation

from . import selectors, services
from .forms import clean_kvk_number, clean_observed_on, clean_postcode
from .models import Feedback, Indicator, Signal


def _django_validator(fn):
    def validate(value):
        try:
            return fn(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error
    return validate


class SignalCreateSerializer(serializers.Serializer):
    municipality = serializers.SlugRelatedField(
        slug_field="code", queryset=Organisation.objects.municipalities(),
        help_text="CBS-gemeentecode, bijvoorbeeld GM9901.",
        error_messages={"does_not_exist": _("Onbekende gemeentecode: {value}."),
                        "invalid": _("Geef een gemeentecode.")})
    is_acute = serializers.BooleanField(help_text="Acuut (hard) signaal: direct gevaar.")
    description = serializers.CharField(max_length=10_000, help_text="Wat is er gezien of gehoord.")
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    postcode = serializers.CharField(max_length=7, required=False, allow_blank=True)
    business_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    kvk_number = serializers.CharField(max_length=12, required=False, allow_blank=True)
    location_description = serializers.CharField(max_length=300, required=False, allow_blank=True)
    observed_on = serializers.DateField(required=False, allow_null=True)
    observed_time = serializers.CharField(max_length=100, required=False, allow_blank=True)
    persons_description = serializers.CharField(max_length=5_000, required=False, allow_blank=True)
    external_reference = serializers.CharField(max_length=64, required=False, allow_blank=True,
                                               help_text="Het eigen kenmerk van de ketenpartner.")
    indicators = serializers.SlugRelatedField(  # type: ignore[var-annotated]
        slug_field="code", many=True, required=False, queryset=Indicator.objects.filter(is_active=True),
        error_messages={"does_not_exist": _("Onbekende indicator: {value}.")})

    def validate_postcode(self, value):
        return _django_validator(clean_postcode)(value)

    def validate_kvk_number(self, value):
        return _django_validator(clean_kvk_number)(value)

    def validate_observed_on(self, value):
        return _django_validator(clean_observed_on)(value)


class FeedbackSerializer(serializers.ModelSerializer):
    class Meta:
        model = Feedback
        fields = ["text", "created_at"]


class SignalSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    municipality = serializers.CharField(source="municipality.code", read_only=True)
    status_label = serializers.CharField(source="reporter_status_label", read_only=True)
    indicators = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)  # type: ignore[var-annotated]
    feedback = FeedbackSerializer(many=True, read_only=True)

    class Meta:
        model = Signal
        fields = ["id", "reference", "external_reference", "municipality", "status", "status_label", "is_acute",
                  "received_at", "description", "address", "postcode", "business_name", "kvk_number",
                  "location_description", "observed_on", "observed_time", "persons_description", "indicators",
                  "feedback"]
        read_only_fields = fields


class SignalListSerializer(serializers.ModelSerializer):
    """The list shows no personal data; the detail read is access-logged."""

    id = serializers.UUIDField(source="uuid", read_only=True)
    status_label = serializers.CharField(source="reporter_status_label", read_only=True)

    class Meta:
        model = Signal
        fields = ["id", "reference", "external_reference", "status", "status_label", "is_acute", "received_at"]
        read_only_fields = fields


# 409: the partner's reference was used before for a signal with other content (the structured error shape of
# core.api.error_body, plus the first signal's reference and id).
DUPLICATE_REFERENCE_RESPONSE = OpenApiResponse(
    description="Het kenmerk is eerder gebruikt voor een signaal met andere inhoud.",
    response={"type": "object", "properties": {
        "status": {"type": "integer"}, "code": {"type": "string", "enum": ["duplicate_reference"]},
        "detail": {"type": "string"}, "errors": {"type": "object"},
        "reference": {"type": "string", "description": "Ontvangstcode van het eerste signaal met dit kenmerk."},
        "id": {"type": "string", "format": "uuid"}}},
)


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

    @extend_schema(
        request=SignalCreateSerializer,
        responses={201: SignalSerializer, 200: SignalSerializer, 409: DUPLICATE_REFERENCE_RESPONSE},
        description=(
            "Idempotent per organisatie en `external_reference`: een herhaalde aanvraag met hetzelfde kenmerk en "
            "dezelfde inhoud (bijvoorbeeld na een time-out) geeft het eerder ontvangen signaal terug met status 200 "
            "en slaat niets opnieuw op. Hetzelfde kenmerk met andere inhoud geeft 409 (`duplicate_reference`) met "
            "de ontvangstcode van het eerste signaal."),
    )
    def create(self, request, *args, **kwargs):
        if not request.user.has_role(Role.PARTNER):
            raise PermissionDenied
        serializer = SignalCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        try:
            signal, created = services.submit_partner_signal(
                actor=request.user, municipality=data.pop("municipality"), is_acute=data.pop("is_acute"),
                indicators=data.pop("indicators", []), data=data)
        except services.DuplicateExternalReference as duplicate:
            body = error_body(status.HTTP_409_CONFLICT, "duplicate_reference", str(duplicate.message),
                              {"external_reference": [str(duplicate.message)]})
            body.update(reference=duplicate.existing.reference, id=str(duplicate.existing.uuid))
            return Response(body, status=status.HTTP_409_CONFLICT)
        purpose = "ontvangstbevestiging via API" if created else "herhaalde aanlevering via API"
        signal = selectors.get_signal_for(request.user, signal.uuid, purpose=purpose)
        return Response(SignalSerializer(signal).data,
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)
