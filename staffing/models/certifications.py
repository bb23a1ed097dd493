"""Certifications: a catalog, the certifications staff hold, and continuing-education hours."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

# Reminders go out this many days before expiry, and once more on the day it expires.
REMINDER_DAYS = (90, 60, 30)
DUE_SOON_DAYS = 90


class Certification(models.Model):
    name = models.CharField(max_length=200, unique=True)
    issuing_body = models.CharField(max_length=200, blank=True)
    validity_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Empty: never expires."
    )
    ce_hours_required = models.DecimalField(
        "CE hours per cycle",
        max_digits=6,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    ce_cycle_months = models.PositiveSmallIntegerField(
        "CE cycle (months)", null=True, blank=True, help_text="e.g. 36 for every 3 years."
    )
    recertification_rules = models.TextField(blank=True)
    required_for_roles = models.JSONField(default=list, blank=True, help_text="Role names.")
    required_for_teams = models.ManyToManyField(
        "staffing.Team", blank=True, related_name="required_certifications"
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ce_hours_required__gte=0),
                name="certification_ce_hours_not_negative",
                violation_error_message="CE hours cannot be negative.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CertStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    SUPERSEDED = "superseded", "Superseded by a renewal"
    REVOKED = "revoked", "Revoked"


class StaffCertification(models.Model):
    """One certification held by one person. Renewing records a new row and supersedes this."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certifications"
    )
    certification = models.ForeignKey(
        Certification, on_delete=models.PROTECT, related_name="holders"
    )
    issued_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    credential_id = models.CharField(max_length=120, blank=True)
    status = models.CharField(max_length=10, choices=CertStatus.choices, default=CertStatus.ACTIVE)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["expires_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "certification"],
                condition=Q(status="active"),
                name="staffcert_one_active",
                violation_error_message=(
                    "This person already holds an active certification of this kind."
                ),
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=models.F("issued_on")),
                name="staffcert_expires_after_issue",
                violation_error_message="The expiry date must be after the issue date.",
            ),
        ]
        indexes = [
            # The expiry reminder task: active certifications by expiry date.
            models.Index(fields=["status", "expires_on"], name="staffcert_status_expires"),
        ]

    def __str__(self) -> str:
        return f"{self.certification} ({self.user})"

    def state(self, today: date) -> str:
        """valid, due_soon (expires within 90 days), expired, or the row's status."""
        if self.status != CertStatus.ACTIVE:
            return str(self.status)
        if self.expires_on is None:
            return "valid"
        if self.expires_on <= today:
            return "expired"
        if (self.expires_on - today).days <= DUE_SOON_DAYS:
            return "due_soon"
        return "valid"


class CEEntry(models.Model):
    """Continuing-education hours logged against a held certification's cycle."""

    staff_certification = models.ForeignKey(
        StaffCertification, on_delete=models.CASCADE, related_name="ce_entries"
    )
    completed_on = models.DateField()
    hours = models.DecimalField(max_digits=6, decimal_places=2)
    description = models.CharField(max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["completed_on", "pk"]
        verbose_name = "CE entry"
        verbose_name_plural = "CE entries"
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0),
                name="ce_entry_hours_positive",
                violation_error_message="CE hours must be more than zero.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hours} h: {self.description}"
