"""Reads of policies and procedures, already scoped to the user."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import chain

from django.contrib.auth.models import User
from django.db.models import Case, CharField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone

from csops import permissions
from policies.models import Acknowledgment, Macro, PolicyDocument, PolicyVersion, VersionState
from staffing.models import Team


def current_versions(
    *, category_id: int | None, tag_ids: Iterable[int], today: date | None = None
) -> list[PolicyVersion]:
    """The version in force today of every document that governs this category or a tag."""
    today = today or timezone.localdate()
    tag_ids = list(tag_ids)
    governs = Q(document__categories=category_id) if category_id else Q(pk__in=[])
    if tag_ids:
        governs |= Q(document__tags__in=tag_ids)
    candidates = (
        PolicyVersion.objects.filter(
            governs, state=VersionState.PUBLISHED, effective_date__lte=today
        )
        .select_related("document")
        .order_by("document__title", "document_id", "-effective_date", "-number")
        .distinct()
    )
    current: dict[int, PolicyVersion] = {}
    for version in candidates:
        current.setdefault(version.document_id, version)
    return list(current.values())


def current_version_of(document: PolicyDocument, today: date | None = None) -> PolicyVersion | None:
    today = today or timezone.localdate()
    return (
        document.versions.filter(state=VersionState.PUBLISHED, effective_date__lte=today)
        .order_by("-effective_date", "-number")
        .first()
    )


def visible_versions(user: User, document: PolicyDocument) -> QuerySet:
    return permissions.scope_policy_versions(user, document.versions.select_related("author"))


def to_acknowledge(user: User) -> list[Acknowledgment]:
    """The user's open acknowledgments, soonest due first."""
    return list(
        Acknowledgment.objects.filter(
            user=user,
            acknowledged_at__isnull=True,
            superseded_at__isnull=True,
            version__state=VersionState.PUBLISHED,
        )
        .select_related("version__document")
        .order_by("due_at", "pk")
    )


def with_latest_state(documents: QuerySet[PolicyDocument]) -> QuerySet[PolicyDocument]:
    """The documents, each with its newest version's ``latest_state``, ``latest_number`` and
    ``state_label`` (the policy list's State column)."""
    newest = PolicyVersion.objects.filter(document=OuterRef("pk")).order_by("-number")
    labels = [
        When(latest_state=value, then=Value(str(label))) for value, label in VersionState.choices
    ]
    return documents.annotate(
        latest_state=Subquery(newest.values("state")[:1]),
        latest_number=Subquery(newest.values("number")[:1]),
        state_label=Case(*labels, default=Value(""), output_field=CharField()),
    )


def my_acknowledgment(user: User, version: PolicyVersion) -> Acknowledgment | None:
    return Acknowledgment.objects.filter(
        user=user, version=version, superseded_at__isnull=True
    ).first()


@dataclass
class TeamCoverage:
    team: Team
    acknowledged: int = 0
    pending: int = 0
    overdue: int = 0
    waiting: list[tuple[User, bool]] = field(default_factory=list)  # (person, is overdue)

    @property
    def total(self) -> int:
        return self.acknowledged + self.pending + self.overdue


def coverage(user: User, version: PolicyVersion, *, now: datetime | None = None):
    """Per team the user manages (every team for directors): acknowledged, pending, overdue."""
    now = now or timezone.now()
    scope = permissions.managed_team_scope(user)
    teams = Team.objects.all() if scope is None else Team.objects.filter(pk__in=scope)
    acks = list(
        Acknowledgment.objects.filter(version=version, superseded_at__isnull=True).select_related(
            "user"
        )
    )
    rows = []
    for team in teams.prefetch_related("members", "managers"):
        people = {u.pk for u in chain(team.members.all(), team.managers.all())}
        row = TeamCoverage(team=team)
        for ack in acks:
            if ack.user_id not in people:
                continue
            if ack.acknowledged_at is not None:
                row.acknowledged += 1
            elif ack.due_at < now:
                row.overdue += 1
                row.waiting.append((ack.user, True))
            else:
                row.pending += 1
                row.waiting.append((ack.user, False))
        rows.append(row)
    return rows


def macros_for_use() -> QuerySet:
    return Macro.objects.filter(active=True).order_by("title")


@dataclass
class AuditEntry:
    at: datetime
    model: str
    object_id: int
    change: str  # created / changed / deleted
    user: User | None
    summary: str
    fields: list[str]


_CHANGE = {"+": "created", "~": "changed", "-": "deleted"}


def audit_history(*, limit: int = 200) -> list[AuditEntry]:
    """The latest changes to documents, versions, transitions, acknowledgments and macros."""
    from policies.models import VersionTransition

    entries: list[AuditEntry] = []
    for model in (PolicyDocument, PolicyVersion, VersionTransition, Acknowledgment, Macro):
        label = str(model._meta.verbose_name).capitalize()
        records = model.history.select_related("history_user").order_by("-history_date")[:limit]
        for record in records:
            changed: list[str] = []
            if record.history_type == "~" and record.prev_record is not None:
                changed = sorted(record.diff_against(record.prev_record).changed_fields)
            entries.append(
                AuditEntry(
                    at=record.history_date,
                    model=label,
                    object_id=record.id,
                    change=_CHANGE.get(record.history_type, record.history_type),
                    user=record.history_user,
                    summary=str(record.instance)[:120],
                    fields=changed,
                )
            )
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries[:limit]
