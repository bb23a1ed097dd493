"""Macros: canned responses with fixed placeholders and optional ticket changes on use."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

# Mirrors of the ticket statuses and priorities a macro may set (tickets sit above policies;
# the ticket service validates them again when the macro is used).
MACRO_STATUS_CHOICES = [
    ("", "Keep status"),
    ("pending", "Pending"),
    ("on_hold", "On hold"),
    ("solved", "Solved"),
]
MACRO_PRIORITY_CHOICES = [
    ("", "Keep priority"),
    ("low", "Low"),
    ("normal", "Normal"),
    ("high", "High"),
    ("urgent", "Urgent"),
]


class Macro(models.Model):
    title = models.CharField(max_length=120)
    body = models.TextField(help_text="Placeholders: {{customer_name}}, {{ticket_number}}, …")
    set_status = models.CharField(max_length=10, choices=MACRO_STATUS_CHOICES, blank=True)
    set_priority = models.CharField(max_length=10, choices=MACRO_PRIORITY_CHOICES, blank=True)
    add_tags = models.ManyToManyField("policies.Tag", blank=True, related_name="+")
    policy = models.ForeignKey(
        "policies.PolicyDocument",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="macros",
    )
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    history = HistoricalRecords(m2m_fields=[add_tags])

    class Meta:
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(body=""), name="macro_body_not_empty"),
        ]

    def __str__(self) -> str:
        return self.title
