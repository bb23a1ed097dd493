"""Training: a catalog of courses and one record per assignment of a course to a person."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from csops.roles import Role
from csops.uploads import validate_upload


def evidence_storage() -> FileSystemStorage:
    """Evidence files live under MEDIA_ROOT (or var/media) and are served only through the
    access-checked ``staffing:training-evidence`` view, never as public media."""
    if getattr(settings, "MEDIA_ROOT", ""):
        return FileSystemStorage()  # follows MEDIA_ROOT (tests point it at a temporary one)
    return FileSystemStorage(location=Path(settings.BASE_DIR) / "var" / "media")


class Delivery(models.TextChoices):
    CLASSROOM = "classroom", "Classroom"
    ONLINE = "online", "Online"
    SHADOWING = "shadowing", "Shadowing"


class Source(models.TextChoices):
    MANUAL = "manual", "Assigned to the person"
    TEAM = "team", "Assigned to their team"
    REQUIRED = "required", "Required for their role or team"
    RECURRENCE = "recurrence", "Recurring course due again"
    ONBOARDING = "onboarding", "Onboarding plan"


ROLE_CHOICES = [(r.value, r.value) for r in Role if r is not Role.ADMIN]


class Course(models.Model):
    title = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    provider = models.CharField(max_length=120, blank=True)
    hours = models.DecimalField(
        max_digits=6, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.ONLINE)
    required_for_roles = models.JSONField(
        default=list, blank=True, help_text="Role names (Rep, Manager, Director) that must take it."
    )
    required_for_teams = models.ManyToManyField(
        "staffing.Team", blank=True, related_name="required_courses"
    )
    recurrence_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Due again this many months after completion (12 = yearly).",
    )
    due_within_days = models.PositiveSmallIntegerField(
        default=30, help_text="Due date of automatic assignments, in days after assignment."
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gte=0),
                name="course_hours_not_negative",
                violation_error_message="A course's hours cannot be negative.",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class TrainingRecord(models.Model):
    """A course assigned to one person, and its completion once done."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="records")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_records"
    )
    team = models.ForeignKey(
        "staffing.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The team the course was assigned through, if any.",
    )
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.MANUAL)
    assigned_at = models.DateTimeField()
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    due_date = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    hours = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    evidence_file = models.FileField(
        upload_to="training-evidence/%Y/",
        storage=evidence_storage,
        blank=True,
        validators=[validate_upload],  # the admin's form; the service checks with check_upload
    )
    evidence_url = models.URLField(blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course"],
                condition=Q(completed_on__isnull=True),
                name="training_one_open_assignment",
                violation_error_message="This course is already assigned and not completed yet.",
            ),
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | Q(hours__gte=0),
                name="training_hours_not_negative",
                violation_error_message="Hours cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100),
                name="training_score_0_100",
                violation_error_message="A score is between 0 and 100.",
            ),
        ]
        indexes = [
            # The training page and the hours-this-year sum: a person's records by completion.
            models.Index(fields=["user", "completed_on"], name="training_user_completed"),
        ]

    def __str__(self) -> str:
        return f"{self.course} for {self.user}"

    def state(self, today: date) -> str:
        if self.completed_on:
            return "completed"
        if self.due_date and self.due_date < today:
            return "overdue"
        if self.due_date and (self.due_date - today).days <= 14:
            return "due"
        return "assigned"
