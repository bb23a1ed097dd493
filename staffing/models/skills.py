"""Skills people hold, and whether they are available for new work (issue 15).

A skill may require a certification or a completed course: a person's skill counts only while
the certification they hold is valid (or the course is completed and, for a recurring course,
not due again). Validity is computed when it is asked (``staffing.selectors.skills``), so a
lapse takes effect the day the certification expires and a renewal restores it at once.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class SkillKind(models.TextChoices):
    LANGUAGE = "language", "Language"
    PRODUCT = "product", "Product"
    CATEGORY = "category", "Category"
    CHANNEL = "channel", "Channel"


class Skill(models.Model):
    kind = models.CharField(max_length=10, choices=SkillKind.choices)
    name = models.CharField(max_length=80)
    requires_certification = models.ForeignKey(
        "staffing.Certification",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="skills",
        help_text="Held only while this certification is valid.",
    )
    requires_course = models.ForeignKey(
        "staffing.Course",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="skills",
        help_text="Held only once this course is completed (and not due again).",
    )
    active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "name"],
                name="skill_kind_name_unique",
                violation_error_message="A skill of this kind and name exists.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"

    @property
    def requirement_label(self) -> str:
        if self.requires_certification_id:
            return f"certification {self.requires_certification}"
        if self.requires_course_id:
            return f"course {self.requires_course}"
        return ""


class PersonSkill(models.Model):
    """One skill held by one person, at a level (1 basic .. 5 expert)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="skills"
    )
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="holders")
    level = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    granted_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["skill__kind", "skill__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "skill"],
                name="personskill_once",
                violation_error_message="This person already holds this skill.",
            ),
            models.CheckConstraint(
                condition=Q(level__gte=1) & Q(level__lte=5),
                name="personskill_level_1_to_5",
                violation_error_message="The level is from 1 to 5.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.skill} ({self.user}, level {self.level})"


class AvailabilityStatus(models.TextChoices):
    AVAILABLE = "available", "Available"
    AWAY = "away", "Away"
    OFFLINE = "offline", "Offline"


class Availability(models.Model):
    """Whether a person takes new tickets now; set by themselves. No row means offline.

    Routing also locks this row while it assigns to the person, so two assignments to one
    person (from two teams) never both pass the capacity check."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="availability"
    )
    status = models.CharField(
        max_length=10, choices=AvailabilityStatus.choices, default=AvailabilityStatus.OFFLINE
    )
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "availability"

    def __str__(self) -> str:
        return f"{self.user}: {self.get_status_display()}"
