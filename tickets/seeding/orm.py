"""Bulk load through the ORM (``bulk_create`` in batches): the embedded SQLite mode.

Works on any database; PostgreSQL uses ``postgres.PostgresLoader`` instead, which also fills
``search_vector`` (SQLite searches with LIKE and has no such column to fill).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from itertools import islice

from django.db import connection

from tickets.models import (
    Customer,
    SlaAlert,
    Ticket,
    TicketEvent,
    TicketSlaBreach,
    TicketSlaInstance,
)
from tickets.seeding.simulate import PRIORITY_RANK, SimTicket
from tickets.seeding.sla_state import LiveClocks

BATCH_TICKETS = 500


def _dt(t: int | None) -> datetime | None:
    return None if t is None else datetime.fromtimestamp(t, UTC)


class OrmLoader:
    def __init__(self, *, log: Callable[[str], None]) -> None:
        self.log = log

    def reset(self) -> None:
        TicketEvent.objects.all().delete()
        Ticket.tags.through.objects.all().delete()
        Ticket.objects.all().delete()
        Customer.objects.all().delete()

    def existing_tickets(self) -> int:
        return Ticket.objects.count()

    def ensure_customers(
        self, rows: list[tuple[str, str, int | None]], created_at: datetime
    ) -> list[int]:
        ids = {email.lower(): pk for email, pk in Customer.objects.values_list("email", "pk")}
        missing = [
            Customer(name=name, email=email, organization_id=org)
            for name, email, org in rows
            if email.lower() not in ids
        ]
        Customer.objects.bulk_create(missing, batch_size=500)
        Customer.objects.filter(pk__in=[c.pk for c in missing if c.pk]).update(
            created_at=created_at
        )
        ids = {email.lower(): pk for email, pk in Customer.objects.values_list("email", "pk")}
        return [ids[email.lower()] for _, email, _ in rows]

    def load(
        self,
        tickets: Iterable[SimTicket],
        n: int,
        *,
        bulk: bool,
        clocks: LiveClocks | None = None,
    ) -> tuple[int, int]:
        done_tickets = done_events = 0
        it = iter(tickets)
        through = Ticket.tags.through
        while batch := list(islice(it, BATCH_TICKETS)):
            rows = Ticket.objects.bulk_create(
                [
                    Ticket(
                        subject=tk.subject,
                        description=tk.description,
                        status=tk.status,
                        priority=tk.priority,
                        priority_rank=PRIORITY_RANK[tk.priority],
                        channel=tk.channel,
                        team_id=tk.team_id,
                        assignee_id=tk.assignee_id,
                        requester_id=tk.requester_id,
                        category_id=tk.category_id,
                        initiated_by=tk.initiated_by,
                        created_at=_dt(tk.created_at),
                        updated_at=_dt(tk.updated_at),
                        solved_at=_dt(tk.solved_at),
                        version=tk.version,
                        sla_policy_version_id=tk.sla_policy_version_id,
                        calendar_version_id=tk.calendar_version_id,
                    )
                    for tk in batch
                ]
            )
            events, links = [], []
            live = {}
            for row, tk in zip(rows, batch, strict=True):
                if clocks is not None and (c := clocks.of(tk, row.pk)) is not None:
                    live[row.pk] = c
            for row, tk in zip(rows, batch, strict=True):
                events += [
                    TicketEvent(
                        ticket_id=row.pk,
                        at=_dt(at),
                        type=type_,
                        actor_role=role,
                        actor_id=actor,
                        customer_id=customer,
                        data=json.loads(data),
                        body=body,
                    )
                    for at, type_, role, actor, customer, data, body in tk.events
                ]
                links += [through(ticket_id=row.pk, tag_id=tag) for tag in tk.tag_ids]
            TicketEvent.objects.bulk_create(events, batch_size=1000)
            through.objects.bulk_create(links, batch_size=1000)
            self._store_clocks(live)
            done_tickets += len(batch)
            done_events += len(events)
        return done_tickets, done_events

    def _store_clocks(self, live: dict) -> None:
        for name, model in (
            ("instances", TicketSlaInstance),
            ("breaches", TicketSlaBreach),
            ("alerts", SlaAlert),
        ):
            rows = [model(**values) for c in live.values() for values in getattr(c, name)]
            model.objects.bulk_create(rows, batch_size=500)
        Ticket.objects.bulk_update(
            [Ticket(pk=pk, next_sla_due_at=c.next_due) for pk, c in live.items() if c.next_due],
            ["next_sla_due_at"],
            batch_size=500,
        )

    def analyze(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
