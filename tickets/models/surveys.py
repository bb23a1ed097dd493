"""Customer satisfaction surveys (KPI_SPEC.md §6, §9.17, §9.25).

One ``SurveyInvitation`` per solve of a ticket, mailed to the requester with a signed link.
Every answer is kept as a ``SurveyResponse`` row (history); the latest answer of a ticket is the
one with ``is_current`` set (a partial unique constraint keeps one per ticket), and that is the
rating CSAT and NPS count, attributed to its ``submitted_at``.

Each answer also stores where CSAT counts it (§9.17): the agent, team and priority at the
ticket's last solve at or before it, or ``attributed = False`` when there was none. They are
computed once at submission (``tickets.services.survey_attribution``): the log is append-only,
so they never change afterwards. NPS ignores them (§9.25).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class SurveyScale(models.TextChoices):
    FIVE = "five", "1–5"
    GOOD_BAD = "good_bad", "Good / bad"


class SurveyInvitation(models.Model):
    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="survey_invitations"
    )
    # The solve (status_changed → solved/closed) that triggered it: one invitation per solve.
    solve_event = models.OneToOneField(
        "tickets.TicketEvent", on_delete=models.CASCADE, related_name="survey_invitation"
    )
    email = models.EmailField()
    # Fixed when the invitation is made, so a settings change never breaks a link already sent.
    scale = models.CharField(max_length=10, choices=SurveyScale.choices, default=SurveyScale.FIVE)
    ask_nps = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # Ticket sidebar / admin: a ticket's invitations, newest first.
            models.Index(fields=["ticket", "-created_at"], name="survey_inv_ticket_created"),
        ]

    def __str__(self) -> str:
        return f"Survey for #{self.ticket_id} ({self.email})"


class SurveyResponse(models.Model):
    invitation = models.ForeignKey(
        SurveyInvitation, on_delete=models.CASCADE, related_name="responses"
    )
    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="survey_responses"
    )
    scale = models.CharField(max_length=10, choices=SurveyScale.choices)
    # 1–5 on the five-point scale; on good/bad: 1 = good, 0 = bad.
    rating = models.PositiveSmallIntegerField()
    # §6: 4–5 or "good" is positive. Stored so CSAT is one indexed SQL count.
    positive = models.BooleanField()
    nps = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True)
    submitted_at = models.DateTimeField()
    # The latest answer of the ticket wins (§6); older answers stay as history.
    is_current = models.BooleanField(default=True)
    # §9.17 attribution, as the KPI rows store it: plain ids (no FK, so a later team or user
    # deletion never blocks or rewrites history), null = "unassigned"; priority "none" when the
    # ticket had none. Unattributed (no solve at or before the answer): nulls and "".
    attributed = models.BooleanField(
        default=False, help_text="False: no solve at or before the answer (unattributed)."
    )
    agent_id = models.IntegerField(null=True, blank=True, help_text="Assignee at that solve.")
    team_id = models.IntegerField(null=True, blank=True, help_text="Team at that solve.")
    priority = models.CharField(
        max_length=10, blank=True, default="", help_text="Priority at that solve."
    )

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket"],
                condition=Q(is_current=True),
                name="survey_one_current_per_ticket",
                violation_error_message="A ticket has one current survey answer.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(scale="five", rating__gte=1, rating__lte=5)
                    | Q(scale="good_bad", rating__in=[0, 1])
                ),
                name="survey_rating_in_scale",
                violation_error_message="The rating is outside the survey's scale.",
            ),
            models.CheckConstraint(
                condition=Q(nps__isnull=True) | Q(nps__gte=0, nps__lte=10),
                name="survey_nps_0_10",
                violation_error_message="NPS answers are 0 to 10.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(~Q(priority=""), attributed=True)
                    | Q(attributed=False, agent_id__isnull=True, team_id__isnull=True, priority="")
                ),
                name="survey_attribution_complete",
                violation_error_message=(
                    "An attributed answer has a priority; an unattributed one has no agent, "
                    "team or priority."
                ),
            ),
        ]
        indexes = [
            # CSAT/NPS tiles (kpis.selectors.surveys) and the voice-of-the-customer list:
            # current answers by day, covering what the tiles count and filter on.
            models.Index(
                fields=["submitted_at"],
                condition=Q(is_current=True),
                include=["positive", "nps", "attributed", "agent_id", "priority"],
                name="survey_current_submitted",
            ),
            # CSAT of a team set (managers, the team filter; kpis.selectors.surveys): current
            # answers of the teams by day, covering the counted columns (index-only scan).
            models.Index(
                fields=["team_id", "submitted_at"],
                condition=Q(is_current=True),
                include=["positive", "attributed", "agent_id", "priority"],
                name="survey_current_team_submitted",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.ticket_id}: {self.rating_label}"

    @property
    def rating_label(self) -> str:
        if self.scale == SurveyScale.GOOD_BAD:
            return "good" if self.rating else "bad"
        return f"{self.rating}/5"
