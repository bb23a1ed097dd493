"""Rules other ticket services ask about links, with no import of the link services: where
a merged ticket's mail goes, and whether a parent may be solved while children are open."""

from __future__ import annotations

from csops.errors import Conflict
from policies.ticket_log import RESOLVED
from tickets.links.models import LinkKind, TicketLink
from tickets.models import Ticket

MAX_MERGE_HOPS = 20  # a chain longer than this is a data error; stop following it


class OpenChildren(Conflict):
    """A parent was being solved while some of its children are still open."""

    code = "open_children"


def resolve_merged(ticket: Ticket) -> Ticket:
    """The ticket where ``ticket``'s conversation continues: itself unless it was merged,
    else the survivor (following merges of merges). Inbound mail threading to a merged ticket
    calls this (``tickets.services.customer_reply`` does)."""
    hops = 0
    while ticket.merged_into_id is not None and hops < MAX_MERGE_HOPS:
        ticket = Ticket.objects.get(pk=ticket.merged_into_id)
        hops += 1
    return ticket


def open_children(ticket_id: int) -> list[int]:
    """Ids of the ticket's child tickets that are not solved or closed."""
    return list(
        TicketLink.objects.filter(source_id=ticket_id, kind=LinkKind.PARENT)
        .exclude(target__status__in=sorted(RESOLVED))
        .order_by("target_id")
        .values_list("target_id", flat=True)
    )


def ensure_children_done(ticket: Ticket, new_status: str | None, *, confirmed: bool) -> None:
    """Refuse to solve (or close) a parent with open children unless the person confirmed."""
    if confirmed or not new_status or new_status not in RESOLVED or ticket.status in RESOLVED:
        return
    children = open_children(ticket.pk)
    if children:
        listed = ", ".join(f"#{pk}" for pk in children)
        raise OpenChildren(
            f"Ticket #{ticket.pk} has open child tickets ({listed}). Confirm to solve it anyway.",
            fields={"confirm_open_children": [f"Open children: {listed}."]},
        )
