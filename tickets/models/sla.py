"""A ticket's stored SLA instances, breach records and monitor alerts (KPI_SPEC §5, §9.4,
§9.20, §9.21).

``TicketSlaInstance`` rows are the pure engine's output (``policies.sla.evaluate``) at
``as_of`` = the ticket's latest event, upserted by ``tickets.services.sla.refresh`` after every
action; ``due_at`` and ``at_risk_at`` are projections that assume no further events, so the
monitor finds crossings by index. Outcome and state "now" are derived on read.
``TicketSlaBreach`` rows are derived facts, never events. ``SlaAlert`` rows are the monitor's
crossings (one per ticket, metric, instance and kind), which drive notices and escalations.
"""

from __future__ import annotations

from django.db import models

from policies.models.sla import SlaMetric


class TicketSlaInstance(models.Model):
    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="sla")
    metric = models.CharField(max_length=20, choices=SlaMetric.choices)
    index = models.PositiveSmallIntegerField()  # nth instance of the metric, from 1
    activated_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=12, blank=True)  # fulfilled | cancelled | ""
    target_minutes = models.PositiveIntegerField()
    business = models.BooleanField()
    elapsed_seconds = models.PositiveIntegerField()
    due_at = models.DateTimeField(null=True, blank=True)
    breached_at = models.DateTimeField(null=True, blank=True)
    at_risk_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=12)  # at evaluated_at: achieved|breached|cancelled|...
    state = models.CharField(max_length=10)  # at evaluated_at: fulfilled|cancelled|active|paused
    trail = models.JSONField(default=list)  # [{"at", "action", "reason"}]
    calendar_version = models.ForeignKey(
        "policies.CalendarVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    evaluated_at = models.DateTimeField()  # as_of of the evaluation (latest event, §9.4)

    class Meta:
        ordering = ["ticket", "activated_at", "metric", "index"]
        verbose_name = "ticket SLA instance"
        constraints = [
            models.UniqueConstraint(
                fields=["ticket", "metric", "index"], name="ticket_sla_instance_unique"
            ),
        ]
        indexes = [
            # Monitor (breach) and queue "breached" filter: unfinished instances by due time.
            models.Index(
                fields=["due_at"],
                name="sla_instance_open_due",
                condition=models.Q(ended_at__isnull=True, due_at__isnull=False),
            ),
            # Monitor (at risk) and queue "at risk" filter.
            models.Index(
                fields=["at_risk_at"],
                name="sla_instance_open_at_risk",
                condition=models.Q(ended_at__isnull=True, at_risk_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.ticket_id} {self.metric} {self.index}"


class TicketSlaBreach(models.Model):
    """A derived breach record (§9.20): written idempotently by recompute and monitor."""

    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="sla_breaches"
    )
    metric = models.CharField(max_length=20, choices=SlaMetric.choices)
    index = models.PositiveSmallIntegerField()
    breached_at = models.DateTimeField()

    class Meta:
        ordering = ["breached_at", "pk"]
        verbose_name = "ticket SLA breach"
        verbose_name_plural = "ticket SLA breaches"
        constraints = [
            models.UniqueConstraint(
                fields=["ticket", "metric", "index"], name="ticket_sla_breach_unique"
            ),
        ]
        indexes = [
            # Reports by breach instant.
            models.Index(fields=["breached_at"], name="sla_breach_at"),
        ]

    def __str__(self) -> str:
        return f"#{self.ticket_id} {self.metric} {self.index} breached {self.breached_at:%c}"


class SlaAlertKind(models.TextChoices):
    AT_RISK = "at_risk", "At risk"
    BREACH = "breach", "Breached"


class SlaAlert(models.Model):
    """One crossing seen by the monitor. The unique key makes a second insert (another
    worker, a retry) a no-op, so notices and escalation rules run once per crossing."""

    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="+")
    metric = models.CharField(max_length=20, choices=SlaMetric.choices)
    index = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=SlaAlertKind.choices)
    at = models.DateTimeField()  # the crossing instant (at_risk_at or due_at)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-recorded_at", "pk"]
        verbose_name = "SLA alert"
        constraints = [
            models.UniqueConstraint(
                fields=["ticket", "metric", "index", "kind"], name="sla_alert_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.ticket_id} {self.metric} {self.index} {self.kind}"
