"""Requisitions, candidates, stage moves, interview scorecards and hiring decisions."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from csops.uploads import validate_upload

# Roles a requisition hires into (directors are appointed, not requisitioned).
HIRE_ROLES = [("Rep", "Rep"), ("Manager", "Manager")]


def cv_storage() -> FileSystemStorage:
    """CVs live under MEDIA_ROOT (read when used, so tests can move it) and are served only
    through the access-checked ``staffing:hiring-candidate-cv`` view, never as public media."""
    return FileSystemStorage()


class RequisitionStatus(models.TextChoices):
    PENDING = "pending", "Awaiting approval"
    OPEN = "open", "Open"
    DECLINED = "declined", "Declined"
    FILLED = "filled", "Filled"
    CLOSED = "closed", "Closed"


class Requisition(models.Model):
    """A request to hire ``count`` people into ``team`` as ``role``; a director approves it
    before candidates can be hired against it."""

    team = models.ForeignKey("staffing.Team", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=20, choices=HIRE_ROLES, default="Rep")
    title = models.CharField(max_length=120, help_text="The job title candidates apply for.")
    count = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    reason = models.TextField()
    scenario = models.ForeignKey(
        "staffing.Scenario",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The saved planning scenario whose gap this fills.",
    )
    gap_fte = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The scenario's peak FTE minus the team's headcount when requested.",
    )
    status = models.CharField(
        max_length=10, choices=RequisitionStatus.choices, default=RequisitionStatus.PENDING
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(count__gte=1),
                name="requisition_count_positive",
                violation_error_message="A requisition hires at least one person.",
            )
        ]
        indexes = [
            # The hiring page: a team's requisitions by status.
            models.Index(fields=["team", "status"], name="requisition_team_status"),
        ]

    def __str__(self) -> str:
        return f"{self.title} × {self.count} ({self.team})"


class Stage(models.TextChoices):
    APPLIED = "applied", "Applied"
    SCREEN = "screen", "Screen"
    INTERVIEW = "interview", "Interview"
    OFFER = "offer", "Offer"
    HIRED = "hired", "Hired"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


OPEN_STAGES = (Stage.APPLIED, Stage.SCREEN, Stage.INTERVIEW, Stage.OFFER)
CLOSED_STAGES = (Stage.HIRED, Stage.REJECTED, Stage.WITHDRAWN)
SCORED_STAGES = (Stage.SCREEN, Stage.INTERVIEW, Stage.OFFER)
SCORED_STAGE_CHOICES = [(s.value, s.label) for s in SCORED_STAGES]
# Where a candidate can be moved on the board (the form's choices).
BOARD_MOVES = [(s.value, s.label) for s in Stage if s is not Stage.APPLIED]


class Source(models.TextChoices):
    CAREERS = "careers", "Careers page"
    JOB_BOARD = "job_board", "Job board"
    REFERRAL = "referral", "Employee referral"
    AGENCY = "agency", "Agency"
    INTERNAL = "internal", "Internal move"
    OTHER = "other", "Other"


class Candidate(models.Model):
    """A person applying to a requisition. Name, e-mail, phone, CV and notes are personal
    data: blanked (``anonymized_at`` set) some months after a rejection or withdrawal, while
    the stage, source and dates stay for the anonymous counts."""

    requisition = models.ForeignKey(
        Requisition, on_delete=models.PROTECT, related_name="candidates"
    )
    name = models.CharField(max_length=120)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.CAREERS)
    cv = models.FileField(
        upload_to="hiring-cv/%Y/",
        storage=cv_storage,
        blank=True,
        validators=[validate_upload],  # the admin's form; the service checks with check_upload
    )
    notes = models.TextField(blank=True)
    stage = models.CharField(max_length=10, choices=Stage.choices, default=Stage.APPLIED)
    applied_at = models.DateTimeField()
    stage_changed_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    hired_user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hired_as",
    )
    anonymized_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["stage_changed_at", "pk"]
        indexes = [
            # The pipeline board: a requisition's candidates by stage.
            models.Index(fields=["requisition", "stage"], name="candidate_req_stage"),
            # The purge: closed, not yet anonymized, by closing date.
            models.Index(
                fields=["closed_at"],
                name="candidate_purge_due",
                condition=models.Q(anonymized_at__isnull=True, stage__in=["rejected", "withdrawn"]),
            ),
        ]

    def __str__(self) -> str:
        return self.name or f"Candidate #{self.pk} (removed)"

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES


class StageMove(models.Model):
    """One move of a candidate on the board: who, when, from, to (immutable)."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="moves")
    from_stage = models.CharField(max_length=10, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=10, choices=Stage.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_stage or 'new'} → {self.to_stage}"


class Competency(models.Model):
    """What a stage's scorecard rates, each level of 1–5 anchored by a description."""

    stage = models.CharField(max_length=10, choices=[(s.value, s.label) for s in SCORED_STAGES])
    order = models.PositiveSmallIntegerField(default=1)
    name = models.CharField(max_length=120)
    anchor_1 = models.CharField("1", max_length=200)
    anchor_2 = models.CharField("2", max_length=200)
    anchor_3 = models.CharField("3", max_length=200)
    anchor_4 = models.CharField("4", max_length=200)
    anchor_5 = models.CharField("5", max_length=200)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["stage", "order", "pk"]
        verbose_name_plural = "competencies"
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "name"],
                name="competency_stage_name",
                violation_error_message="This stage already rates a competency of that name.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def anchors(self) -> list[tuple[int, str]]:
        return [(n, getattr(self, f"anchor_{n}")) for n in range(1, 6)]


class InterviewScorecard(models.Model):
    """One interviewer's ratings of a candidate at a stage, submitted once."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="scorecards")
    stage = models.CharField(max_length=10, choices=Stage.choices)
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField()
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "stage", "interviewer"],
                name="scorecard_once_per_interviewer",
                violation_error_message="You already submitted a scorecard for this stage.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} scorecard"

    @property
    def average(self) -> float | None:
        scores = [r.score for r in self.ratings.all()]
        return round(sum(scores) / len(scores), 2) if scores else None


class Rating(models.Model):
    scorecard = models.ForeignKey(
        InterviewScorecard, on_delete=models.CASCADE, related_name="ratings"
    )
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        ordering = ["competency__order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "competency"], name="rating_once"),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5),
                name="rating_score_range",
                violation_error_message="A rating is from 1 to 5.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.competency}: {self.score}"


class Outcome(models.TextChoices):
    HIRE = "hire", "Hire"
    REJECT = "reject", "Reject"


class HiringDecision(models.Model):
    """Who decided to hire or reject a candidate, when and why (audited)."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="decisions")
    outcome = models.CharField(max_length=6, choices=Outcome.choices)
    reason = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} ({self.decided_at:%Y-%m-%d})"
