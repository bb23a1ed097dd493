"""Internal notes about customers, and the record of merges."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower


class CustomerNote(models.Model):
    """Something staff should know about a customer (never shown to the customer)."""

    customer = models.ForeignKey("tickets.Customer", on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The customer page: a customer's notes, newest first.
            models.Index(fields=["customer", "-created_at"], name="customer_note_recent"),
        ]

    def __str__(self) -> str:
        return f"Note on customer {self.customer_id} at {self.created_at:%Y-%m-%d %H:%M}"


class CustomerMerge(models.Model):
    """One merge: ``merged_*`` describe the record that was folded into ``survivor`` (and
    deleted). Mail from the merged address keeps reaching the survivor
    (``services.find_or_create_customer``)."""

    survivor = models.ForeignKey(
        "tickets.Customer", on_delete=models.CASCADE, related_name="merges"
    )
    merged_customer_id = models.IntegerField()
    merged_name = models.CharField(max_length=120)
    merged_email = models.EmailField()
    merged_phone = models.CharField(max_length=40, blank=True)
    # What moved: {"tickets": n, "events": n, "notes": n, ...}.
    moved = models.JSONField(default=dict)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            # find_or_create_customer: an address that was merged away.
            models.Index(Lower("merged_email"), name="customer_merge_email_ci"),
            models.Index(fields=["survivor", "-at"], name="customer_merge_survivor"),
        ]

    def __str__(self) -> str:
        return f"{self.merged_email} merged into customer {self.survivor_id}"
