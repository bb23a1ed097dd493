"""Follow an incident, confirm, unfollow, and mail followers an incident's updates.

Every function takes what a customer typed or a signed token, never a user. The mails go
through the outbox (``tickets.mail``: one row and one send job each, in the caller's
transaction), so a committed update always has its mails and each is sent once.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from csops.errors import InvalidInput, InvalidTransition, NotFound
from tickets.followers import links
from tickets.followers.models import IncidentFollower
from tickets.mail import compose
from tickets.mail import services as outbox
from tickets.mail.models import MessageKind, OutboundMessage
from tickets.models import Incident
from tickets.models.incidents import IncidentState

NOT_OPEN = "This incident is not open to followers."


def normalize(email: str) -> str:
    return email.strip().lower()


def _queue(*, to: str, subject: str, body: str, reference: str, headers: dict | None = None):
    message = OutboundMessage.objects.create(
        kind=MessageKind.INCIDENT_NOTICE,
        recipients=[to],
        auto_recipient=to,
        subject=subject[:255],
        body=body,
        headers=headers or {},
        message_id=compose.new_staff_message_id(reference),
        created_at=timezone.now(),
    )
    outbox.enqueue(message)
    return message


def followable(incident_id: int) -> Incident:
    """The incident if it is open and public; NotFound otherwise (a private incident is not
    told apart from one that does not exist)."""
    incident = Incident.objects.filter(
        pk=incident_id, public=True, state=IncidentState.OPEN
    ).first()
    if incident is None:
        raise NotFound(NOT_OPEN)
    return incident


def confirm_body(incident: Incident, link: str) -> str:
    hours = max(1, settings.FOLLOW_LINK_MAX_AGE_SECONDS // 3600)
    return (
        "Hello,\n\n"
        f'Someone (we hope you) asked to follow "{incident.title}" by email.\n'
        f"Confirm here (the link works for {hours} hours):\n<{link}>\n\n"
        "If you did not ask for it, ignore this mail: nothing is sent without the link.\n\n"
        "This message was sent automatically."
    )


@transaction.atomic
def request_follow(incident_id: int, email: str) -> None:
    """Mail ``email`` a link that confirms following the incident. The same whether or not
    the address already follows it (the answer tells nothing about an address)."""
    incident = followable(incident_id)
    address = normalize(email)
    if "@" not in address or len(address) > 254:
        raise InvalidInput(
            "Enter a valid email address.", fields={"email": ["Enter a valid email address."]}
        )
    _queue(
        to=address,
        subject=f"Confirm: follow “{incident.title}”",
        body=confirm_body(incident, links.confirm_link(incident.pk, address)),
        reference=f"i{incident.pk}.follow",
    )


@transaction.atomic
def confirm(token: str) -> IncidentFollower:
    """Follow the incident the link names with its address (again, after an unfollow).
    Confirming twice is the same as once."""
    incident_id, address = links.read_confirm_token(token)
    incident = Incident.objects.filter(pk=incident_id, public=True).first()
    if incident is None:
        raise NotFound(NOT_OPEN)
    if not incident.is_open:
        raise InvalidTransition(f"“{incident.title}” is resolved: there is nothing to follow.")
    follower, created = IncidentFollower.objects.get_or_create(
        incident=incident, email=address, defaults={"confirmed_at": timezone.now()}
    )
    if not created and follower.unfollowed_at is not None:
        follower.unfollowed_at, follower.confirmed_at = None, timezone.now()
        follower.save(update_fields=["unfollowed_at", "confirmed_at"])
    return follower


def follower_of(token: str) -> IncidentFollower:
    follower = (
        IncidentFollower.objects.select_related("incident")
        .filter(pk=links.read_unfollow_token(token))
        .first()
    )
    if follower is None:
        raise links.FollowLinkInvalid("This unsubscribe link is not valid.")
    return follower


@transaction.atomic
def unfollow(token: str) -> IncidentFollower:
    """Stop the mails of the follower the link names (again: nothing changes)."""
    follower = follower_of(token)
    if follower.unfollowed_at is None:
        follower.unfollowed_at = timezone.now()
        follower.save(update_fields=["unfollowed_at"])
    return follower


def notice_body(incident: Incident, text: str, *, resolved: bool, unfollow: str) -> str:
    help_url = settings.CSOPS_PUBLIC_URL.rstrip("/") + reverse("help:home")
    state = "is resolved" if resolved else "has an update"
    return (
        "Hello,\n\n"
        f'"{incident.title}" {state}:\n\n'
        f"{text}\n\n"
        f"Service status on our help center: <{help_url}>\n\n"
        "You get this mail because you follow this incident. "
        f"Stop these mails: <{unfollow}>\n\n"
        "This message was sent automatically."
    )


def notify_followers(incident: Incident, text: str, *, resolved: bool = False) -> int:
    """Queue ``text`` to every follower of the incident (call in the transaction that posted
    the update or the resolution). Returns how many mails were queued."""
    followers = IncidentFollower.objects.filter(incident=incident, unfollowed_at__isnull=True)
    prefix = "Resolved" if resolved else "Update"
    queued = 0
    for follower in followers.order_by("pk"):
        unfollow_url = links.unfollow_link(follower.pk)
        _queue(
            to=follower.email,
            subject=f"[{prefix}] {incident.title}",
            body=notice_body(incident, text, resolved=resolved, unfollow=unfollow_url),
            reference=f"i{incident.pk}.f{follower.pk}",
            headers={
                "List-Unsubscribe": f"<{unfollow_url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
        queued += 1
    return queued
