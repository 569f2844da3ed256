"""Input and output shapes of the partner API."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from meldroute.intake.forms import clean_kvk_number, clean_observed_on, clean_postcode
from meldroute.intake.models import Feedback, Indicator, Signal
from meldroute.organisations.models import Organisation


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
