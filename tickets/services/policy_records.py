"""The policy versions in force for a ticket, recorded at its creation and at each solve
(called inside the ticket services' transactions, so a record exists iff the action does)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.utils import timezone

from policies.selectors_documents import current_versions
from tickets.models import Ticket, TicketPolicyRecord


def record_policy_versions(
    ticket: Ticket, moment: str, at: datetime, *, tag_ids: Iterable[int] | None = None
) -> list[TicketPolicyRecord]:
    if tag_ids is None:
        tag_ids = ticket.tags.values_list("pk", flat=True)
    versions = current_versions(
        category_id=ticket.category_id, tag_ids=list(tag_ids), today=timezone.localdate(at)
    )
    if not versions:
        return []
    rows = [TicketPolicyRecord(ticket=ticket, version=v, moment=moment, at=at) for v in versions]
    return TicketPolicyRecord.objects.bulk_create(rows)
