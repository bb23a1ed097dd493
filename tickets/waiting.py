"""Ticket work that waits for a person (csops.waiting): escalations to accept, own tickets."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from csops import permissions
from csops.roles import Role
from csops.waiting import Waiting, provider
from policies.ticket_log import UNRESOLVED
from tickets.models import Ticket
from tickets.models.escalations import EscalationState
from tickets.selectors_escalations import board_escalations


@provider
def ticket_work(user: User) -> list[Waiting]:
    if not permissions.is_staff_member(user):
        return []
    mine = Ticket.objects.filter(assignee=user, status__in=sorted(UNRESOLVED))
    items = [
        Waiting(
            "tickets.mine",
            "Your unsolved tickets",
            mine.count(),
            f"{reverse('tickets:queue')}?view=mine",
            overdue=mine.filter(next_sla_due_at__lt=timezone.now()).count(),
        )
    ]
    if permissions.has_role(user, Role.MANAGER):
        to_accept = board_escalations(user).filter(state=EscalationState.OPEN)
        items.append(
            Waiting(
                "tickets.escalations",
                "Escalations to accept",
                to_accept.count(),
                reverse("tickets:escalation-board"),
            )
        )
    return items
