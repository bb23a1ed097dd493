from __future__ import annotations

from django.conf import settings
from django.db import models

from csops.people import display_name


class Team(models.Model):
    """A queue of work and the people on it. Tier orders escalation paths (1 = front line)."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    tier = models.PositiveSmallIntegerField(default=1)
    description = models.TextField(blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="teams", blank=True, help_text="Works the queue."
    )
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="managed_teams",
        blank=True,
        help_text="Handles the team's escalations, records and reviews.",
    )

    class Meta:
        ordering = ["tier", "name"]

    def __str__(self) -> str:
        return self.name


class StaffProfile(models.Model):
    """What the department knows about a person beyond their login."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    title = models.CharField(max_length=120, blank=True)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
    )
    hire_date = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return display_name(self.user)
