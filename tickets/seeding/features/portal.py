"""The demo's portal-ready customer: Pat Portal <pat.portal@example.com> has a request from the
contact form that a rep answered (pending, awaiting Pat) and one opened in the portal, so the
portal is not empty after signing in with a link mailed to that address."""

from __future__ import annotations

from django.contrib.auth.models import User

from csops import permissions
from tickets.models import Channel, Status, Ticket
from tickets.portal import services as portal
from tickets.services import tickets

EMAIL = "pat.portal@example.com"


def seed_portal_customer(reps: list[User]) -> int:
    if Ticket.objects.filter(requester__email__iexact=EMAIL).exists():
        return 0
    web = portal.open_request(
        email=EMAIL,
        name="Pat Portal",
        subject="Invoice 2024-118 shows the wrong address",
        message="Hello, my invoice still has our old street. Could you send a corrected one?",
        category=None,
        channel=Channel.WEB,
    )
    rep = next((r for r in reps if permissions.can_work_team(r, web.team_id)), None)
    if rep is not None:
        tickets.reply(
            web.pk,
            by=rep,
            body=(
                "Thanks Pat, we corrected the address. The corrected invoice is in your "
                "account: does it look right now?"
            ),
            new_status=Status.PENDING,
        )
    portal.open_request(
        email=EMAIL,
        name="Pat Portal",
        subject="How do I add a colleague to our account?",
        message="We have a new team member who should also see our orders.",
        category=None,
        channel=Channel.PORTAL,
    )
    return 2
