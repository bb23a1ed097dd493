"""/api/v1/goals/: directors set targets; managers and directors read them with their status.
Same rules as the UI (``kpis.goals`` services, ``csops.permissions``)."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.urls import include, path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from csops import permissions
from csops.api_schema import error_responses, path_pk
from csops.bounds import column_bounds
from kpis import dashboard, goals
from kpis.definitions import GOAL_METRICS
from kpis.models import Goal, Hours
from staffing.models import Team


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100


@column_bounds()
class GoalInput(serializers.Serializer):
    metric = serializers.ChoiceField(choices=GOAL_METRICS)
    team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.all(), required=False, allow_null=True
    )
    hours = serializers.ChoiceField(choices=Hours.choices, default=Hours.BUSINESS)
    target = serializers.DecimalField(max_digits=12, decimal_places=2)
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class GoalUpdateInput(serializers.Serializer):
    target = serializers.DecimalField(max_digits=12, decimal_places=2)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class GoalSerializer(serializers.ModelSerializer):
    team_name = serializers.CharField(source="team.name", default=None, read_only=True)
    status = serializers.SerializerMethodField()
    value = serializers.SerializerMethodField()
    projection = serializers.SerializerMethodField()

    class Meta:
        model = Goal
        fields = [
            "id",
            "metric",
            "team",
            "team_name",
            "hours",
            "target",
            "period_start",
            "period_end",
            "note",
            "created_at",
            "updated_at",
            "status",
            "value",
            "projection",
        ]

    def _status(self, goal: Goal) -> goals.GoalStatus:
        cache = self.context.setdefault("_status", {})
        if goal.pk not in cache:
            user = self.context["request"].user
            cache[goal.pk] = goals.evaluate(
                user, goal, dashboard.goal_value, today=dashboard.today()
            )
        return cache[goal.pk]

    def get_status(self, goal: Goal) -> str:
        return self._status(goal).status

    def get_value(self, goal: Goal) -> float | None:
        return self._status(goal).value

    def get_projection(self, goal: Goal) -> float | None:
        return self._status(goal).projection


class GoalFilter(django_filters.FilterSet):
    class Meta:
        model = Goal
        fields = ["metric", "team", "hours"]


class GoalViewSet(viewsets.GenericViewSet):
    queryset = Goal.objects.none()  # for the schema; requests use get_queryset (scoped)
    serializer_class = GoalSerializer
    filterset_class = GoalFilter
    pagination_class = Pagination
    lookup_value_regex = "[^/]+"

    def get_queryset(self) -> QuerySet[Goal]:
        permissions.ensure_can_view_dashboard(self.request.user)
        return goals.goals_for(self.request.user)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        data = GoalSerializer(page, many=True, context={"request": request}).data
        return self.get_paginated_response(data)

    def retrieve(self, request: Request, pk: str) -> Response:
        permissions.ensure_can_view_dashboard(request.user)
        goal = goals.access_goal(request.user, path_pk(pk, "Goal"))
        return Response(GoalSerializer(goal, context={"request": request}).data)

    @extend_schema(
        request=GoalInput, responses={201: GoalSerializer, **error_responses(400, 403, 409, 422)}
    )
    def create(self, request: Request) -> Response:
        permissions.ensure_can_set_goals(request.user)
        data = GoalInput(data=request.data)
        data.is_valid(raise_exception=True)
        goal = goals.create_goal(by=request.user, **data.validated_data)
        body = GoalSerializer(goal, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=GoalUpdateInput,
        responses={200: GoalSerializer, **error_responses(400, 403, 404, 422)},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        permissions.ensure_can_set_goals(request.user)
        data = GoalUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        goal = goals.update_goal(path_pk(pk, "Goal"), by=request.user, **data.validated_data)
        return Response(GoalSerializer(goal, context={"request": request}).data)

    @extend_schema(responses={204: None, **error_responses(403, 404)})
    def destroy(self, request: Request, pk: str) -> Response:
        goals.delete_goal(path_pk(pk, "Goal"), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


router = SimpleRouter()
router.register("goals", GoalViewSet, basename="goal")
urlpatterns = [path("", include((router.urls, "goals-api")))]
