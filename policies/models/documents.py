"""Policies and procedures: versioned documents with a review → approve → publish lifecycle,
the trail of every transition, and acknowledgments by the staff a version asks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class Kind(models.TextChoices):
    POLICY = "policy", "Policy"
    PROCEDURE = "procedure", "Procedure"
    PROTOCOL = "protocol", "Protocol"
    GUIDELINE = "guideline", "Guideline"
    # A knowledge-base article (policies/knowledge/): the same lifecycle, plus its section,
    # visibility and help-center address in ``knowledge.models.Article``.
    ARTICLE = "article", "Article"


class VersionState(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"
    RETIRED = "retired", "Retired"


# A document has at most one version on its way to publication at a time.
OPEN_STATES = (VersionState.DRAFT, VersionState.IN_REVIEW, VersionState.APPROVED)


class PolicyDocument(models.Model):
    """A policy, procedure, protocol or guideline. Its text lives in ``PolicyVersion`` rows."""

    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.POLICY)
    categories = models.ManyToManyField(
        "policies.Category", blank=True, related_name="documents", help_text="Ticket categories."
    )
    tags = models.ManyToManyField("policies.Tag", blank=True, related_name="documents")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_policies"
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="policies_to_approve",
        help_text="May approve versions besides the directors.",
    )
    allow_self_approval = models.BooleanField(
        default=False, help_text="Whether a version's author may approve it."
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    history = HistoricalRecords(m2m_fields=[categories, tags])

    class Meta:
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title


class PolicyVersion(models.Model):
    """One version of a document. Only drafts change; a published version is immutable."""

    document = models.ForeignKey(PolicyDocument, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    state = models.CharField(max_length=10, choices=VersionState.choices, default="draft")
    body = models.TextField(help_text="Markdown.")
    # The sanitized HTML of ``body``, rendered by the service that writes ``body``.
    body_html = models.TextField(editable=False, default="")
    checklist = models.JSONField(default=list, blank=True, help_text="Steps, in order.")
    change_summary = models.CharField(max_length=300, blank=True)
    effective_date = models.DateField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    published_at = models.DateTimeField(null=True, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)
    ack_required = models.BooleanField(default=False)
    ack_roles = models.JSONField(default=list, blank=True, help_text="Role names that must ack.")
    ack_teams = models.ManyToManyField("staffing.Team", blank=True, related_name="+")
    ack_within_days = models.PositiveSmallIntegerField(default=7)
    history = HistoricalRecords(m2m_fields=[ack_teams])

    class Meta:
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "number"], name="policyversion_number_once"
            ),
            models.CheckConstraint(
                condition=~models.Q(body=""), name="policyversion_body_not_empty"
            ),
        ]
        indexes = [
            # The workspace and ticket records: current published versions by effective date.
            models.Index(fields=["state", "effective_date"], name="policyversion_state_eff"),
        ]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"

    @property
    def is_editable(self) -> bool:
        return self.state == VersionState.DRAFT


class VersionTransition(models.Model):
    """Who moved a version from one state to another, when, and why."""

    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=10, choices=VersionState.choices, blank=True)
    to_state = models.CharField(max_length=10, choices=VersionState.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField()
    comment = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.version}: {self.from_state or '-'} → {self.to_state}"


class Acknowledgment(models.Model):
    """One person's duty to acknowledge one published version, and when they did."""

    version = models.ForeignKey(
        PolicyVersion, on_delete=models.CASCADE, related_name="acknowledgments"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="policy_acknowledgments"
    )
    requested_at = models.DateTimeField()
    due_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    # Set when the request closes unacknowledged: a newer version of the document was
    # published, the version retired, or the person left the version's audience (a team they
    # left; ``acknowledgments.request_for_joiners`` opens it again if they come back).
    superseded_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "user"], name="acknowledgment_once"),
        ]
        indexes = [
            # Home page "to acknowledge" and the overdue reminder task: open duties by due date.
            models.Index(
                fields=["acknowledged_at", "superseded_at", "due_at"], name="ack_open_due"
            ),
            models.Index(fields=["user", "acknowledged_at"], name="ack_user_open"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} ack {self.version}"

    @property
    def is_pending(self) -> bool:
        return self.acknowledged_at is None and self.superseded_at is None
