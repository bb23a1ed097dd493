"""What the contact form and the portal write. Every function takes what a customer typed,
never a user: the portal's only identity is the address a magic link was sent to.

No answer here tells whether an address is known: ``submit_contact`` always opens a request
(matching the customer by address, case-insensitively, or creating them) and
``send_sign_in_link`` mails a link only to a known address yet returns nothing either way.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction

from csops.errors import InvalidInput, NotFound
from policies.models import Category
from staffing.models import Team
from tickets.attachments.services import FileLike, attach, check_files
from tickets.mail.acknowledgments import acknowledge
from tickets.models import Channel, Customer, Ticket, TicketEvent
from tickets.models.events import ActorRole, EventType
from tickets.portal import links, selectors
from tickets.services import customers, tickets


def intake_team() -> Team:
    """``PORTAL_TEAM`` by slug, else the front-line team."""
    teams = Team.objects.all()
    if settings.PORTAL_TEAM:
        teams = teams.filter(slug=settings.PORTAL_TEAM)
    team = teams.order_by("tier", "pk").first()
    if team is None:
        raise InvalidInput("Support is not set up to take requests yet. Please try again later.")
    return team


@transaction.atomic
def open_request(
    *,
    email: str,
    name: str,
    subject: str,
    message: str,
    category: Category | None,
    channel: str,
    attachments: Sequence[FileLike] = (),
) -> Ticket:
    """A customer's new request (the contact form: channel web; the portal: channel portal),
    with its files (checked first: a refused file records nothing) and its acknowledgment
    queued in the same transaction."""
    files = check_files(attachments)
    customer = customers.find_or_create_customer(by=None, email=email, name=name)
    ticket = tickets.create_ticket(
        by=None,
        requester=customer,
        subject=subject,
        description=message,
        team=intake_team(),
        channel=channel,
        category=category,
    )
    attach(_latest_customer_message(ticket), files)
    acknowledge(ticket)
    return ticket


def _latest_customer_message(ticket: Ticket) -> TicketEvent:
    """The customer's message just written: the opening one or a public reply."""
    event = (
        TicketEvent.objects.filter(
            ticket=ticket,
            actor_role=ActorRole.CUSTOMER,
            type__in=(EventType.CREATED, EventType.PUBLIC_REPLY),
        )
        .order_by("-pk")
        .first()
    )
    if event is None:  # the services above always write one; never reached
        raise NotFound("The message was not recorded.")
    return event


def sign_in_body(link: str) -> str:
    hours = max(1, settings.PORTAL_LINK_MAX_AGE_SECONDS // 3600)
    return (
        "Hello,\n\n"
        "Someone (we hope you) asked for a link to your support requests.\n"
        f"Open them here (the link works for {hours} hour{'s' if hours != 1 else ''}):\n"
        f"{link}\n\n"
        "If you did not ask for it, ignore this mail: nothing happens without the link.\n\n"
        "This message was sent automatically."
    )


def send_sign_in_link(email: str) -> None:
    """Mail a magic link to ``email`` if a customer has that address; do nothing otherwise.
    The mail goes straight to the mail backend (it belongs to no ticket and a lost one is
    asked for again); the caller answers the same either way."""
    address = links.normalize(email)
    customer = Customer.objects.with_email(address).first()
    if customer is None:
        return
    message = EmailMessage(
        subject="Your link to your support requests",
        body=sign_in_body(links.magic_link(address)),
        to=[customer.email],
        headers={"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All"},
    )
    message.send()


@transaction.atomic
def reply(email: str, ticket_id: int, body: str, attachments: Sequence[FileLike] = ()) -> Ticket:
    """The customer's answer from the portal: a customer public reply (channel portal) through
    ``tickets.services.tickets.customer_reply``, with its files; on a closed request that
    opens a follow-up (returned)."""
    ticket = selectors.request_for(email, ticket_id)
    if ticket is None:
        raise NotFound("This request does not exist.")
    files = check_files(attachments)
    answered = tickets.customer_reply(
        ticket.pk, customer=ticket.requester, body=body, channel=Channel.PORTAL
    )
    attach(_latest_customer_message(answered), files)
    return answered
