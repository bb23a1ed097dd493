"""Demo data: a department's staff and ``n`` tickets with realistic event logs.

``seed(n, seed=...)`` is what ``manage.py seed_demo`` runs. Same seed and ``until`` give the
same data. Reference rows (teams, staff, categories, tags, organizations, customers) are
get-or-create, so a second run adds tickets; ``reset=True`` first deletes tickets, events and
customers. PostgreSQL loads with COPY (``postgres.py``), other databases with
``bulk_create`` (``orm.py``); the storylines come from ``storylines.py`` either way.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tickets.seeding import catalog
from tickets.seeding.orm import OrmLoader
from tickets.seeding.postgres import PostgresLoader
from tickets.seeding.reference import ensure_reference_data
from tickets.seeding.storylines import Simulator, creation_instants

# Drop and rebuild indexes when the load is at least this big and adds at least as many
# tickets as the table already holds (PostgreSQL only).
BULK_THRESHOLD = 50_000
CONSUMER_DOMAINS = ("mail.example.com", "inbox.example.net", "post.example.org")


@dataclass(frozen=True)
class SeedResult:
    tickets: int
    events: int
    customers: int
    seconds: float
    bulk: bool


def customer_rows(count: int, organizations: list[tuple[int, str]]) -> list[tuple]:
    """(name, email, organization id) for customer ``0..count-1``; the same index always
    gives the same customer, so re-runs find them by email instead of adding more."""
    firsts, lasts = catalog.FIRST_NAMES, catalog.LAST_NAMES
    rows = []
    for i in range(count):
        first = firsts[(i * 7) % len(firsts)]
        last = lasts[(i * 13 + i // len(firsts)) % len(lasts)]
        if organizations and i % 5 < 3:
            org, domain = organizations[(i * 31) % len(organizations)]
        else:
            org, domain = None, CONSUMER_DOMAINS[i % len(CONSUMER_DOMAINS)]
        rows.append((f"{first} {last}", f"{first}.{last}.{i}@{domain}".lower(), org))
    return rows


def seed(
    n: int,
    *,
    seed: int = 0,
    reset: bool = False,
    until: datetime | None = None,
    log: Callable[[str], None] = lambda message: None,
) -> SeedResult:
    """Create the demo department and ``n`` tickets created over the 180 days to ``until``."""
    started = time.perf_counter()
    until = (until or timezone.now()).astimezone(UTC).replace(microsecond=0)
    n_customers = max(50, n // 5)
    ref = ensure_reference_data(n_organizations=max(20, min(5000, n // 200)))
    loader_class = PostgresLoader if settings.IS_POSTGRES else OrmLoader
    loader = loader_class(log=log)
    with transaction.atomic():
        if reset:
            loader.reset()
        bulk = settings.IS_POSTGRES and n >= max(BULK_THRESHOLD, loader.existing_tickets())
        customers = loader.ensure_customers(
            customer_rows(n_customers, ref.organizations), until - timedelta(days=181)
        )
        log(f"  {len(customers):,} customers ready after {time.perf_counter() - started:.1f} s")
        rng = random.Random(seed)
        until_s = int(until.timestamp())
        simulator = Simulator(rng, ref, customers, until_s)
        tickets = (simulator.ticket(at) for at in creation_instants(rng, n, until_s))
        n_tickets, n_events = loader.load(tickets, n, bulk=bulk)
    analyzed = time.perf_counter()
    loader.analyze()
    log(f"  analyzed in {time.perf_counter() - analyzed:.1f} s")
    return SeedResult(n_tickets, n_events, len(customers), time.perf_counter() - started, bulk)
