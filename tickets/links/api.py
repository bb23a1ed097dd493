"""Merge and links in the API: /api/v1/tickets/{id}/merge/, /links/, /links/{link}/."""

from __future__ import annotations

from django.db.models import Q
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from csops import permissions
from csops.api_schema import error_responses, path_pk
from tickets.api.serializers import InputSerializer, TicketDetailSerializer
from tickets.links import selectors, services
from tickets.links.models import MANUAL_LINK_KINDS, TicketLink

TICKET = OpenApiParameter("pk", int, OpenApiParameter.PATH, description="The ticket's id.")
LINK = OpenApiParameter("link_pk", int, OpenApiParameter.PATH, description="The link's id.")


def _ticket_id(value: str) -> int:
    return path_pk(value, "Ticket", qualifier=" or is not in your teams")


class MergeInput(InputSerializer):
    tickets = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
        min_length=1,
        max_length=services.MAX_MERGE,
        help_text="Ids of the tickets to merge into this one; they close and point here.",
    )
    versions = serializers.DictField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        help_text="Optional expected version per ticket id (a stale one is a 409).",
    )


class TicketLinkInput(InputSerializer):
    kind = serializers.ChoiceField(choices=MANUAL_LINK_KINDS, help_text="This ticket is ...")
    other = serializers.IntegerField(min_value=1, max_value=2**31 - 1)


class TicketLinkOutput(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField(help_text="How the link reads from this ticket's side.")
    ticket = serializers.IntegerField(help_text="The other ticket's id.")
    subject = serializers.CharField()
    status = serializers.CharField()


def _versions(raw: dict) -> dict[int, int]:
    try:
        return {int(k): v for k, v in raw.items()}
    except ValueError:
        raise serializers.ValidationError({"versions": ["Keys are ticket ids."]}) from None


@extend_schema(
    summary="Merge tickets into this one",
    request=MergeInput,
    parameters=[TICKET],
    responses={200: TicketDetailSerializer, **error_responses(400, 403, 404, 409, 422)},
)
@api_view(["POST"])
def ticket_merge(request: Request, pk: str) -> Response:
    into = permissions.access_ticket(request.user, _ticket_id(pk)).pk
    data = MergeInput(data=request.data)
    data.is_valid(raise_exception=True)
    survivor = services.merge(
        data.validated_data["tickets"],
        into=into,
        by=request.user,
        expected_versions=_versions(data.validated_data.get("versions", {})),
    )
    return Response(TicketDetailSerializer(survivor).data)


def _rows(ticket) -> list[dict]:
    return [
        {
            "id": r.link_id,
            "label": r.label,
            "ticket": r.other.pk,
            "subject": r.other.subject,
            "status": r.other.status,
        }
        for r in selectors.links_of(ticket)
    ]


@extend_schema(
    methods=["GET"],
    summary="The ticket's links, as they read from its side",
    parameters=[TICKET],
    responses={200: TicketLinkOutput(many=True), **error_responses(403, 404)},
)
@extend_schema(
    methods=["POST"],
    summary="Link this ticket to another (related, duplicate of, parent of)",
    request=TicketLinkInput,
    parameters=[TICKET],
    responses={201: TicketLinkOutput(many=True), **error_responses(400, 403, 404, 409, 422)},
)
@api_view(["GET", "POST"])
def ticket_links(request: Request, pk: str) -> Response:
    ticket = permissions.access_ticket(request.user, _ticket_id(pk))
    if request.method == "GET":
        return Response(TicketLinkOutput(_rows(ticket), many=True).data)
    data = TicketLinkInput(data=request.data)
    data.is_valid(raise_exception=True)
    services.link(ticket.pk, by=request.user, **data.validated_data)
    return Response(TicketLinkOutput(_rows(ticket), many=True).data, status=status.HTTP_201_CREATED)


@extend_schema(
    summary="Remove a link (logged on both tickets)",
    parameters=[TICKET, LINK],
    responses={204: None, **error_responses(403, 404, 422)},
)
@api_view(["DELETE"])
def ticket_link_delete(request: Request, pk: str, link_pk: str) -> Response:
    ticket = permissions.access_ticket(request.user, _ticket_id(pk))
    link_id = path_pk(link_pk, "Link")
    mine = Q(source_id=ticket.pk) | Q(target_id=ticket.pk)
    if not TicketLink.objects.filter(mine, pk=link_id).exists():
        return Response(
            {
                "error": "not_found",
                "detail": f"Link {link_id} is not on this ticket.",
                "fields": {},
            },
            status=status.HTTP_404_NOT_FOUND,
        )
    services.unlink(link_id, by=request.user)
    return Response(status=status.HTTP_204_NO_CONTENT)
