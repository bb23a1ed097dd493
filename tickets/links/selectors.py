"""Reads for the links panel: every link of a ticket, as it reads from that ticket's side."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from tickets.links.models import REVERSE_LABEL, LinkKind, TicketLink
from tickets.models import Ticket


@dataclass(frozen=True)
class LinkRow:
    link_id: int
    label: str  # "Parent of", "Child of", "Duplicate of", "Duplicated by", "Related to",
    # "Follow-up of", "Followed up by"
    other: Ticket
    removable: bool = True  # a follow-up link stays


_UNSHOWN = ("description", "search_vector")  # long texts the panel never shows


def links_of(ticket: Ticket) -> list[LinkRow]:
    """One query, both directions. The other ticket is loaded whatever the person's scope
    (a link may cross teams); the panel shows its number, subject and status only."""
    rows = (
        TicketLink.objects.filter(Q(source=ticket) | Q(target=ticket))
        .select_related("source", "target")
        .defer(*(f"{end}__{f}" for end in ("source", "target") for f in _UNSHOWN))
    )
    out = []
    for link in rows.order_by("kind", "pk"):
        kind = LinkKind(link.kind)
        removable = kind != LinkKind.FOLLOW_UP
        if link.source_id == ticket.pk:
            out.append(LinkRow(link.pk, kind.label, link.target, removable))
        else:
            out.append(LinkRow(link.pk, REVERSE_LABEL[kind], link.source, removable))
    return out
