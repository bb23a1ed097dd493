"""Incidents (one crisis, many linked tickets), their customer updates, and spike alerts."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Severity(models.TextChoices):
    SEV1 = "sev1", "SEV1 — critical"
    SEV2 = "sev2", "SEV2 — major"
    SEV3 = "sev3", "SEV3 — minor"


class IncidentState(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"


class Incident(models.Model):
    """Declared by a manager of ``team`` (or a director); handled by the same people."""

    title = models.CharField(max_length=200)
    severity = models.CharField(max_length=4, choices=Severity.choices, default=Severity.SEV2)
    description = models.TextField()
    customer_update = models.TextField(help_text="The current customer-facing text.")
    # Shown (title, customer update, status) on the public help center while open
    # (tickets.public_notices, through csops.public_notices).
    public = models.BooleanField(default=False)
    team = models.ForeignKey("staffing.Team", on_delete=models.PROTECT, related_name="incidents")
    state = models.CharField(max_length=10, choices=IncidentState.choices, default="open")
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    declared_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    tickets = models.ManyToManyField(
        "tickets.Ticket", through="tickets.IncidentLink", related_name="incidents"
    )

    class Meta:
        ordering = ["-declared_at", "-pk"]
        indexes = [
            # Incidents list: open incidents of a team, newest first.
            models.Index(fields=["team", "state", "-declared_at"], name="incident_team_state"),
        ]

    def __str__(self) -> str:
        return f"Incident #{self.pk} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.state == IncidentState.OPEN


class IncidentLink(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="links")
    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="+")
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField()

    class Meta:
        ordering = ["linked_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "ticket"], name="incidentlink_once"),
        ]

    def __str__(self) -> str:
        return f"#{self.ticket_id} in incident #{self.incident_id}"


class ChangeKind(models.TextChoices):
    EDITED = "edited", "Edited"
    UNLINKED = "unlinked", "Ticket unlinked"


class IncidentChange(models.Model):
    """A change to an incident after its declaration that leaves no row of its own, kept for
    its timeline (append-only): an edit, ``data`` holding each changed field's
    ``[before, after]``; or an unlinked ticket, whose link row is deleted, ``data`` keeping
    who linked it and when (``linked_by``: user id, ``linked_at``: ISO instant)."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=10, choices=ChangeKind.choices)
    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()} on incident #{self.incident_id} at {self.at:%Y-%m-%d %H:%M}"
        )


class UpdateKind(models.TextChoices):
    UPDATE = "update", "Update"
    RESOLUTION = "resolution", "Resolution (solves the tickets)"


class IncidentUpdate(models.Model):
    """One customer-facing message, delivered as a public reply to every ticket linked at the
    moment it was posted (one ``IncidentDelivery`` row each, made in the same transaction)."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(max_length=10, choices=UpdateKind.choices, default=UpdateKind.UPDATE)
    body = models.TextField()
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    posted_at = models.DateTimeField()
    # Progress the page polls: total deliveries, done so far (delivered + skipped).
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["posted_at", "pk"]

    def __str__(self) -> str:
        return f"Update #{self.pk} of incident #{self.incident_id}"

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.done / self.total)


class DeliveryState(models.TextChoices):
    PENDING = "pending", "Pending"
    DELIVERED = "delivered", "Delivered"
    SKIPPED = "skipped", "Skipped (ticket closed)"


class IncidentDelivery(models.Model):
    """One update to one ticket: the unique pair makes a retried task update nobody twice."""

    update = models.ForeignKey(IncidentUpdate, on_delete=models.CASCADE, related_name="deliveries")
    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=10, choices=DeliveryState.choices, default="pending")
    event = models.ForeignKey(
        "tickets.TicketEvent", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        indexes = [
            # The delivery task claims an update's pending rows.
            models.Index(fields=["update", "state"], name="delivery_update_state"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["update", "ticket"], name="delivery_once_per_ticket"),
        ]

    def __str__(self) -> str:
        return f"Update #{self.update_id} → #{self.ticket_id} ({self.state})"


class SpikeDimension(models.TextChoices):
    CATEGORY = "category", "Category"
    TAG = "tag", "Tag"


class SpikeAlert(models.Model):
    """ "Possible incident": one hour's new tickets in a category/tag far above its usual
    level. One row per (dimension, key, hour)."""

    dimension = models.CharField(max_length=10, choices=SpikeDimension.choices)
    key_id = models.PositiveIntegerField()
    key_name = models.CharField(max_length=120)
    hour = models.DateTimeField(help_text="Start of the hour (UTC) that spiked.")
    count = models.PositiveIntegerField()
    baseline = models.FloatField(help_text="Mean of the same hour over the previous 4 weeks.")
    ticket_ids = models.JSONField(default=list)
    created_at = models.DateTimeField()
    dismissed_at = models.DateTimeField(null=True, blank=True)
    incident = models.ForeignKey(
        Incident, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-hour", "-count"]
        constraints = [
            models.UniqueConstraint(
                fields=["dimension", "key_id", "hour"], name="spike_once_per_key_hour"
            ),
        ]

    def __str__(self) -> str:
        label = self.get_dimension_display()
        return f"{label} {self.key_name}: {self.count} at {self.hour:%Y-%m-%d %H}:00"
