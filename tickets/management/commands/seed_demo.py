"""``manage.py seed_demo --tickets N [--seed S] [--reset]``: the demo department and N
tickets with realistic histories (see ``tickets.seeding``)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.dateparse import parse_datetime

from tickets.models import Ticket
from tickets.seeding import catalog, seed


class Command(BaseCommand):
    help = (
        "Create demo teams, staff (password 'csops-demo' for rep, rep2, manager, director, "
        "admin and the generated reps), customers and N tickets with event logs spread over "
        "the last 180 days. Same --seed and --until give the same data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tickets", type=int, default=2000, help="How many tickets to add.")
        parser.add_argument("--seed", type=int, default=0, help="Random seed (default 0).")
        parser.add_argument(
            "--reset", action="store_true", help="Delete tickets, events and customers first."
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Add tickets only if there are none yet (what scripts/run uses on every start).",
        )
        parser.add_argument(
            "--until",
            help="ISO 8601 instant the history ends at (default: now); fixes the data exactly.",
        )

    def handle(self, *args, **options) -> None:
        n = options["tickets"]
        if n < 0:
            raise CommandError("--tickets must be 0 or more.")
        until = None
        if options["until"]:
            until = parse_datetime(options["until"])
            if until is None or until.tzinfo is None:
                raise CommandError("--until must be an ISO 8601 instant with a UTC offset.")
        log = self.stdout.write if options["verbosity"] >= 1 else _quiet
        if options["if_empty"] and Ticket.objects.exists():
            log("Demo data is already there; nothing to seed.")
            return
        log(f"Seeding {n:,} tickets (seed {options['seed']})...")
        result = seed(n, seed=options["seed"], reset=options["reset"], until=until, log=log)
        rate = result.events / result.seconds if result.seconds else 0
        log(
            self.style.SUCCESS(
                f"Seeded {result.tickets:,} tickets and {result.events:,} events for "
                f"{result.customers:,} customers in {result.seconds:.1f} s ({rate:,.0f} events/s"
                f"{', bulk index rebuild' if result.bulk else ''})."
            )
        )
        if result.sla_created:
            log(
                "Created the demo business calendar and SLA policies (in force since the "
                "history began)."
            )
        log(
            f"Demo logins (password '{catalog.DEMO_PASSWORD}'): rep, rep2, manager, director, admin"
        )


def _quiet(message: str) -> None:
    return None
