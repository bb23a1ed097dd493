"""Business-hours calendars (KPI_SPEC §3, §9.19) and the organisation's SLA settings.

A ``BusinessCalendar`` is a name; what it means lives in immutable ``CalendarVersion`` rows
(time zone, weekly intervals, holidays). An edit adds a version whose ``effective_from`` is not
before its save time; a ticket uses the version with the latest ``effective_from <=`` its
creation (``policies.selectors.calendar_version_at``) for its whole life.

Stored shapes (validated by ``policies.business_time`` before a row is written):

- ``weekly``: ``{"0": [[540, 720], [780, 1020]], ...}`` weekday (0 = Monday) -> local
  ``[start_minute, end_minute)`` intervals; an overnight shift is already split in two.
- ``holidays``: ``{"2026-12-25": [], "2026-12-24": [[540, 780]]}`` local date -> ``[]`` (closed
  all day) or the hours open that day (a partial holiday replaces that weekday's intervals).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models

from policies.business_time import Schedule


class BusinessCalendar(models.Model):
    name = models.CharField(max_length=80, unique=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CalendarVersion(models.Model):
    """One immutable version of a calendar. Never updated: an edit inserts the next number."""

    calendar = models.ForeignKey(
        BusinessCalendar, on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField()
    time_zone = models.CharField(max_length=64)
    weekly = models.JSONField()
    holidays = models.JSONField(default=dict, blank=True)
    effective_from = models.DateTimeField()
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["calendar", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "number"], name="calendar_version_unique"),
            models.CheckConstraint(
                condition=models.Q(effective_from__gte=models.F("created_at")),
                name="calendar_version_not_backdated",
                violation_error_message="A calendar version cannot take effect before it is saved.",
            ),
        ]
        indexes = [
            # calendar_version_at(): the version in force at a ticket's creation.
            models.Index(fields=["calendar", "-effective_from"], name="calendar_version_in_force"),
        ]

    def __str__(self) -> str:
        return f"{self.calendar.name} v{self.number}"

    def schedule(self) -> Schedule:
        """This version as the pure engine's ``Schedule`` (validated on construction)."""
        return Schedule(
            tz=self.time_zone,
            weekly={int(day): [tuple(i) for i in spans] for day, spans in self.weekly.items()},
            special_days={
                date.fromisoformat(day): [tuple(i) for i in spans]
                for day, spans in self.holidays.items()
            },
            version=self.pk,
        )


class OrganizationSettings(models.Model):
    """The one row (pk 1) of organisation-wide settings: the default calendar (used when a
    ticket's SLA policy names none) and the reporting time zone (§1; stored explicitly, §9.19)."""

    default_calendar = models.ForeignKey(
        BusinessCalendar, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reporting_time_zone = models.CharField(max_length=64, default="UTC")
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "organization settings"
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="organization_settings_single"),
        ]

    def __str__(self) -> str:
        return "Organization settings"
