"""Bulk action benchmark: 1,000 tickets changed through the bulk job, with progress.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/csops_h6_bench \\
        .venv/bin/python bench/bulk.py [--tickets 1000] [--kind priority|status|assign]

Needs a seeded database (``seed_demo --tickets 10000``). Picks ``--tickets`` unresolved tickets
of the demo ``manager``'s teams, starts one bulk action as that manager (``tickets.bulk``:
one ticket service call per ticket, with the version the "queue" saw), then runs the job
exactly as a worker does (``tickets.jobs.run_bulk_action`` until it stops asking to run
again), reading the progress row between batches as the progress page does. Prints the
total time (goal: under 60 s for 1,000), tickets per second, the per-batch time and how
many were refused. The tickets' priorities are changed (flipped high/normal) in that
database: use a database of your own.
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


def show(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tickets", type=int, default=1000)
    parser.add_argument("--kind", default="priority", choices=["priority", "status", "assign"])
    args = parser.parse_args()

    import django

    django.setup()
    from django.contrib.auth.models import User

    from tickets.bulk import services as bulk
    from tickets.bulk.models import BulkAction
    from tickets.jobs import run_bulk_action
    from tickets.models import Ticket

    manager = User.objects.get(username="manager")
    teams = list(manager.managed_teams.values_list("pk", flat=True))
    rows = list(
        Ticket.objects.filter(team_id__in=teams, status__in=["new", "open", "pending"])
        .order_by("-updated_at")
        .values_list("pk", "version", "priority")[: args.tickets]
    )
    if len(rows) < args.tickets:
        show(f"only {len(rows)} unresolved tickets in the manager's teams")
    params = {
        "priority": {"priority": "high" if rows and rows[0][2] != "high" else "normal"},
        "status": {"status": "pending"},
        "assign": {"assignee": manager.pk},
    }[args.kind]
    versions = {pk: v for pk, v, _ in rows}
    started = time.perf_counter()
    action = bulk.start(
        by=manager, kind=args.kind, params=params, ticket_ids=list(versions), versions=versions
    )
    batches: list[float] = []
    polls = 0
    while True:
        t0 = time.perf_counter()
        again = run_bulk_action({"bulk": action.pk})
        batches.append(time.perf_counter() - t0)
        progress = BulkAction.objects.get(pk=action.pk)  # what the progress page reads
        polls += 1
        show(f"  {progress.done}/{progress.total} ({progress.percent}%) after {batches[-1]:.2f} s")
        if again is None:
            break
    total = time.perf_counter() - started
    action.refresh_from_db()
    show(
        f"bulk {args.kind} on {action.total} tickets: {total:.1f} s "
        f"({action.total / total:.0f} tickets/s), {len(batches)} batches of {bulk.BATCH} "
        f"(max {max(batches):.2f} s), {action.succeeded} succeeded, {action.refused} refused"
    )


if __name__ == "__main__":
    main()
