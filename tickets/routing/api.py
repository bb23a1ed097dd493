"""/api/v1/routing-settings/ (managers of the team, directors), /api/v1/availability/ (one's
own status), /api/v1/ticket-routing/{ticket}/ (a ticket's language and required skills,
for whoever may work the ticket). Writes call ``tickets.routing.services``."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from csops import permissions
from csops.api_schema import error_responses, path_pk
from csops.errors import NotFound
from staffing.models import AvailabilityStatus, Skill, Team
from staffing.skills.selectors import availability_of
from tickets.api.views import Pagination
from tickets.routing import services
from tickets.routing.models import (
    MAX_OFF_SHIFT_GRACE_MINUTES,
    MAX_OVERFLOW_MINUTES,
    RoutingMode,
    TicketRouting,
)


class RoutingSettingsSerializer(serializers.Serializer):
    team = serializers.IntegerField(source="team_id")
    team_name = serializers.CharField(source="team.name")
    mode = serializers.ChoiceField(choices=RoutingMode.choices)
    capacity = serializers.IntegerField()
    overflow_team = serializers.IntegerField(source="overflow_team_id", allow_null=True)
    overflow_after_minutes = serializers.IntegerField(allow_null=True)
    off_shift_grace_minutes = serializers.IntegerField(
        help_text="After a member's shift ends, their untouched tickets go back to the pool "
        "after this many minutes."
    )


class RoutingSettingsInput(serializers.Serializer):
    mode = serializers.ChoiceField(choices=RoutingMode.choices, required=False)
    capacity = serializers.IntegerField(min_value=1, max_value=200, required=False)
    overflow_team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.all(), allow_null=True, required=False
    )
    overflow_after_minutes = serializers.IntegerField(
        min_value=1, max_value=MAX_OVERFLOW_MINUTES, allow_null=True, required=False
    )
    off_shift_grace_minutes = serializers.IntegerField(
        min_value=0, max_value=MAX_OFF_SHIFT_GRACE_MINUTES, required=False
    )


@extend_schema_view(
    list=extend_schema(
        responses={200: RoutingSettingsSerializer(many=True), **error_responses(403)}
    ),
)
class RoutingSettingsViewSet(viewsets.GenericViewSet):
    """One row per team in the caller's management scope (teams without settings: manual)."""

    queryset = Team.objects.none()
    serializer_class = RoutingSettingsSerializer
    pagination_class = Pagination
    lookup_value_regex = "[^/]+"

    def get_queryset(self) -> QuerySet[Team]:
        permissions.ensure_can_view_routing(self.request.user)
        scope = permissions.managed_team_scope(self.request.user)
        teams = Team.objects.order_by("tier", "name")
        return teams if scope is None else teams.filter(pk__in=scope)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        rows = [services.settings_for(team) for team in page]
        return self.get_paginated_response(RoutingSettingsSerializer(rows, many=True).data)

    def _team(self, pk: str) -> Team:
        team = self.get_queryset().filter(pk=path_pk(pk, "Team")).first()
        if team is None:
            raise NotFound(f"Team #{pk} does not exist or is not yours to route.")
        return team

    @extend_schema(responses={200: RoutingSettingsSerializer, **error_responses(403, 404)})
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(RoutingSettingsSerializer(services.settings_for(self._team(pk))).data)

    @extend_schema(
        request=RoutingSettingsInput,
        responses={200: RoutingSettingsSerializer, **error_responses(400, 403, 404, 422)},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        team = self._team(pk)
        data = RoutingSettingsInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = {k: v for k, v in data.validated_data.items() if k in request.data}
        conf = services.update_settings(team, by=request.user, **fields)
        return Response(RoutingSettingsSerializer(conf).data)


class AvailabilitySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=AvailabilityStatus.choices)


class AvailabilityResult(serializers.Serializer):
    status = serializers.ChoiceField(choices=AvailabilityStatus.choices)
    returned = serializers.IntegerField(help_text="Untouched tickets given back to the pool.")
    assigned = serializers.IntegerField(help_text="Waiting tickets assigned on the way.")


class AvailabilityView(APIView):
    """The caller's own availability for automatic assignment."""

    @extend_schema(responses={200: AvailabilitySerializer, **error_responses(403)})
    def get(self, request: Request) -> Response:
        if not permissions.is_staff_member(request.user):
            raise NotFound("Only staff have an availability status.")
        return Response({"status": availability_of([request.user.pk])[request.user.pk]})

    @extend_schema(
        request=AvailabilitySerializer,
        responses={200: AvailabilityResult, **error_responses(400, 403)},
    )
    def put(self, request: Request) -> Response:
        data = AvailabilitySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if not permissions.is_staff_member(request.user):
            raise NotFound("Only staff have an availability status.")
        return Response(services.set_availability(request.user, data.validated_data["status"]))


class TicketRoutingSerializer(serializers.Serializer):
    ticket = serializers.IntegerField(source="ticket_id")
    language = serializers.CharField()
    required_skills = serializers.SerializerMethodField()
    waiting_since = serializers.DateTimeField(allow_null=True)
    wait_reason = serializers.CharField()

    def get_required_skills(self, obj: TicketRouting) -> list[int]:
        return sorted(s.pk for s in obj.required_skills.all()) if obj.pk else []


class TicketRoutingInput(serializers.Serializer):
    required_skills = serializers.PrimaryKeyRelatedField(
        queryset=Skill.objects.filter(active=True), many=True
    )
    language = serializers.CharField(max_length=20, required=False, allow_blank=True)


class TicketRoutingViewSet(viewsets.GenericViewSet):
    queryset = TicketRouting.objects.none()
    serializer_class = TicketRoutingSerializer
    lookup_value_regex = "[^/]+"

    def _row(self, request: Request, pk: str) -> TicketRouting:
        ticket = permissions.access_ticket(request.user, path_pk(pk, "Ticket"))
        row = TicketRouting.objects.filter(ticket=ticket).first()
        return row or TicketRouting(ticket=ticket)

    @extend_schema(responses={200: TicketRoutingSerializer, **error_responses(403, 404)})
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(TicketRoutingSerializer(self._row(request, pk)).data)

    @extend_schema(
        request=TicketRoutingInput,
        responses={200: TicketRoutingSerializer, **error_responses(400, 403, 404)},
    )
    def update(self, request: Request, pk: str) -> Response:
        ticket_id = path_pk(pk, "Ticket")
        permissions.access_ticket(request.user, ticket_id)
        data = TicketRoutingInput(data=request.data)
        data.is_valid(raise_exception=True)
        row = services.set_required_skills(
            ticket_id,
            by=request.user,
            skills=data.validated_data["required_skills"],
            language=data.validated_data.get("language"),
        )
        return Response(TicketRoutingSerializer(row).data)
