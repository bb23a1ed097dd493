"""Plain-data view of a ticket's event log, shared by the pure engines.

The SLA engine (``policies.sla``) and the per-ticket metrics (``kpis.metrics``) take a
sequence of :class:`LogEvent` and never touch the ORM. ``tickets`` converts its
``TicketEvent`` rows into these; nothing here imports Django.

Event types and their ``data`` keys (KPI_SPEC.md §2):

=================  ==========================================================
``created``        channel, priority, team, initiated_by ("customer"|"agent"),
                   assignee (optional)
``status_changed`` from, to (status names, see ``STATUSES``)
``public_reply``   (actor_role says who: agent, customer or system)
``internal_note``  (none)
``assigned``       assignee (user id or None), team (optional: team id)
``escalated``      tier, reason
``priority_changed`` from, to (priority names or None)
``merged_into``    into (the surviving ticket's id): the ticket closes without a solve
                   and leaves the reply and resolution metrics (tickets/links/README.md)
=================  ==========================================================

Other types (tags, category, checklist ticks, ...) may appear in the log; the engines
ignore types they do not know.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

CREATED = "created"
STATUS_CHANGED = "status_changed"
PUBLIC_REPLY = "public_reply"
INTERNAL_NOTE = "internal_note"
ASSIGNED = "assigned"
ESCALATED = "escalated"
PRIORITY_CHANGED = "priority_changed"
MERGED_INTO = "merged_into"

AGENT = "agent"
CUSTOMER = "customer"
SYSTEM = "system"

STATUSES = ("new", "open", "pending", "on_hold", "solved", "closed")
UNRESOLVED = frozenset({"new", "open", "pending", "on_hold"})
RESOLVED = frozenset({"solved", "closed"})
PRIORITIES = ("low", "normal", "high", "urgent")


@dataclass(frozen=True, slots=True)
class LogEvent:
    """One immutable entry of a ticket's log.

    ``seq`` gives the total order; ``at`` is an aware UTC datetime truncated to whole
    seconds and non-decreasing in ``seq``. ``actor_id`` is the user or customer id, or None
    for the system.
    """

    seq: int
    at: datetime
    type: str
    actor_role: str = SYSTEM
    actor_id: int | None = None
    data: Mapping[str, Any] = field(default_factory=dict)
