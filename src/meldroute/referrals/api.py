"""Partner API for referrals: list and read those sent to one's organisation, accept, reject, return the outcome."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from . import selectors, services
from .constants import OutcomeKind
from .models import Referral, ReferralMessage


class ReferralListSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    reference = serializers.CharField(source="signal.reference", read_only=True)

    class Meta:
        model = Referral
        fields = ["id", "reference", "status", "created_at", "sender_name", "receiver_name", "receiver_partner_type"]


class MessageSerializer(serializers.ModelSerializer):
    """A question of the receiver or an answer of the sender on the referral."""

    sender = serializers.SerializerMethodField()

    class Meta:
        model = ReferralMessage
        fields = ["sender", "author_label", "text", "created_at"]

    def get_sender(self, message: ReferralMessage) -> str:
        return "receiver" if message.from_receiver else "sender"


class ReferralSerializer(ReferralListSerializer):
    """What the receiver may see: the referral's own facts and the authorised fields it carried. Never the signal."""

    messages = MessageSerializer(many=True, read_only=True)

    class Meta(ReferralListSerializer.Meta):
        fields = [*ReferralListSerializer.Meta.fields, "purpose", "legal_ground", "categories", "shared_data",
                  "reason", "outcome", "outcome_kind", "outcome_handed_to", "messages"]


class RevokedReferralSerializer(ReferralListSerializer):
    """What the receiver reads of a revoked referral (referrals.selectors.receiver_view): that it was revoked, and
    when. Nothing of what went out."""

    revoked_at = serializers.DateTimeField(source="closed_at", read_only=True)

    class Meta(ReferralListSerializer.Meta):
        fields = [*ReferralListSerializer.Meta.fields, "revoked_at"]


def receiver_data(referral: Referral) -> dict:
    """The receiver's representation of a referral, by the one rule of what a receiver may read."""
    if selectors.receiver_view(referral).revoked:
        return RevokedReferralSerializer(referral).data
    return ReferralSerializer(referral).data


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5_000)


class CompleteSerializer(serializers.Serializer):
    outcome_kind = serializers.ChoiceField(choices=OutcomeKind.choices, default=OutcomeKind.OTHER)
    handed_to = serializers.CharField(max_length=160, required=False, allow_blank=True, default="")
    outcome = serializers.CharField(max_length=10_000, required=False, allow_blank=True, default="")


class MessageInSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=5_000)


class ReferralViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Only for partner contacts: everyone else sees an empty list and 404 on every referral."""

    serializer_class = ReferralListSerializer
    lookup_field = "uuid"
    lookup_url_kwarg = "id"
    lookup_value_regex = "[0-9a-fA-F-]{36}"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user, only the model's shape
            return Referral.objects.none()
        return selectors.referrals_received_by(self.request.user)

    def _get(self, request, referral_id, purpose: str) -> Referral:
        return selectors.get_referral_for_receiver(request.user, referral_id, purpose=purpose)

    @extend_schema(responses={200: ReferralSerializer})
    def retrieve(self, request, *args, **kwargs):
        return Response(receiver_data(self._get(request, kwargs["id"], "doorverwijzing inzien via API")))

    @extend_schema(request=None, responses={200: ReferralSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request, id=None):
        referral = self._get(request, id, "doorverwijzing accepteren via API")
        return Response(receiver_data(services.accept_referral(referral, actor=request.user)))

    @extend_schema(request=RejectSerializer, responses={200: ReferralSerializer})
    @action(detail=True, methods=["post"])
    def reject(self, request, id=None):
        referral = self._get(request, id, "doorverwijzing afwijzen via API")
        data = RejectSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        referral = services.reject_referral(referral, actor=request.user, reason=data.validated_data["reason"])
        return Response(receiver_data(referral))

    @extend_schema(request=CompleteSerializer, responses={200: ReferralSerializer})
    @action(detail=True, methods=["post"])
    def complete(self, request, id=None):
        referral = self._get(request, id, "uitkomst doorverwijzing via API")
        data = CompleteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        referral = services.complete_referral(referral, actor=request.user, outcome=values["outcome"],
                                              outcome_kind=values["outcome_kind"], handed_to=values["handed_to"])
        return Response(receiver_data(referral))

    @extend_schema(request=MessageInSerializer, responses={201: ReferralSerializer})
    @action(detail=True, methods=["post"])
    def message(self, request, id=None):
        """Ask the sending municipality a question on this referral."""
        referral = self._get(request, id, "vraag bij doorverwijzing via API")
        data = MessageInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.post_message(referral, actor=request.user, text=data.validated_data["text"])
        return Response(receiver_data(referral), status=201)


