"""Per-ticket metric rows (KPI_SPEC.md §4, §5): written only by ``kpis.services.refresh``.

One :class:`TicketMetricsRow` per ticket is the result of ``kpis.metrics.compute`` at
``as_of`` = the ticket's latest event (§9.4). Durations are integer seconds, calendar
(``*_cal``) and business (``*_bus``); null where §4 says null. Each attributed value has
its reporting-zone day, agent, team and priority (null agent/team = "unassigned",
priority "none", §9.25). ``source_event_id`` is the latest event ``seq`` applied: a write
carrying an older one is skipped, so out-of-order workers never regress a row.
"""

from __future__ import annotations

from django.db import models

UNRESOLVED_STATUSES = ("new", "open", "pending", "on_hold")
ACTIONABLE_STATUSES = ("new", "open")


def _duration(help_text: str) -> models.BigIntegerField:
    return models.BigIntegerField(null=True, blank=True, help_text=help_text)


class TicketMetricsRow(models.Model):
    ticket = models.OneToOneField(
        "tickets.Ticket", primary_key=True, on_delete=models.CASCADE, related_name="metrics"
    )
    source_event_id = models.BigIntegerField(help_text="Latest event seq applied.")
    last_event_at = models.DateTimeField()
    computed_at = models.DateTimeField()

    # Creation (attributed at `created`).
    created_at = models.DateTimeField()
    created_day = models.DateField()
    created_agent_id = models.IntegerField(null=True, blank=True)
    created_team_id = models.IntegerField(null=True, blank=True)
    created_priority = models.CharField(max_length=10)
    channel = models.CharField(max_length=10)
    inbound = models.BooleanField()

    # State after the latest event (backlog, breached-active counts; §9.4 evaluated on read).
    status = models.CharField(max_length=10)
    current_agent_id = models.IntegerField(null=True, blank=True)
    current_team_id = models.IntegerField(null=True, blank=True)
    current_priority = models.CharField(max_length=10)
    resolved = models.BooleanField()

    first_reply_cal = _duration("created (or first customer reply) -> first agent reply, s")
    first_reply_bus = _duration("business seconds")
    first_reply_at = models.DateTimeField(null=True, blank=True)
    first_reply_day = models.DateField(null=True, blank=True)
    first_reply_agent_id = models.IntegerField(null=True, blank=True)
    first_reply_team_id = models.IntegerField(null=True, blank=True)
    first_reply_priority = models.CharField(max_length=10, blank=True)

    first_resolution_cal = _duration("created -> first solve, s")
    first_resolution_bus = _duration("business seconds")
    first_resolution_at = models.DateTimeField(null=True, blank=True)
    first_resolution_day = models.DateField(null=True, blank=True)
    first_resolution_agent_id = models.IntegerField(null=True, blank=True)
    first_resolution_team_id = models.IntegerField(null=True, blank=True)
    first_resolution_priority = models.CharField(max_length=10, blank=True)

    # Last-solve values: present only while resolved (§9.11).
    full_resolution_cal = _duration("created -> last solve, s")
    full_resolution_bus = _duration("business seconds")
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_day = models.DateField(null=True, blank=True)
    resolved_agent_id = models.IntegerField(null=True, blank=True)
    resolved_team_id = models.IntegerField(null=True, blank=True)
    resolved_priority = models.CharField(max_length=10, blank=True)

    # Status times up to the latest event (aggregated for resolved tickets only).
    requester_wait_cal = models.BigIntegerField()
    requester_wait_bus = models.BigIntegerField()
    agent_work_cal = models.BigIntegerField()
    agent_work_bus = models.BigIntegerField()
    agent_wait_cal = models.BigIntegerField()
    agent_wait_bus = models.BigIntegerField()
    on_hold_cal = models.BigIntegerField()
    on_hold_bus = models.BigIntegerField()

    reopens = models.IntegerField()
    agent_replies = models.IntegerField()
    customer_followups = models.IntegerField()
    escalations = models.IntegerField()
    assignee_stations = models.IntegerField()
    group_stations = models.IntegerField()
    zero_touch = models.BooleanField(null=True, blank=True)
    one_touch = models.BooleanField(null=True, blank=True)
    two_touch = models.BooleanField(null=True, blank=True)
    fcr = models.BooleanField(null=True, blank=True)

    class Meta:
        verbose_name = "ticket metrics"
        verbose_name_plural = "ticket metrics"
        indexes = [
            # Percentile tiles and rollup folds read one attribution day range at a time.
            models.Index(fields=["created_day", "created_team_id"], name="tm_created_day"),
            models.Index(
                fields=["first_resolution_day", "first_resolution_team_id"], name="tm_fres_day"
            ),
            # Exact percentiles read one value bin of a day list (kpis.selectors.percentiles);
            # the INCLUDEd dimensions keep filtered and per-agent reads index-only too.
            *(
                models.Index(
                    fields=[f"{prefix}_day", f"{stem}_{hours}"],
                    include=[
                        f"{prefix}_team_id",
                        f"{prefix}_agent_id",
                        f"{prefix}_priority",
                        "channel",
                    ],
                    name=f"tm_{short}_{hours}",
                    condition=models.Q(**{f"{prefix}_day__isnull": False}),
                )
                for prefix, stem, short in (
                    ("first_reply", "first_reply", "fr"),
                    ("resolved", "full_resolution", "res"),
                )
                for hours in ("cal", "bus")
            ),
            # Filters on a team (with agent, channel or priority): the team's rows of a range.
            *(
                models.Index(
                    fields=[f"{prefix}_team_id", f"{prefix}_day"],
                    include=[
                        f"{stem}_cal",
                        f"{stem}_bus",
                        f"{prefix}_agent_id",
                        f"{prefix}_priority",
                        "channel",
                    ],
                    name=f"tm_{short}_team",
                    condition=models.Q(**{f"{prefix}_day__isnull": False}),
                )
                for prefix, stem, short in (
                    ("first_reply", "first_reply", "fr"),
                    ("resolved", "full_resolution", "res"),
                )
            ),
            # Filters on team, channel and priority (the bench's filtered view): exactly the
            # selected rows of a range, index-only.
            *(
                models.Index(
                    fields=[f"{prefix}_team_id", "channel", f"{prefix}_priority", f"{prefix}_day"],
                    include=[f"{stem}_cal", f"{stem}_bus", f"{prefix}_agent_id"],
                    name=f"tm_{short}_dims",
                    condition=models.Q(**{f"{prefix}_day__isnull": False}),
                )
                for prefix, stem, short in (
                    ("first_reply", "first_reply", "fr"),
                    ("resolved", "full_resolution", "res"),
                )
            ),
            # Live backlog of a team (with channel and priority): only unresolved tickets.
            models.Index(
                fields=["current_team_id", "channel", "current_priority", "created_at"],
                include=["status", "current_agent_id"],
                name="tm_backlog_dims",
                condition=models.Q(status__in=UNRESOLVED_STATUSES),
            ),
            # Backlog ages by rank (the k-th oldest unresolved ticket); covering, so filtered
            # backlog counts stay index-only too.
            models.Index(
                fields=["created_at"],
                include=[
                    "status",
                    "current_team_id",
                    "current_agent_id",
                    "current_priority",
                    "channel",
                ],
                name="tm_backlog_created",
                condition=models.Q(status__in=UNRESOLVED_STATUSES),
            ),
            # Sweeper: rows behind their ticket's log.
            models.Index(fields=["last_event_at"], name="tm_last_event"),
        ]

    def __str__(self) -> str:
        return f"metrics of #{self.ticket_id}"


