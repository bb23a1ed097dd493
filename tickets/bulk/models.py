"""A bulk action over many tickets and the outcome for each ticket.

The row is the truth: the job (``tickets.bulk_run``) works through ``ticket_ids`` in batches,
writing each ticket's ``BulkResult`` in the same transaction as the ticket's change, so a
retried or duplicated batch skips the tickets already done."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class BulkKind(models.TextChoices):
    ASSIGN = "assign", "Assign"
    STATUS = "status", "Change status"
    PRIORITY = "priority", "Change priority"
    TEAM = "team", "Move to team"
    ADD_TAGS = "add_tags", "Add tags"
    REMOVE_TAGS = "remove_tags", "Remove tags"
    MACRO = "macro", "Apply a macro"
    LINK_INCIDENT = "link_incident", "Link to an incident"
    MERGE = "merge", "Merge into a ticket"


class BulkAction(models.Model):
    class State(models.TextChoices):
        RUNNING = "running", "Running"
        DONE = "done", "Done"

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    kind = models.CharField(max_length=20, choices=BulkKind.choices)
    params = models.JSONField(default=dict, blank=True)
    ticket_ids = models.JSONField(default=list)
    # The version of each ticket the person saw in the queue ("<id>": version), checked as
    # in the workspace: a ticket changed since is refused as stale.
    versions = models.JSONField(default=dict, blank=True)
    total = models.PositiveIntegerField()
    done = models.PositiveIntegerField(default=0)
    succeeded = models.PositiveIntegerField(default=0)
    state = models.CharField(max_length=10, choices=State.choices, default=State.RUNNING)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["created_by", "-created_at"], name="bulk_by_created")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.total} tickets"

    @property
    def refused(self) -> int:
        return self.done - self.succeeded

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(100 * self.done / self.total)


class BulkResult(models.Model):
    bulk = models.ForeignKey(BulkAction, on_delete=models.CASCADE, related_name="results")
    ticket_id = models.IntegerField()
    ok = models.BooleanField()
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["bulk", "ticket_id"], name="bulk_result_once")
        ]

    def __str__(self) -> str:
        return f"#{self.ticket_id}: {'ok' if self.ok else self.error}"
