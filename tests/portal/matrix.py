"""Permission rows of the customers' public pages (tickets.portal): no login, so every staff
persona gets what an anonymous visitor gets; a staff sign-in never opens the portal (its
pages send anyone without a portal session to the sign-in page). Portal sessions (a customer
signed in by magic link) are walked in tests/portal/test_portal_access.py."""

from __future__ import annotations

from tests.factories import CustomerFactory, make_incident, make_ticket
from tests.matrix import Row, all_personas
from tickets.followers.models import IncidentFollower
from tickets.models import Customer, OutboundMessage, Ticket, TicketEvent


def _ticket_kwargs(ctx) -> dict:
    ticket = make_ticket(ctx["team"], requester=CustomerFactory(email="owner@example.org"))
    ctx["ticket"] = ticket
    return {"pk": ticket.pk}


def _public_incident(ctx) -> dict:
    incident = make_incident(ctx["users"]["manager"], ctx["team"], public=True)
    return {"pk": incident.pk}


def _events(ctx):
    return TicketEvent.objects.filter(ticket=ctx["ticket"]).count()


ROWS: dict[str, Row] = {
    "contact": Row(
        "post",
        all_personas(200),
        data=lambda ctx: {
            "name": "Robin Web",
            "email": "robin@example.org",
            "subject": "Where is my parcel?",
            "message": "It was due yesterday.",
        },
        snapshot=lambda ctx: (Ticket.objects.count(), Customer.objects.count()),
    ),
    # Following an open public incident (tickets/followers): public, the token is the key.
    "incident-follow": Row(
        "post",
        all_personas(200),
        kwargs=_public_incident,
        data=lambda ctx: {"email": "robin@example.org"},
        snapshot=lambda ctx: OutboundMessage.objects.count(),
    ),
    "incident-follow-confirm": Row(
        "get",
        all_personas(400),
        kwargs=lambda ctx: {"token": "forged:token"},
        snapshot=lambda ctx: IncidentFollower.objects.count(),
    ),
    "incident-unfollow": Row(
        "post",
        all_personas(400),
        kwargs=lambda ctx: {"token": "forged:token"},
        snapshot=lambda ctx: IncidentFollower.objects.filter(unfollowed_at__isnull=False).count(),
    ),
    "portal:home": Row("get", all_personas(200)),
    "portal:sign-in": Row("post", all_personas(200), data=lambda ctx: {"email": "a@example.org"}),
    "portal:link": Row("get", all_personas(400), kwargs=lambda ctx: {"token": "forged:token"}),
    "portal:sign-out": Row("post", all_personas(302)),
    "portal:request": Row("get", all_personas(302), kwargs=_ticket_kwargs),
    "portal:attachment": Row("get", all_personas(302), kwargs=lambda ctx: {"pk": 1}),
    "portal:request-new": Row(
        "post",
        all_personas(302),
        data=lambda ctx: {"subject": "x", "message": "y"},
        snapshot=lambda ctx: Ticket.objects.count(),
    ),
    "portal:request-reply": Row(
        "post",
        all_personas(302),
        kwargs=_ticket_kwargs,
        data=lambda ctx: {"body": "Me again"},
        snapshot=_events,
    ),
}
