"""The daily backlog (KPI_SPEC.md §6, §9.15): per-ticket spans and per-day counts.

``TicketBacklogSpan`` rows are written with a ticket's metric rows (``kpis.refresh``): the
spans of ``kpis.backlog`` with the reporting days they count in. ``DailyBacklog`` holds, per
ended reporting day and dimensions (levels as ``DailyRollup``: full cube, without the agent,
by team, all), the tickets in the backlog at the start of the next day, the actionable ones
and their ages per bucket; ``BacklogDay`` records which days are folded. Only the fold writes
those two.
"""

from __future__ import annotations

from django.db import models


class TicketBacklogSpan(models.Model):
    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="+")
    start = models.DateTimeField()
    end = models.DateTimeField(null=True, blank=True)  # None: still unresolved
    first_day = models.DateField()
    last_day = models.DateField(null=True, blank=True)  # None: counts on every day since
    actionable = models.BooleanField()
    team_id = models.IntegerField(null=True, blank=True)
    agent_id = models.IntegerField(null=True, blank=True)
    priority = models.CharField(max_length=10)
    channel = models.CharField(max_length=10)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [
            # A day's backlog: spans still open, or ending on or after it (recent days read
            # few rows; the full rebuild folds every day in one pass instead).
            models.Index(fields=["last_day"], name="backlog_span_last_day"),
        ]

    def __str__(self) -> str:
        return f"#{self.ticket_id} in the backlog from {self.start:%Y-%m-%d %H:%M}"


class DailyBacklog(models.Model):
    day = models.DateField()
    level = models.PositiveSmallIntegerField()
    team_id = models.IntegerField(null=True, blank=True)
    agent_id = models.IntegerField(null=True, blank=True)
    channel = models.CharField(max_length=10)
    priority = models.CharField(max_length=10)
    n = models.IntegerField()
    n_actionable = models.IntegerField()
    # Ages at the start of the next day: [0,1d) [1d,3d) [3d,7d) [7d,30d) [30d,inf)
    n_age_0 = models.IntegerField()
    n_age_1 = models.IntegerField()
    n_age_2 = models.IntegerField()
    n_age_3 = models.IntegerField()
    n_age_4 = models.IntegerField()

    class Meta:
        constraints = [
            # The natural key: one fold's rows per day (kpis.bucket_locks), never two.
            models.UniqueConstraint(
                fields=["level", "day", "team_id", "agent_id", "channel", "priority"],
                nulls_distinct=False,
                name="daily_backlog_unique",
                violation_error_message="A backlog row for this day and cell exists.",
            )
        ]
        indexes = [
            models.Index(fields=["level", "day"], name="daily_backlog_level_day"),
            models.Index(
                fields=["level", "team_id", "channel", "priority", "day"],
                name="daily_backlog_level_dims",
            ),
        ]

    def __str__(self) -> str:
        return f"backlog {self.day}: {self.n}"


class BacklogDay(models.Model):
    day = models.DateField(unique=True)
    folded_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"backlog of {self.day} folded"


class OpenTicketsDay(models.Model):
    """Tickets unresolved now, per reporting day of their creation, actionable or not, over
    every team: the unfiltered live backlog sums these rows instead of counting each open
    ticket (KPI_SPEC.md §6). Written only by the fold (``kpis.open_days``) for the days a
    refresh marked dirty (kind ``open``); until then those days are counted from the
    tickets."""

    created_day = models.DateField()
    actionable = models.BooleanField()
    n = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["created_day", "actionable"], name="open_day_unique")
        ]

    def __str__(self) -> str:
        return f"{self.n} open from {self.created_day}"
