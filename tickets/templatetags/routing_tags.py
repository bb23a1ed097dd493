"""The workspace's "Required skills" card (tickets/_required_skills.html), with its own
context so the workspace view does not change: the ticket's routing row with its skills (unless
the ticket came with them) and the active skills to choose from."""

from __future__ import annotations

from django import template

from staffing.models import Skill
from tickets.models import Status, Ticket
from tickets.routing.models import TicketRouting

register = template.Library()


@register.inclusion_tag("tickets/_required_skills.html", takes_context=True)
def required_skills(context, ticket) -> dict:
    if Ticket.routing.is_cached(ticket):  # loaded with the ticket (the workspace's read)
        row = getattr(ticket, "routing", None)
    else:
        row = (
            TicketRouting.objects.filter(ticket=ticket).prefetch_related("required_skills").first()
        )
    chosen = list(row.required_skills.all()) if row else []
    return {
        "ticket": ticket,
        "row": row,
        "chosen": chosen,
        "chosen_ids": {s.pk for s in chosen},
        # The editor's options: a closed ticket shows no editor.
        "choices": list(Skill.objects.filter(active=True).order_by("kind", "name"))
        if ticket.status != Status.CLOSED
        else [],
        "csrf_token": context.get("csrf_token"),
    }
