"""Bulk actions in the API: POST /api/v1/bulk-actions/ starts one, GET .../{id}/ follows it."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from csops.api_schema import error_responses, path_pk
from tickets.api.serializers import InputSerializer
from tickets.bulk import services
from tickets.bulk.models import BulkAction, BulkKind


class BulkInput(InputSerializer):
    kind = serializers.ChoiceField(choices=BulkKind.choices)
    tickets = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
        min_length=1,
        max_length=services.MAX_TICKETS,
    )
    params = serializers.DictField(
        required=False,
        help_text=(
            "assign: assignee (user id or null); status: status, confirm_open_children; "
            "priority: priority; team: team; add_tags/remove_tags: tags (names); macro: "
            "macro; link_incident: incident; merge: into (ticket id)."
        ),
    )
    versions = serializers.DictField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        help_text="Optional expected version per ticket id: a ticket changed since is refused.",
    )


class BulkRefusal(serializers.Serializer):
    ticket = serializers.IntegerField(source="ticket_id")
    error = serializers.CharField()


class BulkOutput(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    kind = serializers.ChoiceField(choices=BulkKind.choices)
    state = serializers.ChoiceField(choices=BulkAction.State.choices)
    total = serializers.IntegerField()
    done = serializers.IntegerField()
    succeeded = serializers.IntegerField()
    refused = serializers.IntegerField()
    refusals = serializers.SerializerMethodField()

    def get_refusals(self, bulk: BulkAction) -> list[dict]:
        return BulkRefusal(services.refusals(bulk), many=True).data  # type: ignore[return-value]


def _ids(raw: dict) -> dict[int, int]:
    try:
        return {int(k): v for k, v in raw.items()}
    except ValueError:
        raise serializers.ValidationError({"versions": ["Keys are ticket ids."]}) from None


@extend_schema(
    summary="Act on many tickets: one service call per ticket, as a job when large",
    request=BulkInput,
    responses={201: BulkOutput, 202: BulkOutput, **error_responses(400, 403, 422)},
)
@api_view(["POST"])
def bulk_create(request: Request) -> Response:
    data = BulkInput(data=request.data)
    data.is_valid(raise_exception=True)
    v = data.validated_data
    bulk = services.start(
        by=request.user,
        kind=v["kind"],
        params=v.get("params", {}),
        ticket_ids=v["tickets"],
        versions=_ids(v.get("versions", {})),
    )
    code = status.HTTP_201_CREATED if bulk.state == bulk.State.DONE else status.HTTP_202_ACCEPTED
    return Response(BulkOutput(bulk).data, status=code)


@extend_schema(
    summary="A bulk action's progress and what was refused, and why",
    parameters=[OpenApiParameter("pk", int, OpenApiParameter.PATH)],
    responses={200: BulkOutput, **error_responses(403, 404)},
)
@api_view(["GET"])
def bulk_detail(request: Request, pk: str) -> Response:
    bulk = services.access_bulk(request.user, path_pk(pk, "Bulk action"))
    return Response(BulkOutput(bulk).data)