class TicketSlaRow(models.Model):
    """One reported SLA instance of a ticket at its latest event (§5; outcome at read time:
    an unfinished instance whose ``due_at`` has passed is breached, §9.16)."""

    # No index of its own: tsla_unique leads with the ticket.
    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    metric = models.CharField(max_length=20)
    index = models.PositiveIntegerField()
    activated_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    finished = models.BooleanField()
    outcome = models.CharField(max_length=12)  # at the latest event
    due_at = models.DateTimeField(null=True, blank=True)
    # Where the outcome counts: achieved -> its end, breached -> breach instant; for an
    # unfinished instance, the state after the latest event (a later breach lands there).
    outcome_at = models.DateTimeField(null=True, blank=True)
    outcome_day = models.DateField(null=True, blank=True)
    agent_id = models.IntegerField(null=True, blank=True)
    team_id = models.IntegerField(null=True, blank=True)
    priority = models.CharField(max_length=10)
    channel = models.CharField(max_length=10)

    class Meta:
        verbose_name = "ticket SLA instance"
        constraints = [
            models.UniqueConstraint(fields=["ticket", "metric", "index"], name="tsla_unique"),
        ]
        indexes = [
            models.Index(fields=["outcome_day", "metric"], name="tsla_outcome_day"),
            # Live breached-active and in-range breaches of unfinished instances.
            models.Index(
                fields=["due_at"], name="tsla_open_due", condition=models.Q(finished=False)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.metric} #{self.index} of #{self.ticket_id}"
