"""Count arrivals per half hour from the event log: new events, or all of them (--refold)."""

from django.core.management.base import BaseCommand

from kpis.forecast import fold


class Command(BaseCommand):
    help = "Fold the event log's arrivals into half-hour counts (the planning forecast's input)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--refold", action="store_true", help="Recount everything.")

    def handle(self, *args, refold: bool = False, **options) -> None:
        span = fold.refold() if refold else fold.fold_arrivals(settle=False)
        self.stdout.write(f"Folded arrivals over {span} event ids.")
