"""Cases in the API: the visible cases (no personal data in the list), one case, its status and its plan van aanpak.
Registered by meldroute.api.urls; errors take the project's structured shape."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from meldroute.accounts.models import User
from meldroute.organisations.models import Organisation

from . import selectors, services
from .constants import CaseResult, CaseStatus
from .models import Case, CaseAction
from .permissions import CaseAccess

DATE_ERRORS: dict = {"invalid": "Vul een geldige datum in, bijvoorbeeld 2026-03-31.", "required": "Vul een datum in."}


class CaseListSerializer(serializers.ModelSerializer):
    """The list shows no personal data: code, working title (without names), status, deadlines."""

    id = serializers.UUIDField(source="uuid", read_only=True)
    municipality = serializers.CharField(source="municipality.code", read_only=True)
    next_deadline = serializers.DateField(read_only=True, allow_null=True)
    overdue_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Case
        fields = ["id", "reference", "title", "municipality", "status", "is_complex", "created_at", "next_deadline",
                  "overdue_count"]
        read_only_fields = fields


class ActionSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    owner = serializers.CharField(source="owner_label", read_only=True)

    class Meta:
        model = CaseAction
        fields = ["id", "description", "owner", "deadline", "status", "done_at", "created_at"]
        read_only_fields = fields


class ActionCreateSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=2_000, error_messages={"blank": "Beschrijf de actie.",
                                                                          "required": "Beschrijf de actie."})
    deadline = serializers.DateField(error_messages=DATE_ERRORS)
    owner_user = serializers.SlugRelatedField(slug_field="uuid", queryset=User.objects.filter(is_active=True),
                                              required=False, allow_null=True, default=None,
                                              error_messages={"does_not_exist": "Onbekende persoon.",
                                                              "invalid": "Onbekende persoon."})
    owner_organisation = serializers.SlugRelatedField(
        slug_field="code", queryset=Organisation.objects.all(), required=False, allow_null=True, default=None,
        error_messages={"does_not_exist": "Onbekende organisatie: {value}."})


class StatusSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=CaseStatus.choices,
                                        error_messages={"invalid_choice": "Onbekende status: {input}.",
                                                        "required": "Kies een status."})
    result = serializers.ChoiceField(choices=CaseResult.choices, required=False, allow_blank=True, default="",
                                     error_messages={"invalid_choice": "Onbekend resultaat: {input}."})
    text = serializers.CharField(max_length=2_000, required=False, allow_blank=True, default="")


def _case(access: CaseAccess) -> dict:
    case = access.case
    data = {"id": str(case.uuid), "reference": case.reference, "title": case.title,
            "municipality": case.municipality.code, "zvh": case.zvh.code if case.zvh else None,
            "status": case.status, "is_complex": case.is_complex, "complexity_criteria": case.complexity_criteria,
            "result": case.result or None, "created_at": case.created_at, "closed_at": case.closed_at,
            "team": [{"role": m.role, "name": m.user.get_full_name() or m.user.username,
                      "organisation": m.user.organisation.code if m.user.organisation else None}
                     for m in selectors.team_of(case)]}
    if access.sees_whole:
        data["result_text"] = case.result_text
        data["signals"] = [s.reference for s in selectors.signals_of(case)]
        data["actions"] = ActionSerializer(selectors.actions_of(case), many=True).data
        data["interventions"] = [{"id": str(i.uuid), "kind": i.kind, "decided_on": i.decided_on,
                                  "legal_basis": i.legal_basis, "result": i.result}
                                 for i in selectors.interventions_of(case)]
    return data


class CaseViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = CaseListSerializer
    lookup_field = "uuid"
    lookup_url_kwarg = "id"
    lookup_value_regex = "[0-9a-fA-F-]{36}"

    def get_queryset(self):
        return selectors.case_list_for(self.request.user, self.request.query_params.get("weergave", "all"))

    @extend_schema(responses={200: dict})
    def retrieve(self, request, *args, **kwargs):
        return Response(_case(selectors.get_case_access_for(request.user, kwargs["id"],
                                                            purpose="casus inzien via API")))

    @extend_schema(request=StatusSerializer, responses={200: dict})
    @action(detail=True, methods=["post"], url_path="status")
    def change_status(self, request, id=None):
        access = selectors.get_case_access_for(request.user, id, purpose="casus bijwerken via API")
        serializer = StatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.change_case_status(access.case, actor=request.user, **serializer.validated_data)
        return Response(_case(access))

    @extend_schema(request=ActionCreateSerializer, responses={200: ActionSerializer(many=True),
                                                              201: ActionSerializer})
    @action(detail=True, methods=["get", "post"], url_path="actions")
    def actions(self, request, id=None):
        access = selectors.get_case_access_for(request.user, id, purpose="plan van aanpak via API")
        case = access.case
        if not access.sees_whole:
            raise Http404  # a care-only zorgcoördinator does not see the plan
        if request.method == "GET":
            return Response(ActionSerializer(selectors.actions_of(case), many=True).data)
        serializer = ActionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        created = services.add_action(case, actor=request.user, **serializer.validated_data)
        return Response(ActionSerializer(created).data, status=status.HTTP_201_CREATED)
