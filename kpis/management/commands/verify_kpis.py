"""``manage.py verify_kpis [--start DATE --end DATE]``: stored rollups against a fresh fold."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kpis import verify


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"Not a date (YYYY-MM-DD): {text!r}") from exc


class Command(BaseCommand):
    help = (
        "Compare the stored KPI rollups of a date range (default: every day) with a fresh "
        "computation from the ticket metric rows; print the rows that differ. Exits 1 when "
        "any row differs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--start", type=_date, help="First day (YYYY-MM-DD).")
        parser.add_argument("--end", type=_date, help="Last day (YYYY-MM-DD).")

    def handle(self, *args, **options) -> None:
        try:
            found = verify.differences(options["start"], options["end"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        for difference in found:
            self.stdout.write(str(difference))
        waiting = verify.pending()
        if waiting:
            self.stdout.write(
                f"{waiting} bucket(s) await their fold: their rows may differ until it runs."
            )
        if found:
            raise CommandError(f"{len(found)} rollup row(s) differ from a fresh computation.")
        self.stdout.write(self.style.SUCCESS("The stored rollups equal a fresh computation."))
