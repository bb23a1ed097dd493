"""Which policy versions were in force for a ticket at its creation and at each solve, so an
analysis can compare outcomes before and after a policy change."""

from __future__ import annotations

from django.db import models


class PolicyMoment(models.TextChoices):
    CREATED = "created", "At creation"
    SOLVED = "solved", "At solve"


class TicketPolicyRecord(models.Model):
    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="policy_records"
    )
    version = models.ForeignKey(
        "policies.PolicyVersion", on_delete=models.PROTECT, related_name="ticket_records"
    )
    moment = models.CharField(max_length=10, choices=PolicyMoment.choices)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]
        indexes = [
            # Before/after analysis: the tickets handled under one version.
            models.Index(fields=["version", "moment"], name="ticketpolicy_version_moment"),
            models.Index(fields=["ticket", "moment"], name="ticketpolicy_ticket_moment"),
        ]

    def __str__(self) -> str:
        return f"#{self.ticket_id} {self.moment}: version {self.version_id}"
