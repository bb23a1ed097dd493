"""Permission matrix row for a ticket's SLA instances in the API (scoped like the ticket)."""

from __future__ import annotations

from tests.factories import make_ticket
from tests.matrix import Row, api_staff


def ticket_kwargs(ctx) -> dict:
    ctx["ticket"] = make_ticket(ctx["team"])
    return {"pk": ctx["ticket"].pk}


ROWS: dict[str, Row] = {
    "tickets-api:ticket-sla": Row("get", api_staff(200, rep_other_team=404), kwargs=ticket_kwargs),
}
