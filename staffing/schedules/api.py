"""Schedules API (/api/v1/schedules/...): shifts and blocks, read as the pages scope them (a
rep their own, managers their teams' people, directors all), written through the services."""

from __future__ import annotations

from django.contrib.auth.models import User
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from csops import permissions
from csops.api_schema import error_responses
from csops.bounds import column_bounds
from csops.errors import NotFound
from staffing.models import Team
from staffing.schedules import services
from staffing.schedules.models import Block, BlockKind, Shift


@extend_schema_field(
    {
        "type": "string",
        "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$",
        "example": "08:30",
    }
)
class ClockTimeField(serializers.TimeField):
    """A time of day with no zone ("08:30:00"); OpenAPI's ``format: time`` demands an offset."""


def _pk(kwargs: dict) -> int:
    try:
        return int(kwargs["pk"])
    except ValueError:
        raise NotFound("There is no such record.") from None


class ShiftSerializer(serializers.ModelSerializer):
    start = ClockTimeField()
    end = ClockTimeField()

    class Meta:
        model = Shift
        fields = ["id", "user", "team", "weekday", "start", "end", "overnight"]


class ShiftInput(serializers.Serializer):
    user = serializers.IntegerField()
    team = serializers.IntegerField()
    weekday = serializers.IntegerField(min_value=0, max_value=6)
    start = ClockTimeField()
    end = ClockTimeField()


class BlockSerializer(serializers.ModelSerializer):
    class Meta:
        model = Block
        fields = ["id", "user", "kind", "starts_at", "ends_at", "note"]


@column_bounds()  # dates within the supported range
class BlockInput(serializers.Serializer):
    user = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=BlockKind.choices)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    note = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)


class _Base(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    filter_backends: list = []


class ShiftViewSet(_Base, mixins.CreateModelMixin, mixins.DestroyModelMixin):
    serializer_class = ShiftSerializer

    def get_queryset(self):
        qs = Shift.objects.order_by("team", "user", "weekday", "start")
        return permissions.scope_schedules(self.request.user, qs)

    @extend_schema(
        request=ShiftInput, responses={201: ShiftSerializer, **error_responses(400, 403, 404, 422)}
    )
    def create(self, request: Request, *args, **kwargs) -> Response:
        data = ShiftInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        permissions.ensure_can_edit_team_schedule(request.user, v["team"])
        team = Team.objects.filter(pk=v["team"]).first()
        if team is None:
            raise NotFound(f"Team #{v['team']} does not exist.")
        shift = services.add_shift(
            team,
            by=request.user,
            user_id=v["user"],
            weekday=v["weekday"],
            start=v["start"],
            end=v["end"],
        )
        return Response(ShiftSerializer(shift).data, status=201)

    @extend_schema(responses={204: None, **error_responses(403, 404)})
    def destroy(self, request: Request, *args, **kwargs) -> Response:
        services.delete_shift(_pk(kwargs), by=request.user)
        return Response(status=204)


class BlockViewSet(_Base, mixins.CreateModelMixin, mixins.DestroyModelMixin):
    serializer_class = BlockSerializer

    def get_queryset(self):
        return permissions.scope_schedules(
            self.request.user, Block.objects.order_by("starts_at", "pk")
        )

    @extend_schema(
        request=BlockInput, responses={201: BlockSerializer, **error_responses(400, 403, 404, 422)}
    )
    def create(self, request: Request, *args, **kwargs) -> Response:
        data = BlockInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        person = User.objects.filter(pk=v["user"]).first()
        if person is None:
            raise NotFound(f"Person #{v['user']} is not one whose schedule you keep.")
        block = services.add_block(
            by=request.user,
            person=person,
            kind=v["kind"],
            starts_at=v["starts_at"],
            ends_at=v["ends_at"],
            note=v["note"],
        )
        return Response(BlockSerializer(block).data, status=201)

    @extend_schema(responses={204: None, **error_responses(403, 404)})
    def destroy(self, request: Request, *args, **kwargs) -> Response:
        services.delete_block(_pk(kwargs), by=request.user)
        return Response(status=204)
