"""Permission-matrix rows of outgoing webhooks (tickets/webhooks): pages and API are for
directors and admins only; a refused write changes nothing."""

from __future__ import annotations

from tests.matrix import Row, api_staff, staff
from tests.tickets.matrix_escalations import DIRECTORS_ONLY
from tickets.webhooks import services
from tickets.webhooks.models import WebhookSubscription


def _sub(ctx) -> dict:
    sub = services.create_subscription(
        by=ctx["users"]["director"],
        name="CRM",
        url="http://127.0.0.1:9/",
        events=["ticket.created"],
    )
    ctx["sub"] = sub
    return {"pk": sub.pk}


def _snapshot(ctx):
    sub = WebhookSubscription.objects.filter(pk=ctx["sub"].pk).first()
    return None if sub is None else (sub.secret, sub.active, sub.deliveries.count())


ROWS: dict[str, Row] = {
    "tickets:webhook-list": Row("get", staff(200, **DIRECTORS_ONLY)),
    "tickets:webhook-detail": Row("get", staff(200, **DIRECTORS_ONLY), kwargs=_sub),
    "tickets:webhook-test": Row(
        "post", staff(302, **DIRECTORS_ONLY), kwargs=_sub, snapshot=_snapshot
    ),
    "tickets:webhook-secret": Row(
        "post", staff(302, **DIRECTORS_ONLY), kwargs=_sub, snapshot=_snapshot
    ),
    "tickets:webhook-delete": Row(
        "post", staff(302, **DIRECTORS_ONLY), kwargs=_sub, snapshot=_snapshot
    ),
    "tickets-api:webhook-list": Row("get", api_staff(200, **DIRECTORS_ONLY)),
    "tickets-api:webhook-detail": Row("get", api_staff(200, **DIRECTORS_ONLY), kwargs=_sub),
    "tickets-api:webhook-deliveries": Row("get", api_staff(200, **DIRECTORS_ONLY), kwargs=_sub),
    "tickets-api:webhook-test": Row(
        "post",
        api_staff(202, **DIRECTORS_ONLY),
        kwargs=_sub,
        snapshot=_snapshot,
        content_type="application/json",
    ),
}
