"""Routing: how each team's new tickets find a person, and each ticket's routing state."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class RoutingMode(models.TextChoices):
    MANUAL = "manual", "Manual (reps claim)"
    ROUND_ROBIN = "round_robin", "Round-robin"
    LEAST_LOADED = "least_loaded", "Least loaded"
    SKILLS = "skills", "Skills, then least loaded"


# The longest a ticket waits for someone before it overflows to another team (a week).
MAX_OVERFLOW_MINUTES = 7 * 24 * 60
# The longest grace after a shift ends before untouched tickets go back (a day).
MAX_OFF_SHIFT_GRACE_MINUTES = 24 * 60


class RoutingSettings(models.Model):
    """One team's routing. No row means manual (the behaviour before routing existed)."""

    team = models.OneToOneField(
        "staffing.Team", on_delete=models.CASCADE, related_name="routing", primary_key=True
    )
    mode = models.CharField(max_length=12, choices=RoutingMode.choices, default=RoutingMode.MANUAL)
    capacity = models.PositiveSmallIntegerField(
        default=8,
        validators=[MinValueValidator(1)],
        help_text="Per person: open tickets weighted by priority (low/normal 1, high 2, urgent 3).",
    )
    overflow_team = models.ForeignKey(
        "staffing.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    overflow_after_minutes = models.PositiveIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1)]
    )
    # A member whose shift ended this long ago (and who is still off shift) gives back their
    # untouched tickets; a short gap or a late finish keeps them.
    off_shift_grace_minutes = models.PositiveSmallIntegerField(
        default=15,
        validators=[MaxValueValidator(MAX_OFF_SHIFT_GRACE_MINUTES)],
        help_text="After a member's shift ends, their untouched tickets go back to the pool "
        "after this many minutes.",
    )
    # Round-robin pointer: the member who got the last ticket (the next one goes after them).
    last_assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["last_assignee"])

    class Meta:
        verbose_name_plural = "routing settings"
        constraints = [
            models.CheckConstraint(
                condition=~Q(overflow_team=models.F("team")),
                name="routing_overflow_elsewhere",
                violation_error_message="A team cannot overflow to itself.",
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1),
                name="routing_capacity_positive",
                violation_error_message="Capacity is at least 1.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team}: {self.get_mode_display()}"


class MemberCapacity(models.Model):
    """A person's own capacity in a team, instead of the team's default."""

    team = models.ForeignKey("staffing.Team", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    capacity = models.PositiveSmallIntegerField(validators=[MinValueValidator(0)])
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "member capacities"
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="member_capacity_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.team}: {self.capacity}"


class SkillRule(models.Model):
    """New tickets that match every condition set here need these skills. Empty = any."""

    name = models.CharField(max_length=120)
    team = models.ForeignKey(
        "staffing.Team", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    category = models.ForeignKey(
        "policies.Category", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    language = models.CharField(max_length=20, blank=True, help_text="e.g. de, fr")
    channel = models.CharField(max_length=10, blank=True)
    priority = models.CharField(max_length=10, blank=True)
    organization = models.ForeignKey(
        "tickets.Organization", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    skills = models.ManyToManyField("staffing.Skill", related_name="+")
    active = models.BooleanField(default=True)
    history = HistoricalRecords(m2m_fields=[skills])

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class TicketRouting(models.Model):
    """A ticket's routing state: its language, the skills it needs, and whether (since when,
    why) it waits for someone to take it."""

    ticket = models.OneToOneField(
        "tickets.Ticket", on_delete=models.CASCADE, primary_key=True, related_name="routing"
    )
    language = models.CharField(max_length=20, blank=True)
    required_skills = models.ManyToManyField("staffing.Skill", blank=True, related_name="+")
    waiting_since = models.DateTimeField(null=True, blank=True)
    wait_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        indexes = [
            # The waiting-tickets job and the routing page: waiting tickets, oldest first.
            models.Index(
                fields=["waiting_since"],
                condition=Q(waiting_since__isnull=False),
                name="ticketrouting_waiting",
            ),
        ]

    def __str__(self) -> str:
        return f"routing of ticket {self.ticket_id}"
