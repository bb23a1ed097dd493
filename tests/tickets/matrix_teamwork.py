"""Matrix rows for collision, merge and link, bulk work and saved views (issue 15)."""

from __future__ import annotations

from tests.matrix import Row, staff
from tests.tickets.matrix import ticket_kwargs

ROWS: dict[str, Row] = {
    # Presence writes only to the short-lived cache, never to a ticket: no snapshot to keep.
    "tickets:ticket-presence": Row(
        "post", staff(200, rep_other_team=404), kwargs=ticket_kwargs, data=lambda ctx: {}
    ),
    "tickets:ticket-presence-leave": Row(
        "post", staff(204, rep_other_team=404), kwargs=ticket_kwargs
    ),
}
