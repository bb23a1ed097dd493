"""Onboarding: templates of ordered steps per role, copied into a plan for each new hire.

A plan's progress is never stored: ``staffing.step_evidence`` derives it from real records
(a completed course, a valid certification, an acknowledged policy, a first solved ticket),
plus a manager's sign-off for shadowing sessions.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from staffing.models.training import ROLE_CHOICES


class StepKind(models.TextChoices):
    COURSE = "course", "Complete a course"
    POLICY = "policy", "Acknowledge a policy"
    SHADOWING = "shadowing", "Shadowing session with a mentor"
    FIRST_TICKET = "first_ticket", "Solve a first ticket"
    CERTIFICATION = "certification", "Hold a certification"


class OnboardingTemplate(models.Model):
    name = models.CharField(max_length=200, unique=True)
    role = models.CharField(max_length=20, choices=ROLE_CHOICES, default="Rep")
    description = models.TextField(blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class _StepFields(models.Model):
    order = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=14, choices=StepKind.choices)
    title = models.CharField(max_length=200)
    course = models.ForeignKey(
        "staffing.Course", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    certification = models.ForeignKey(
        "staffing.Certification", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    policy = models.ForeignKey(
        "policies.PolicyDocument",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True
        ordering = ["order"]


class OnboardingStep(_StepFields):
    template = models.ForeignKey(OnboardingTemplate, on_delete=models.CASCADE, related_name="steps")
    due_after_days = models.PositiveSmallIntegerField(
        default=7, help_text="Due this many days after the plan's start date."
    )

    class Meta(_StepFields.Meta):
        constraints = [
            models.UniqueConstraint(fields=["template", "order"], name="onboarding_step_order"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class OnboardingPlan(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="onboarding_plans"
    )
    template = models.ForeignKey(OnboardingTemplate, on_delete=models.PROTECT, related_name="plans")
    start_date = models.DateField()
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-start_date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "template"], name="onboarding_plan_once"),
        ]

    def __str__(self) -> str:
        return f"{self.template} for {self.user}"


class OnboardingPlanStep(_StepFields):
    """A template step copied into a plan (template edits never change running plans)."""

    plan = models.ForeignKey(OnboardingPlan, on_delete=models.CASCADE, related_name="steps")
    due_date = models.DateField()
    signed_off_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)

    class Meta(_StepFields.Meta):
        constraints = [
            models.UniqueConstraint(fields=["plan", "order"], name="onboarding_plan_step_order"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"
