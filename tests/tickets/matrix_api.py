from __future__ import annotations

from tests.matrix import Row, api_staff
from tests.tickets.matrix import ticket_kwargs, ticket_snapshot
from tests.tickets.matrix_customers import customer_kwargs, organization_kwargs

ROWS: dict[str, Row] = {
    "tickets-api:ticket-list": Row("get", api_staff(200)),
    "tickets-api:ticket-detail": Row(
        "get", api_staff(200, rep_other_team=404), kwargs=ticket_kwargs
    ),
    "tickets-api:ticket-claim": Row(
        "post", api_staff(200, rep_other_team=404), kwargs=ticket_kwargs, snapshot=ticket_snapshot
    ),
    "tickets-api:ticket-customer-messages": Row(
        "post",
        api_staff(201, rep_other_team=404),
        kwargs=ticket_kwargs,
        data=lambda ctx: {"body": "Any news?"},
        content_type="application/json",
        snapshot=ticket_snapshot,
    ),
    "tickets-api:ticket-events": Row(
        "post",
        api_staff(201, rep_other_team=404),
        kwargs=ticket_kwargs,
        data=lambda ctx: {"body": "Checked", "public": False, "version": 1},
        content_type="application/json",
        snapshot=ticket_snapshot,
    ),
    "tickets-api:customer-list": Row("get", api_staff(200)),
    "tickets-api:customer-detail": Row(
        "get", api_staff(200, rep_other_team=404), kwargs=customer_kwargs
    ),
    "tickets-api:organization-list": Row("get", api_staff(200)),
    "tickets-api:organization-detail": Row(
        "get", api_staff(200, rep_other_team=404), kwargs=organization_kwargs
    ),
    "staffing-api:team-list": Row("get", api_staff(200)),
    "staffing-api:team-detail": Row(
        "get", api_staff(200, rep_other_team=404), kwargs=lambda ctx: {"pk": ctx["team"].pk}
    ),
}
