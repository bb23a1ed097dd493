"""The ticket and customer API (/api/v1/). Thin: reads use ``csops.permissions`` and the
queue's ``TicketFilter``; writes validate with an input serializer and call one service.

Access: every endpoint needs a staff role (``csops.api_permissions.IsStaffMember``, the DRF
default). Tickets are scoped to the user's teams; a ticket outside them is a 404, exactly as
in the workspace. Customers are served by ``tickets.customers.api`` (reps see the customers
of tickets they may see; managers and directors all).
"""

from __future__ import annotations

from typing import TypeVar

from django.db.models import QuerySet
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from csops import permissions
from csops.api_schema import error_responses, path_pk
from tickets import services
from tickets.api.serializers import (
    CustomerMessageInput,
    ReplyInput,
    TicketCreateInput,
    TicketDetailSerializer,
    TicketEventSerializer,
    TicketSerializer,
    TicketUpdateInput,
)
from tickets.filters import TicketFilter
from tickets.models import Channel, Ticket, TicketEvent


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100


S = TypeVar("S", bound=Serializer)


def _ticket_id(value: str) -> int:
    return path_pk(value, "Ticket", qualifier=" or is not in your teams")


# The path id is an integer; the view's permissive lookup regex would document it as a string.
TICKET_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="The ticket's id.")


def _validated(serializer_class: type[S], request: Request) -> S:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer


@extend_schema_view(
    list=extend_schema(
        summary="Tickets of your teams, filtered like the queue page",
        description="Defaults: view=teams, status=unresolved, sort=-updated_at.",
        responses={200: TicketSerializer(many=True), **error_responses(400, 403)},
    ),
    retrieve=extend_schema(
        parameters=[TICKET_ID], responses={200: TicketDetailSerializer, **error_responses(403, 404)}
    ),
)
class TicketViewSet(viewsets.GenericViewSet):
    serializer_class = TicketSerializer
    filterset_class = TicketFilter
    pagination_class = Pagination
    # Any path segment reaches the view, so a malformed id gets a JSON 404 (``_ticket_pk``).
    lookup_value_regex = "[^/]+"

    def get_queryset(self) -> QuerySet[Ticket]:
        # TicketFilter scopes again; scoping here keeps the list safe without it.
        qs = Ticket.objects.select_related("team", "assignee", "requester", "category")
        return permissions.scope_tickets(self.request.user, qs.prefetch_related("tags"))

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(TicketSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        ticket = permissions.access_ticket(request.user, _ticket_id(pk))
        return Response(TicketDetailSerializer(ticket).data)

    @extend_schema(
        request=TicketCreateInput,
        responses={201: TicketDetailSerializer, **error_responses(400, 403, 422)},
    )
    def create(self, request: Request) -> Response:
        data = _validated(TicketCreateInput, request).validated_data
        ticket = services.create_ticket(by=request.user, **data)
        return Response(TicketDetailSerializer(ticket).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=TicketUpdateInput,
        parameters=[TICKET_ID],
        responses={200: TicketDetailSerializer, **error_responses(400, 403, 404, 409, 422)},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        ticket = permissions.access_ticket(request.user, _ticket_id(pk))
        serializer = _validated(TicketUpdateInput, request)
        ticket = services.update_ticket(ticket.pk, by=request.user, **serializer.service_kwargs())
        return Response(TicketDetailSerializer(ticket).data)

    @extend_schema(
        summary="Take an unassigned ticket",
        request=None,
        parameters=[TICKET_ID],
        responses={200: TicketDetailSerializer, **error_responses(403, 404, 409, 422)},
    )
    @action(detail=True, methods=["post"])
    def claim(self, request: Request, pk: str) -> Response:
        ticket = services.claim(_ticket_id(pk), by=request.user)
        return Response(TicketDetailSerializer(ticket).data)

    @extend_schema(
        summary="The ticket's event log, oldest first",
        filters=False,
        parameters=[TICKET_ID],
        responses={200: TicketEventSerializer(many=True), **error_responses(403, 404)},
    )
    @action(detail=True, methods=["get"])
    def events(self, request: Request, pk: str) -> Response:
        ticket = permissions.access_ticket(request.user, _ticket_id(pk))
        log = (
            TicketEvent.objects.filter(ticket=ticket)
            .select_related("actor", "customer", "outbound")
            .prefetch_related("attachments")
        )
        page = self.paginate_queryset(log.order_by("pk"))
        return self.get_paginated_response(TicketEventSerializer(page, many=True).data)

    @extend_schema(
        summary="Add a public reply or an internal note, optionally setting a status",
        request=ReplyInput,
        parameters=[TICKET_ID],
        responses={201: TicketDetailSerializer, **error_responses(400, 403, 404, 409, 422)},
    )
    @events.mapping.post
    def add_event(self, request: Request, pk: str) -> Response:
        ticket = permissions.access_ticket(request.user, _ticket_id(pk))
        serializer = _validated(ReplyInput, request)
        ticket = services.reply(ticket.pk, by=request.user, **serializer.service_kwargs())
        return Response(TicketDetailSerializer(ticket).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Add a message from the ticket's customer (an integration relaying it)",
        description=(
            "Logged as the requester's public reply with channel api, exactly as a mailed "
            "reply: a pending or solved ticket reopens; on a closed ticket a follow-up "
            "ticket is opened and returned."
        ),
        request=CustomerMessageInput,
        parameters=[TICKET_ID],
        responses={201: TicketDetailSerializer, **error_responses(400, 403, 404, 422)},
    )
    @action(detail=True, methods=["post"], url_path="customer-messages")
    def customer_messages(self, request: Request, pk: str) -> Response:
        ticket = permissions.access_ticket(request.user, _ticket_id(pk))
        body = _validated(CustomerMessageInput, request).validated_data["body"]
        ticket = services.customer_reply(
            ticket.pk, customer=ticket.requester, body=body, channel=Channel.API
        )
        return Response(TicketDetailSerializer(ticket).data, status=status.HTTP_201_CREATED)
