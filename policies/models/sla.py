"""SLA policies (KPI_SPEC §5, §9.5): an ordered list; the first whose conditions match at a
ticket's creation applies for its whole life, in the version in force then.

``SlaPolicy`` holds what only orders or switches policies (name, position, active);
everything a ticket's clocks depend on lives in immutable ``SlaPolicyVersion`` rows with their
``SlaPolicyTarget`` rows. Conditions are lists of accepted values; an empty list matches any.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from policies.sla import METRICS


class SlaMetric(models.TextChoices):
    FIRST_REPLY = "first_reply", "First reply"
    NEXT_REPLY = "next_reply", "Next reply"
    PERIODIC_UPDATE = "periodic_update", "Periodic update"
    REQUESTER_WAIT = "requester_wait", "Requester wait"
    AGENT_WORK = "agent_work", "Agent work"


assert tuple(SlaMetric.values) == METRICS  # the engine's metric names, in the same order

PRIORITY_CHOICES = [("low", "Low"), ("normal", "Normal"), ("high", "High"), ("urgent", "Urgent")]


class SlaPolicy(models.Model):
    name = models.CharField(max_length=120, unique=True)
    # Matching order: lowest position first, then oldest.
    position = models.PositiveIntegerField(default=100)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "SLA policy"
        verbose_name_plural = "SLA policies"

    def __str__(self) -> str:
        return self.name


class SlaPolicyVersion(models.Model):
    """One immutable version: conditions, calendar, at-risk fraction and targets."""

    policy = models.ForeignKey(SlaPolicy, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    # None: the organisation's default calendar (OrganizationSettings.default_calendar).
    calendar = models.ForeignKey(
        "policies.BusinessCalendar", on_delete=models.PROTECT, null=True, blank=True
    )
    at_risk_fraction = models.DecimalField(max_digits=4, decimal_places=3, default=0.25)
    # Conditions (empty list = any): team ids, channel names, priority names, organization ids,
    # category ids.
    teams = models.JSONField(default=list, blank=True)
    channels = models.JSONField(default=list, blank=True)
    priorities = models.JSONField(default=list, blank=True)
    organizations = models.JSONField(default=list, blank=True)
    categories = models.JSONField(default=list, blank=True)
    effective_from = models.DateTimeField()
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["policy", "-number"]
        verbose_name = "SLA policy version"
        constraints = [
            models.UniqueConstraint(fields=["policy", "number"], name="sla_policy_version_unique"),
            models.CheckConstraint(
                condition=models.Q(at_risk_fraction__gte=0, at_risk_fraction__lte=1),
                name="sla_policy_at_risk_fraction_range",
                violation_error_message="The at-risk fraction must lie between 0 and 1.",
            ),
            models.CheckConstraint(
                condition=models.Q(effective_from__gte=models.F("created_at")),
                name="sla_policy_version_not_backdated",
                violation_error_message="A policy version cannot take effect before it is saved.",
            ),
        ]
        indexes = [
            # policy_version_at(): the version of each policy in force at a ticket's creation.
            models.Index(fields=["policy", "-effective_from"], name="sla_policy_version_in_force"),
        ]

    def __str__(self) -> str:
        return f"{self.policy.name} v{self.number}"

    def matches(self, facts: dict) -> bool:
        """``facts``: team, channel, priority, organization, category of a new ticket."""
        pairs = (
            (self.teams, facts.get("team")),
            (self.channels, facts.get("channel")),
            (self.priorities, facts.get("priority")),
            (self.organizations, facts.get("organization")),
            (self.categories, facts.get("category")),
        )
        return all(not accepted or value in accepted for accepted, value in pairs)


class SlaPolicyTarget(models.Model):
    version = models.ForeignKey(SlaPolicyVersion, on_delete=models.CASCADE, related_name="targets")
    priority = models.CharField(max_length=10, choices=PRIORITY_CHOICES)
    metric = models.CharField(max_length=20, choices=SlaMetric.choices)
    minutes = models.PositiveIntegerField()
    business = models.BooleanField(default=True, help_text="Business hours (else calendar)")

    class Meta:
        ordering = ["version", "priority", "metric"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "priority", "metric"], name="sla_target_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(minutes__gte=1),
                name="sla_target_minutes_positive",
                violation_error_message="A target must be at least 1 minute.",
            ),
        ]

    def __str__(self) -> str:
        hours = "business" if self.business else "calendar"
        return f"{self.priority} {self.metric}: {self.minutes} min ({hours})"
