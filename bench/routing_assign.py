"""Automatic assignment: what it adds to ticket creation, at 1,000,000 tickets and 100 reps.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/csops_bench_1m_h5 \\
        .venv/bin/python bench/routing_assign.py [--tickets 300]

Needs a seeded database (``seed_demo --tickets 1000000``; use a copy of your own, e.g.
``createdb -T csops_bench_1m csops_bench_1m_h5`` then ``migrate``: the script adds two
teams, 100 reps and the tickets it creates). Each of the 100 reps gets 3 open tickets of
mixed priority first, so the load aggregate has rows to add up.

It creates tickets through ``tickets.services.create_ticket`` (one transaction each, as the
web form and the mail ingest do), alternating between a manual team and a routed team with
the same 100 members, so both see the same machine load; per routing mode it prints the
p50/p95 of each and the difference (the time routing adds), and the SQL queries one creation
runs in each. Traffic stays in-process; every loop is bounded.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csops.settings")

REPS = 100
MODES = ("least_loaded", "round_robin", "skills")


def show(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    h = (len(s) - 1) * p
    lo = int(h)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (h - lo) * (s[hi] - s[lo])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tickets", type=int, default=300, help="Per team and mode.")
    args = parser.parse_args()

    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from staffing.models import Availability, PersonSkill, Skill, StaffProfile, Team
    from tickets.models import Customer, Ticket
    from tickets.routing.models import RoutingSettings, SkillRule
    from tickets.services import create_ticket

    total = Ticket.objects.count()
    show(f"database: {connection.settings_dict['NAME']}, {total:,} tickets")
    rep_group = Group.objects.get(name="Rep")
    manual, _ = Team.objects.get_or_create(slug="bench-manual", defaults={"name": "Bench manual"})
    routed, _ = Team.objects.get_or_create(slug="bench-routed", defaults={"name": "Bench routed"})
    people = []
    now = timezone.now()
    for i in range(REPS):
        user, made = User.objects.get_or_create(
            username=f"bench-rep-{i:03d}", defaults={"first_name": "Bench", "last_name": f"{i}"}
        )
        if made:
            user.groups.add(rep_group)
            StaffProfile.objects.get_or_create(user=user)
        Availability.objects.update_or_create(
            user=user, defaults={"status": "available", "changed_at": now}
        )
        people.append(user)
    manual.members.add(*people)
    routed.members.add(*people)
    german, _ = Skill.objects.get_or_create(kind="language", name="Bench German")
    for user in people[::2]:
        PersonSkill.objects.get_or_create(user=user, skill=german, defaults={"granted_at": now})
    rule, _ = SkillRule.objects.get_or_create(name="Bench German", team=routed, language="de")
    rule.skills.set([german])
    customer = Customer.objects.order_by("pk").first()
    # Existing load: 3 open tickets of mixed priority per rep (taken from the seeded backlog).
    if not Ticket.objects.filter(assignee__in=people, status__in=("new", "open")).exists():
        pool = list(
            Ticket.objects.filter(status="open")
            .order_by("pk")
            .values_list("pk", flat=True)[: 3 * REPS]
        )
        for n, pk in enumerate(pool):
            Ticket.objects.filter(pk=pk).update(assignee=people[n % REPS])

    def create(team: Team, n: int, language: str = "") -> float:
        start = time.perf_counter()
        create_ticket(
            by=None,
            requester=customer,
            subject=f"Bench {n}",
            description="Where is my order?",
            team=team,
            priority=("normal", "high", "low", "urgent")[n % 4],
            language=language,
        )
        return (time.perf_counter() - start) * 1000

    for mode in MODES:
        RoutingSettings.objects.update_or_create(
            team=routed, defaults={"mode": mode, "capacity": 1000}
        )
        language = "de" if mode == "skills" else ""
        for n in range(20):  # warm-up
            create(manual, n)
            create(routed, n, language)
        base, with_routing = [], []
        for n in range(args.tickets):
            base.append(create(manual, n))
            with_routing.append(create(routed, n, language))
        with CaptureQueriesContext(connection) as q_manual:
            create(manual, 0)
        with CaptureQueriesContext(connection) as q_routed:
            create(routed, 0, language)
        assigned = Ticket.objects.filter(team=routed, assignee__isnull=False).count()
        show(
            f"{mode:13s} manual p50 {pct(base, 0.5):6.1f} ms p95 {pct(base, 0.95):6.1f} ms | "
            f"routed p50 {pct(with_routing, 0.5):6.1f} ms p95 {pct(with_routing, 0.95):6.1f} ms | "
            f"added p50 {pct(with_routing, 0.5) - pct(base, 0.5):+5.1f} ms "
            f"p95 {pct(with_routing, 0.95) - pct(base, 0.95):+5.1f} ms | "
            f"queries {len(q_manual)} -> {len(q_routed)} | assigned so far {assigned}"
        )


if __name__ == "__main__":
    main()
