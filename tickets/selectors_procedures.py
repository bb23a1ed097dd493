"""Reads for the workspace's procedures panel and the reply box's macros."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User

from csops.people import display_name
from policies.models import Macro, PolicyVersion
from policies.selectors_documents import current_versions
from tickets.models import Ticket, TicketEvent, TicketPolicyRecord
from tickets.models.events import EventType


@dataclass(frozen=True)
class Step:
    index: int
    text: str
    done: bool


@dataclass(frozen=True)
class Procedure:
    version: PolicyVersion
    steps: list[Step]

    @property
    def done_count(self) -> int:
        return sum(1 for s in self.steps if s.done)


def workspace_procedures(ticket: Ticket) -> list[Procedure]:
    """The versions in force for the ticket's category and tags, with the ticks so far."""
    tag_ids = [t.pk for t in ticket.tags.all()]
    versions = current_versions(category_id=ticket.category_id, tag_ids=tag_ids)
    if not versions:
        return []
    ticks: dict[tuple[int, int], bool] = {}
    log = TicketEvent.objects.filter(ticket=ticket, type=EventType.CHECKLIST_TICKED).order_by("pk")
    for data in log.values_list("data", flat=True):
        ticks[(data.get("version"), data.get("step"))] = bool(data.get("checked"))
    return [
        Procedure(
            version=v,
            steps=[
                Step(i, text, ticks.get((v.pk, i), False)) for i, text in enumerate(v.checklist)
            ],
        )
        for v in versions
    ]


def policy_records(ticket: Ticket) -> list[TicketPolicyRecord]:
    return list(
        TicketPolicyRecord.objects.filter(ticket=ticket).select_related("version__document")
    )


def active_macros() -> list[Macro]:
    return list(Macro.objects.filter(active=True).order_by("title"))


def macro_values(ticket: Ticket, user: User) -> dict[str, str]:
    """The fixed placeholder values of ``policies.markup.PLACEHOLDERS`` for this ticket."""
    return {
        "customer_name": ticket.requester.name,
        "customer_email": ticket.requester.email,
        "ticket_number": str(ticket.pk),
        "ticket_subject": ticket.subject,
        "agent_name": display_name(user),
        "team_name": ticket.team.name,
    }
