"""Saved views in the API: GET/POST /api/v1/views/, GET/PATCH/DELETE /api/v1/views/{id}/.
``query`` holds the queue's (and ``/api/v1/tickets/``'s) filter parameters, ``columns`` the
queue's optional columns it shows; ``count`` is the number of tickets the view shows the
caller (capped like the queue's total)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from csops.api_schema import error_responses, path_pk
from tickets import columns as queue_columns
from tickets.api.serializers import InputSerializer
from tickets.saved_views import selectors, services
from tickets.saved_views.models import SavedView

COLUMNS_HELP = (
    "The queue's optional columns the view shows, in any order (shown in the queue's): "
    + ", ".join(queue_columns.KEYS)
    + ". The number and subject always show. Empty or left out: all."
)
QUERY_HELP = (
    "Filter parameters of the queue, each a list of strings: view (mine, unassigned, teams), "
    "status, priority, channel, team, assignee, tag, q, sort, sla."
)


class SavedViewOutput(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    team = serializers.IntegerField(source="team_id", allow_null=True)
    team_name = serializers.SerializerMethodField()
    owner = serializers.IntegerField(source="owner_id")
    query = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    columns = serializers.SerializerMethodField(help_text=COLUMNS_HELP)
    count = serializers.SerializerMethodField()
    count_capped = serializers.SerializerMethodField()

    def get_columns(self, view: SavedView) -> list[str]:
        return queue_columns.chosen(view.columns)

    def get_team_name(self, view: SavedView) -> str | None:
        return view.team.name if view.team_id else None

    def _count(self, view: SavedView) -> selectors.ViewCount:
        counts = self.context["counts"]
        return counts[view.pk]

    def get_count(self, view: SavedView) -> int:
        return self._count(view).count

    def get_count_capped(self, view: SavedView) -> bool:
        return self._count(view).capped


def _columns_field() -> serializers.ListField:
    # An unknown column is a 400 naming it, like any other malformed field.
    return serializers.ListField(
        child=serializers.ChoiceField(choices=queue_columns.KEYS),
        required=False,
        max_length=len(queue_columns.KEYS),
        help_text=COLUMNS_HELP,
    )


class SavedViewInput(InputSerializer):
    name = serializers.CharField(max_length=80)
    team = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=2**31 - 1,
        help_text="Share with this team (its managers and directors only); empty: personal.",
    )  # fmt: skip
    query = serializers.DictField(required=False, default=dict, help_text=QUERY_HELP)
    columns = _columns_field()


class SavedViewPatch(InputSerializer):
    name = serializers.CharField(max_length=80, required=False)
    query = serializers.DictField(required=False, help_text=QUERY_HELP)
    columns = _columns_field()


def _out(request: Request, views: list[SavedView], *, many: bool = False):
    counts = selectors.view_counts(request.user, views)
    data = SavedViewOutput(views, many=True, context={"counts": counts}).data
    return data if many else data[0]


@extend_schema(
    methods=["GET"],
    summary="The saved views the caller sees (personal and their teams'), with counts",
    responses={200: SavedViewOutput(many=True), **error_responses(403)},
)
@extend_schema(
    methods=["POST"],
    summary="Save a view: personal, or shared with a team by its manager or a director",
    request=SavedViewInput,
    responses={201: SavedViewOutput, **error_responses(400, 403, 422)},
)
@api_view(["GET", "POST"])
def saved_view_list(request: Request) -> Response:
    if request.method == "GET":
        return Response(_out(request, list(selectors.visible_views(request.user)), many=True))
    data = SavedViewInput(data=request.data)
    data.is_valid(raise_exception=True)
    v = data.validated_data
    view = services.save_view(
        by=request.user,
        name=v["name"],
        query=v["query"],
        team_id=v.get("team"),
        columns=v.get("columns"),
    )
    return Response(_out(request, [view]), status=status.HTTP_201_CREATED)


@extend_schema(
    methods=["GET"],
    summary="One saved view with its count",
    parameters=[OpenApiParameter("pk", int, OpenApiParameter.PATH)],
    responses={200: SavedViewOutput, **error_responses(403, 404)},
)
@extend_schema(
    methods=["PATCH"],
    summary="Rename a view, change its filters or columns (its owner; a team's view: managers)",
    parameters=[OpenApiParameter("pk", int, OpenApiParameter.PATH)],
    request=SavedViewPatch,
    responses={200: SavedViewOutput, **error_responses(400, 403, 404, 422)},
)
@extend_schema(
    methods=["DELETE"],
    summary="Delete a view (its owner; a team's view: its managers)",
    parameters=[OpenApiParameter("pk", int, OpenApiParameter.PATH)],
    responses={204: None, **error_responses(403, 404)},
)
@api_view(["GET", "PATCH", "DELETE"])
def saved_view_detail(request: Request, pk: str) -> Response:
    view_pk = path_pk(pk, "View")
    if request.method == "GET":
        return Response(_out(request, [selectors.access_saved_view(request.user, view_pk)]))
    if request.method == "DELETE":
        services.delete_view(view_pk, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
    data = SavedViewPatch(data=request.data)
    data.is_valid(raise_exception=True)
    v = data.validated_data
    view = services.update_view(
        view_pk, by=request.user, name=v.get("name"), query=v.get("query"), columns=v.get("columns")
    )
    return Response(_out(request, [view]))
