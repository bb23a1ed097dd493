"""/api/v1/escalations/: list and read (scoped like the board plus the user's own tickets),
escalate (POST), and the handler actions accept/resolve/return (POST). Same services and
permission rules as the pages."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from csops import permissions
from csops.api_schema import error_responses, path_pk
from csops.bounds import column_bounds
from staffing.models import Team
from tickets.api.views import Pagination
from tickets.filters_escalations import EscalationFilter
from tickets.models import Escalation, EscalationCategory, EscalationTarget, Ticket
from tickets.services import escalations as services


class EscalationSerializer(serializers.ModelSerializer):
    owner = serializers.SlugRelatedField(slug_field="username", read_only=True)
    raised_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Escalation
        fields = [
            "id",
            "ticket",
            "from_team",
            "to_team",
            "to_tier",
            "target",
            "state",
            "category",
            "reason",
            "guidance",
            "raised_by",
            "owner",
            "rule",
            "created_at",
            "accepted_at",
            "resolved_at",
            "returned_at",
        ]
        read_only_fields = fields


@column_bounds(Ticket)
class EscalateInput(serializers.Serializer):
    ticket = serializers.IntegerField(min_value=1)
    target = serializers.ChoiceField(choices=EscalationTarget.choices)
    to_team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.all(), required=False, allow_null=True
    )
    category = serializers.ChoiceField(choices=EscalationCategory.choices)
    reason = serializers.CharField()
    version = serializers.IntegerField(min_value=1, required=False)


class GuidanceInput(serializers.Serializer):
    guidance = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema_view(
    list=extend_schema(
        responses={200: EscalationSerializer(many=True), **error_responses(400, 403)}
    ),
    retrieve=extend_schema(responses={200: EscalationSerializer, **error_responses(403, 404)}),
)
class EscalationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = EscalationSerializer
    filterset_class = EscalationFilter
    pagination_class = Pagination
    lookup_value_regex = "[^/]+"

    def get_queryset(self) -> QuerySet[Escalation]:
        qs = Escalation.objects.select_related("owner", "raised_by").order_by("created_at", "pk")
        return permissions.scope_escalations(self.request.user, qs)

    def retrieve(self, request: Request, pk: str) -> Response:
        escalation = permissions.access_escalation(request.user, path_pk(pk, "Escalation"))
        return Response(EscalationSerializer(escalation).data)

    @extend_schema(
        request=EscalateInput,
        responses={201: EscalationSerializer, **error_responses(400, 403, 404, 409, 422)},
    )
    def create(self, request: Request) -> Response:
        serializer = EscalateInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        escalation = services.escalate(
            data["ticket"],
            by=request.user,
            target=data["target"],
            to_team=data.get("to_team"),
            category=data["category"],
            reason=data["reason"],
            expected_version=data.get("version"),
        )
        return Response(EscalationSerializer(escalation).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None, responses={200: EscalationSerializer, **error_responses(403, 404, 422)}
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str) -> Response:
        return Response(
            EscalationSerializer(services.accept(path_pk(pk, "Escalation"), by=request.user)).data
        )

    @extend_schema(
        request=GuidanceInput,
        responses={200: EscalationSerializer, **error_responses(400, 403, 404, 422)},
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk: str) -> Response:
        serializer = GuidanceInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        escalation = services.resolve(
            path_pk(pk, "Escalation"),
            by=request.user,
            guidance=serializer.validated_data["guidance"],
        )
        return Response(EscalationSerializer(escalation).data)

    @extend_schema(
        request=GuidanceInput,
        responses={200: EscalationSerializer, **error_responses(400, 403, 404, 422)},
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_to_rep(self, request: Request, pk: str) -> Response:
        serializer = GuidanceInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        escalation = services.return_to_rep(
            path_pk(pk, "Escalation"),
            by=request.user,
            guidance=serializer.validated_data["guidance"],
        )
        return Response(EscalationSerializer(escalation).data)
