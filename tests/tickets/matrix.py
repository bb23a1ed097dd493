from __future__ import annotations

from tests.factories import make_ticket
from tests.matrix import Row, all_personas, api_staff, staff
from tickets.models import Ticket


def ticket_kwargs(ctx) -> dict:
    ctx["ticket"] = make_ticket(ctx["team"])
    return {"pk": ctx["ticket"].pk}


def ticket_snapshot(ctx):
    t = Ticket.objects.get(pk=ctx["ticket"].pk)
    return (t.version, t.status, t.priority, t.assignee_id, t.team_id, t.events.count())


ROWS: dict[str, Row] = {
    "home": Row("get", staff(200)),
    "healthz": Row("get", all_personas(200)),
    "ping": Row("get", staff(200)),
    "login": Row("get", all_personas(200)),
    "logout": Row("post", all_personas(302)),
    "admin:index": Row("get", staff(302, admin=200)),
    "api-schema": Row("get", api_staff(200)),
    "api-docs": Row("get", staff(200)),  # a page for people: the anonymous log in first
    "api-root": Row("get", api_staff(200)),
    "notifications": Row("get", staff(200)),
    "notifications-read": Row("post", staff(302)),
    "tickets:queue": Row("get", staff(200)),
    "tickets:ticket-new": Row("get", staff(200)),
    "tickets:ticket-detail": Row("get", staff(200, rep_other_team=404), kwargs=ticket_kwargs),
    "tickets:ticket-claim": Row(
        "post", staff(302, rep_other_team=404), kwargs=ticket_kwargs, snapshot=ticket_snapshot
    ),
    "tickets:ticket-reply": Row(
        "post",
        staff(302, rep_other_team=404),
        kwargs=ticket_kwargs,
        data=lambda ctx: {"body": "Hello", "kind": "public", "version": 1},
        snapshot=ticket_snapshot,
    ),
    "tickets:ticket-update": Row(
        "post",
        staff(302, rep_other_team=404),
        kwargs=ticket_kwargs,
        data=lambda ctx: {
            "status": "pending",
            "priority": "high",
            "team": ctx["team"].pk,
            "version": 1,
        },
        snapshot=ticket_snapshot,
    ),
}
