"""Demo data: a department's staff and ``n`` tickets with realistic event logs.

``seed(n, seed=...)`` is what ``manage.py seed_demo`` runs. Same seed and ``until`` give the
same data. Reference rows (teams, staff, categories, tags, organizations, customers) are
get-or-create, so a second run adds tickets; ``reset=True`` first deletes tickets, events and
customers. PostgreSQL loads with COPY (``postgres.py``), other databases with
``bulk_create`` (``orm.py``); the storylines come from ``storylines.py`` either way.

Before the tickets, the demo's calendar and SLA policies are put in force from the start of
the history (``sla_demo``), so each ticket records its versions; after them, the unresolved
tickets' live clocks are stored (``sla_state``) and a fixed, small set of records of every
other feature is made around the same people, teams and dates (``features``).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import chain

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from tickets.seeding import catalog
from tickets.seeding.features import seed_features
from tickets.seeding.orm import OrmLoader
from tickets.seeding.postgres import PostgresLoader
from tickets.seeding.reference import ensure_reference_data
from tickets.seeding.sla_demo import SlaChooser, ensure_demo_sla
from tickets.seeding.sla_state import LiveClocks
from tickets.seeding.storylines import WORKLOAD, Simulator, creation_instants

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
    sla_created: bool = False


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
    features: bool = True,
) -> SeedResult:
    """Create the demo department and ``n`` tickets created over the 180 days to ``until``,
    then (``features``) the other features' records, some of them through the services at
    the current time."""
    started = time.perf_counter()
    until = (until or timezone.now()).astimezone(UTC).replace(microsecond=0)
    n_customers = max(50, n // 5)
    ref = ensure_reference_data(n_organizations=max(20, min(5000, n // 200)))
    since = until - timedelta(days=181)
    sla_created = ensure_demo_sla(User.objects.get(username="director"), since=since)
    loader_class = PostgresLoader if settings.IS_POSTGRES else OrmLoader
    loader = loader_class(log=log)
    with transaction.atomic():
        if reset:
            loader.reset()
        bulk = settings.IS_POSTGRES and n >= max(BULK_THRESHOLD, loader.existing_tickets())
        rows = customer_rows(n_customers, ref.organizations)
        customers = loader.ensure_customers(rows, since)
        log(f"  {len(customers):,} customers ready after {time.perf_counter() - started:.1f} s")
        org_of = {pk: org for pk, (_, _, org) in zip(customers, rows, strict=True)}
        rng = random.Random(seed)
        until_s = int(until.timestamp())
        simulator = Simulator(rng, ref, customers, until_s, sla=SlaChooser(org_of))
        tickets = _storylines(simulator, rng, n, until_s)
        clocks = LiveClocks(timezone.now())
        n_tickets, n_events = loader.load(tickets, n, bulk=bulk, clocks=clocks)
    analyzed = time.perf_counter()
    loader.analyze()
    log(f"  analyzed in {time.perf_counter() - analyzed:.1f} s")
    if features:
        featured = time.perf_counter()
        n_events += seed_features(seed=seed, until=until, log=log).get("ticket events", 0)
        log(f"  feature records made in {time.perf_counter() - featured:.1f} s")
    seconds = time.perf_counter() - started
    return SeedResult(n_tickets, n_events, len(customers), seconds, bulk, sla_created)


def _storylines(simulator: Simulator, rng: random.Random, n: int, until_s: int) -> Iterator:
    """``n`` tickets in creation order, the demo reps' workload last (drawn lazily, so the
    same seed gives the same tickets whatever thread consumes them)."""
    demo_reps = list(
        User.objects.filter(username__in=("rep", "rep2"))
        .order_by("username")
        .values_list("pk", flat=True)
    )
    n_workload = min(n // 20, sum(c for _, c in WORKLOAD) * len(demo_reps))
    instants = creation_instants(rng, n - n_workload, until_s)

    def workload() -> Iterator:
        yield from simulator.workload(demo_reps, n_workload)

    return chain((simulator.ticket(at) for at in instants), workload())
