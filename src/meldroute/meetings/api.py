"""Meetings in the API: the participant's meetings, an agenda with only the fields the sharing rules give the
participant's organisation (a case item: its header and plan counts only), and the chair's decision per item.
Registered by meldroute.api.urls; errors take the project's structured shape."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from meldroute.organisations.models import Organisation
from meldroute.partners.constants import PartnerType
from meldroute.routing.constants import Decision

from . import selectors, services
from .models import Meeting


class MeetingListSerializer(serializers.ModelSerializer):
    """The list shows no personal data."""

    id = serializers.UUIDField(source="uuid", read_only=True)
    series = serializers.CharField(source="series.name", read_only=True)
    kind = serializers.CharField(source="series.kind", read_only=True)
    municipality = serializers.CharField(source="series.municipality.code", read_only=True, default=None)
    chair = serializers.CharField(source="series.chair_organisation.code", read_only=True)

    class Meta:
        model = Meeting
        fields = ["id", "series", "kind", "municipality", "chair", "date", "status"]
        read_only_fields = fields


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Decision.choices,
                                       error_messages={"invalid_choice": "Onbekend besluit: {input}.",
                                                       "required": "Kies een besluit."})
    owner_organisation = serializers.SlugRelatedField(
        slug_field="code", queryset=Organisation.objects.all(), required=False, allow_null=True,
        help_text="Code van de organisatie die de actie uitvoert.",
        error_messages={"does_not_exist": "Onbekende organisatie: {value}."})
    action = serializers.CharField(max_length=2_000, required=False, allow_blank=True, default="")
    deadline = serializers.DateField(required=False, allow_null=True, default=None)
    refer_to = serializers.ChoiceField(choices=PartnerType.choices, required=False, allow_blank=True, default="",
                                       error_messages={"invalid_choice": "Onbekende ketenpartner: {input}."})
    shelter = serializers.BooleanField(required=False, default=False,
                                       help_text="Opvang nodig (screeningsoverleg, acute situatie of casus).")


def _shared(shared: selectors.SharedSignal) -> dict:
    """Only the categories this participant's organisation may see (selectors.AgendaSharing) appear as keys; the
    rest is absent, not empty. The minimal set (reference, municipality, forms, question) is always there."""
    data = {"reference": shared.reference, "municipality": shared.municipality, "received_at": shared.received_at,
            "status": shared.status, "is_acute": shared.is_acute, "forms": shared.forms,
            "question": shared.question, "is_whole": shared.is_whole, "categories": sorted(shared.categories)}
    for key in ("classification", "description", "location", "persons", "enrichment"):
        if key in shared.categories:
            data[key] = getattr(shared, key)
    return data


def _case(shared: selectors.SharedCase) -> dict:
    return {"id": shared.uuid, "reference": shared.reference, "title": shared.title, "status": shared.status,
            "is_complex": shared.is_complex, "open_actions": shared.open_actions,
            "overdue_actions": shared.overdue_actions}


def _item(entry: selectors.AgendaEntry) -> dict:
    """A signal item has `signal` and `case: null`; a case item the reverse."""
    item = entry.item
    return {
        "id": str(item.uuid), "position": item.position, "kind": "case" if entry.case else "signal",
        "signal": _shared(entry.signal) if entry.signal else None,
        "case": _case(entry.case) if entry.case else None,
        "decision": item.decision or None, "refer_to": item.refer_to or None,
        "owner_organisation": item.owner_organisation.code if item.owner_organisation else None,
        "action": item.action, "deadline": item.deadline, "decided_at": item.decided_at,
        "shelter": item.shelter,
        "moved_to_meeting": str(item.moved_to.meeting.uuid) if item.moved_to is not None else None,
        "move_reason": item.move_reason or None,
    }


def _meeting(request, meeting: Meeting) -> dict:
    data = dict(MeetingListSerializer(meeting).data)
    data["participants"] = [o.code for o in selectors.participants_of(meeting.series)]
    data["shared_categories"] = sorted(meeting.series.categories)  # the table's agreement
    # What the user's organisation gets of another municipality's signal here (each item says what it carries).
    data["your_categories"] = sorted(selectors.AgendaSharing(request.user, meeting.series).default_categories)
    data["is_chair"] = selectors.is_chair(request.user, meeting.series)
    data["is_guest"] = not selectors.is_standing(request.user, meeting.series)  # sees only its invited items
    data["present"] = [o.code for o in meeting.present_organisations.order_by("name")]
    data["items"] = [_item(entry) for entry in selectors.agenda_for(request.user, meeting)]
    return data


class MeetingViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = MeetingListSerializer
    lookup_field = "uuid"
    lookup_url_kwarg = "id"
    lookup_value_regex = "[0-9a-fA-F-]{36}"

    def get_queryset(self):
        return (selectors.meetings_visible_to(self.request.user)
                .select_related("series", "series__municipality", "series__chair_organisation")
                .order_by("-date", "-id"))

    @extend_schema(responses={200: dict})
    def retrieve(self, request, *args, **kwargs):
        meeting = selectors.get_meeting_for(request.user, kwargs["id"])
        if selectors.is_chair(request.user, meeting.series) and meeting.is_planned:
            services.compile_agenda(meeting, actor=request.user)  # as on the page: the agenda compiles itself
        return Response(_meeting(request, meeting))

    @extend_schema(request=DecisionSerializer, responses={200: dict})
    @action(detail=True, methods=["post"], url_path=r"items/(?P<item_id>[0-9a-fA-F-]{36})/decision")
    def decision(self, request, id=None, item_id=None):
        meeting = selectors.get_meeting_for(request.user, id)
        if not selectors.is_standing(request.user, meeting.series):
            raise Http404  # a guest of one item decides nothing (and learns of no other item)
        item = meeting.items.select_related("signal", "case", "meeting__series").filter(uuid=item_id).first()
        if item is None:
            raise Http404
        serializer = DecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.decide_item(item, actor=request.user, decision=data["decision"],
                             owner_organisation=data.get("owner_organisation"), action=data["action"],
                             deadline=data["deadline"], refer_to=data["refer_to"], shelter=data["shelter"])
        meeting.refresh_from_db()
        return Response(_meeting(request, meeting))
