"""Planning API (/api/v1/planning/...): a team's forecast and requirement under what-if
parameters (the same form as the page), and saved scenarios. Same rules as the pages:
managers their teams, directors every team (``permissions.ensure_can_plan_team``)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import api_view
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from csops import permissions
from csops.api_schema import error_responses
from csops.errors import NotFound
from staffing.models import Team
from staffing.planning import selectors, services
from staffing.planning.forms import WhatIfForm
from staffing.planning.models import Scenario

WHAT_IF = [
    OpenApiParameter(name, t, description=d)
    for name, t, d in [
        ("growth_percent", float, "Volume growth in percent."),
        ("service_level", float, "Live channels' service level target, percent."),
        ("answer_seconds", int, "Answered within this many seconds."),
        ("shrinkage", float, "Shrinkage, percent."),
        ("max_occupancy", float, "Occupancy cap, percent."),
        ("reply_target_hours", int, "Deferred channels' reply window in hours."),
        ("aht_phone", int, "Handle time of a channel in seconds (aht_<channel>)."),
    ]
]


def _team(user, pk: int) -> Team:
    permissions.ensure_can_plan_team(user, pk)
    team = Team.objects.filter(pk=pk).first()
    if team is None:
        raise NotFound(f"Team #{pk} does not exist or is not one you plan.")
    return team


def _plan(team: Team, data) -> selectors.TeamPlan:
    figures = selectors.team_demand(team)
    base = selectors.team_plan(team, figures=figures)
    channels = list((figures or {}).get("channels", {}))
    initial = WhatIfForm.initial_from(base.params, channels)
    form = WhatIfForm(
        initial | {k: v for k, v in data.items() if k in initial}, channels=channels, labels={}
    )
    if not form.is_valid():
        raise ValidationError({k: [str(e) for e in v] for k, v in form.errors.items()})
    return selectors.team_plan(team, form.params(base.params), figures=figures)


class WeekSerializer(serializers.Serializer):
    start = serializers.DateField()
    contacts = serializers.DictField(child=serializers.FloatField())
    agent_hours = serializers.FloatField()
    fte = serializers.FloatField()
    required = serializers.ListField(
        child=serializers.IntegerField(), help_text="Paid agents per half hour, Monday 00:00 first."
    )


class RequirementSerializer(serializers.Serializer):
    team = serializers.IntegerField()
    forecast_start = serializers.DateField(allow_null=True)
    params = serializers.DictField()
    backtest = serializers.DictField(allow_null=True)
    channels = serializers.DictField()
    weeks = WeekSerializer(many=True)


@extend_schema(
    summary="A team's forecast and staffing requirement, 12 weeks ahead",
    parameters=[OpenApiParameter("pk", int, OpenApiParameter.PATH), *WHAT_IF],
    responses={200: RequirementSerializer, **error_responses(400, 403, 404)},
)
@api_view(["GET"])
def requirement(request: Request, pk: int) -> Response:
    team = _team(request.user, pk)
    result = _plan(team, request.query_params)
    figures = result.demand or {}
    data = {
        "team": team.pk,
        "forecast_start": figures.get("forecast_start"),
        "params": result.params.as_json(),
        "backtest": figures.get("backtest"),
        "channels": {
            ch: {
                "level": c["level"],
                "trend_percent": c["trend_percent"],
                "backtest": c["backtest"],
                "aht_seconds": result.params.aht.get(ch),
            }
            for ch, c in figures.get("channels", {}).items()
        },
        "weeks": [
            {
                "start": w.start,
                "contacts": w.contacts,
                "agent_hours": w.agent_hours,
                "fte": w.fte(result.params.hours_per_fte),
                "required": w.required,
            }
            for w in result.weeks
        ],
    }
    return Response(RequirementSerializer(data).data)


class ScenarioSerializer(serializers.ModelSerializer):
    class Meta:
        model = Scenario
        fields = ["id", "team", "name", "params", "totals", "created_by", "created_at"]


class ScenarioInput(serializers.Serializer):
    team = serializers.IntegerField()
    name = serializers.CharField(max_length=120)
    what_if = serializers.DictField(
        required=False, default=dict, help_text="The what-if fields, as the requirement's query."
    )


class ScenarioViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ScenarioSerializer
    filter_backends: list = []

    def get_queryset(self):
        teams = permissions.planning_teams(self.request.user, Team.objects.all())
        return Scenario.objects.filter(team__in=teams).order_by("-created_at", "-pk")

    @extend_schema(
        request=ScenarioInput,
        responses={201: ScenarioSerializer, **error_responses(400, 403, 404, 422)},
    )
    def create(self, request: Request, *args, **kwargs) -> Response:
        data = ScenarioInput(data=request.data)
        data.is_valid(raise_exception=True)
        team = _team(request.user, data.validated_data["team"])
        plan = _plan(team, data.validated_data["what_if"])
        scenario = services.save_scenario(
            team, by=request.user, name=data.validated_data["name"], params=plan.params
        )
        return Response(ScenarioSerializer(scenario).data, status=201)
