"""QA reviews: versioned scorecards of weighted criteria, and reviews of tickets against them.

A review points at the scorecard *version* it was scored with, so editing a scorecard (which
creates a new version) never changes what an old review meant. A disputed review is resolved
by upholding its score or by amending it; an amendment keeps the scoring it replaced.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Scorecard(models.Model):
    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def current_version(self) -> ScorecardVersion | None:
        return self.versions.order_by("-number").first()


class ScorecardVersion(models.Model):
    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    pass_percent = models.DecimalField(max_digits=5, decimal_places=2, default=80)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["scorecard", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "number"], name="scorecard_version_once"),
        ]

    def __str__(self) -> str:
        return f"{self.scorecard} v{self.number}"


class QACriterion(models.Model):
    version = models.ForeignKey(ScorecardVersion, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    weight = models.DecimalField(max_digits=6, decimal_places=2, default=1)
    max_score = models.PositiveSmallIntegerField(default=5)
    critical = models.BooleanField(
        default=False, help_text="A score below 'fail below' fails the whole review."
    )
    fail_below = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["version", "order"]
        verbose_name = "QA criterion"
        verbose_name_plural = "QA criteria"
        constraints = [
            models.UniqueConstraint(fields=["version", "order"], name="qa_criterion_order"),
            models.CheckConstraint(
                condition=Q(weight__gt=0),
                name="qa_criterion_weight_positive",
                violation_error_message="A criterion's weight must be more than zero.",
            ),
            models.CheckConstraint(
                condition=Q(max_score__gt=0),
                name="qa_criterion_max_positive",
                violation_error_message="A criterion's maximum score must be more than zero.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ReviewState(models.TextChoices):
    PENDING = "pending", "To score"
    SUBMITTED = "submitted", "Awaiting acknowledgment"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    DISPUTED = "disputed", "Disputed"
    RESOLVED = "resolved", "Dispute resolved"


class Resolution(models.TextChoices):
    UPHELD = "upheld", "Score upheld"
    AMENDED = "amended", "Score amended"


class QAReview(models.Model):
    """One ticket reviewed for one rep. Ticket facts are copied in at creation."""

    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ticket_number = models.PositiveIntegerField(help_text="The ticket's id, kept if it is deleted.")
    ticket_subject = models.CharField(max_length=200)
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="qa_reviews"
    )
    team = models.ForeignKey("staffing.Team", on_delete=models.PROTECT, related_name="qa_reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="qa_reviews_given"
    )
    scorecard_version = models.ForeignKey(
        ScorecardVersion, on_delete=models.PROTECT, related_name="reviews"
    )
    state = models.CharField(max_length=12, choices=ReviewState.choices, default="pending")
    created_at = models.DateTimeField()
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # Weighted percentage of the criteria scores; ``score`` is 0 when a critical criterion
    # failed (auto-fail), ``raw_score`` keeps the weighted figure either way.
    raw_score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    failed_critical = models.BooleanField(default=False)
    passed = models.BooleanField(null=True)
    summary = models.TextField(blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    dispute_comment = models.TextField(blank=True)
    disputed_at = models.DateTimeField(null=True, blank=True)
    resolution_comment = models.TextField(blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    # How a dispute was resolved; the scoring an amendment replaced is on ``amendment``.
    resolution = models.CharField(max_length=8, choices=Resolution.choices, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "QA review"
        indexes = [
            # QA averages per rep / team over time (staffing.selectors.qa_averages).
            models.Index(fields=["rep", "reviewed_at"], name="qa_review_rep_reviewed"),
            models.Index(fields=["team", "reviewed_at"], name="qa_review_team_reviewed"),
        ]

    def __str__(self) -> str:
        return f"QA of #{self.ticket_number} for {self.rep}"


class QAScore(models.Model):
    review = models.ForeignKey(QAReview, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(QACriterion, on_delete=models.PROTECT, related_name="scores")
    score = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["criterion__order"]
        verbose_name = "QA score"
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="qa_score_once"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"


class QAAmendment(models.Model):
    """A dispute resolved by amending the scores: who, when, why, and the scoring before and
    after, each ``{"raw_score", "score", "failed_critical", "passed", "scores": [{"criterion",
    "name", "score", "comment"}]}`` (decimals as strings). The review holds the amended one."""

    review = models.OneToOneField(QAReview, on_delete=models.CASCADE, related_name="amendment")
    amended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    amended_at = models.DateTimeField()
    comment = models.TextField()
    before = models.JSONField()
    after = models.JSONField()

    class Meta:
        verbose_name = "QA amendment"

    def __str__(self) -> str:
        return f"Amendment of {self.review}"

    @property
    def changes(self) -> list[dict]:
        """Per criterion, in order: name, and score and comment before and after."""
        old = {s["criterion"]: s for s in self.before["scores"]}
        return [
            {
                "name": s["name"],
                "before": old.get(s["criterion"], {}).get("score"),
                "after": s["score"],
                "comment_before": old.get(s["criterion"], {}).get("comment", ""),
                "comment_after": s["comment"],
            }
            for s in self.after["scores"]
        ]
