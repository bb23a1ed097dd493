"""A ticket's SLA instances in the API (/api/v1/tickets/{id}/sla/), evaluated at request
time with the ticket's policy and calendar versions. Scoped like the workspace (404 outside
the user's teams)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from csops import permissions
from csops.errors import NotFound
from policies.api.serializers_sla import TicketSlaSerializer
from tickets.selectors_sla import sla_panel


class TicketSlaResponse(serializers.Serializer):
    ticket = serializers.IntegerField()
    policy = serializers.CharField(allow_null=True)
    calendar = serializers.CharField(allow_null=True)
    next_sla_due_at = serializers.DateTimeField(allow_null=True)
    evaluated_at = serializers.DateTimeField()
    instances = TicketSlaSerializer(many=True)


@extend_schema(
    summary="The ticket's SLA targets: state, due time, countdown and audit trail",
    parameters=[OpenApiParameter("pk", int, OpenApiParameter.PATH, description="Ticket id.")],
    responses={200: TicketSlaResponse},
)
@api_view(["GET"])
def ticket_sla(request: Request, pk: str) -> Response:
    try:
        ticket_id = int(pk)
    except ValueError:
        raise NotFound(f"Ticket #{pk} does not exist or is not in your teams.") from None
    ticket = permissions.access_ticket(request.user, ticket_id)
    panel = sla_panel(ticket)
    body = {
        "ticket": ticket.pk,
        "policy": panel.policy,
        "calendar": panel.calendar,
        "next_sla_due_at": ticket.next_sla_due_at,
        "evaluated_at": panel.now,
        "instances": panel.targets,
    }
    return Response(TicketSlaResponse(body).data)
