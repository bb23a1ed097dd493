"""Daily rollups (KPI_SPEC.md §6): additive parts per reporting day × dimensions.

One row per (kind, day, team, agent, channel, priority) as attributed in §4 for that kind
(``level`` FULL), plus the same sums per (kind, day, team, channel, priority) (DIMS: agent
null), per (kind, day, team) (BY_TEAM: channel and priority "" too) and per (kind, day) (ALL:
team null too), so every view but an agent's reads a few rows per day whatever the ticket
count.
Counts, sums and rates come from here; medians and p90 only for one row's own day and cell
(otherwise they are exact over the per-ticket values of the selected range:
``DailyHistogram`` locates them, ``TicketMetricsRow`` holds them). Rows are rebuilt per
(kind, day) by the fold (``kpis.rollup``); nothing else writes them.
"""

from __future__ import annotations

from django.db import models


class RollupKind(models.TextChoices):
    CREATED = "created", "Tickets created"
    FIRST_REPLY = "first_reply", "First replies"
    FIRST_RESOLUTION = "first_resolution", "First resolutions"
    RESOLVED = "resolved", "Resolved tickets (last solve)"
    SLA = "sla", "SLA outcomes (finished instances)"


FULL, BY_TEAM, ALL, DIMS = 0, 1, 2, 3  # DailyRollup.level


class DailyRollup(models.Model):
    kind = models.CharField(max_length=20, choices=RollupKind.choices)
    day = models.DateField()
    level = models.PositiveSmallIntegerField(default=FULL)
    team_id = models.IntegerField(null=True, blank=True)
    agent_id = models.IntegerField(null=True, blank=True)
    channel = models.CharField(max_length=10)
    priority = models.CharField(max_length=10)
    metric = models.CharField(max_length=20, blank=True)  # SLA metric for kind=sla

    n = models.IntegerField(default=0)
    sum_cal = models.BigIntegerField(default=0)  # the kind's duration, calendar seconds
    sum_bus = models.BigIntegerField(default=0)
    # The median and p90 of the kind's duration over this row's own values (PostgreSQL;
    # null elsewhere and for kinds without one): a day's trend point when a filter selects
    # one row per day. Any longer or wider range is computed from the values (§6).
    p50_cal = models.FloatField(null=True, blank=True)
    p90_cal = models.FloatField(null=True, blank=True)
    p50_bus = models.FloatField(null=True, blank=True)
    p90_bus = models.FloatField(null=True, blank=True)
    # resolved: flags and counts; sla: outcomes.
    n_inbound = models.IntegerField(default=0)
    n_fcr = models.IntegerField(default=0)
    n_zero_touch = models.IntegerField(default=0)
    n_one_touch = models.IntegerField(default=0)
    n_two_touch = models.IntegerField(default=0)
    n_reopened = models.IntegerField(default=0)
    n_achieved = models.IntegerField(default=0)
    n_breached = models.IntegerField(default=0)

    class Meta:
        constraints = [
            # The natural key: one fold's rows per bucket (kpis.bucket_locks), never two.
            models.UniqueConstraint(
                fields=["kind", "level", "day", "team_id", "agent_id", "channel", "priority"]
                + ["metric"],
                nulls_distinct=False,
                name="rollup_unique",
                violation_error_message="A rollup row for this bucket and cell exists.",
            )
        ]
        indexes = [
            models.Index(fields=["kind", "level", "day"], name="rollup_kind_level_day"),
            # Filters on a team (with channel and priority, or an agent) read just their rows.
            models.Index(
                fields=["level", "team_id", "channel", "priority", "day"],
                name="rollup_level_dims_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.day}"


class DailyHistogram(models.Model):
    """Per reporting day (``span`` 1) and per ISO week (``span`` 7, ``day`` = its Monday: the
    sum of its days): how many per-ticket durations of ``kind`` fall in each value bin
    (``kpis.bins``), for all teams (level ALL, team null) and per team (BY_TEAM; team null =
    unassigned). PostgreSQL only; written by the fold with the rollups of the same day.
    Exact percentiles of any range read these counts (its whole weeks, then its other days),
    then one bin of values (§6)."""

    kind = models.CharField(max_length=20)  # first_reply | resolved (full_resolution)
    hours = models.CharField(max_length=3)  # cal | bus
    day = models.DateField()
    span = models.PositiveSmallIntegerField(default=1)  # days: 1, or 7 (an ISO week)
    level = models.PositiveSmallIntegerField()
    team_id = models.IntegerField(null=True, blank=True)
    bin = models.PositiveSmallIntegerField()
    n = models.IntegerField()

    class Meta:
        constraints = [
            # The natural key, and the percentile reads' index: (kind, hours, level, span,
            # day) ranges with every column they read (index-only).
            models.UniqueConstraint(
                fields=["kind", "hours", "level", "span", "day", "team_id", "bin"],
                include=["n"],
                nulls_distinct=False,
                name="hist_unique",
                violation_error_message="A histogram row for this bucket and bin exists.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.hours} {self.day} ({self.span} d) bin {self.bin}"
