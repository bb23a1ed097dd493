"""Acknowledgment use cases: who must acknowledge a published version, acknowledging it,
and reminders (by a manager, and by the beat task for overdue ones, each sent once)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from csops import permissions
from csops.clock import now_s
from csops.errors import InvalidInput, NotAllowed
from csops.notify import notify
from policies.models import Acknowledgment, PolicyVersion, VersionState


def affected_users(version: PolicyVersion):
    """Active staff the version asks: members of its roles' groups, or of its teams."""
    teams = list(version.ack_teams.values_list("pk", flat=True))
    who = Q(groups__name__in=version.ack_roles) if version.ack_roles else Q(pk__in=[])
    if teams:
        who |= Q(teams__in=teams) | Q(managed_teams__in=teams)
    return User.objects.filter(who, is_active=True).distinct().order_by("pk")


def supersede_open(
    document_id: int, *, keep_version_id: int | None, at: datetime, by: User | None
) -> int:
    """Close the pending acknowledgments of a document's other versions."""
    stale = Acknowledgment.objects.filter(
        version__document_id=document_id, acknowledged_at__isnull=True, superseded_at__isnull=True
    ).exclude(version_id=keep_version_id)
    count = 0
    for ack in stale.select_for_update():
        ack.superseded_at = at
        ack._history_user = by  # type: ignore[attr-defined]
        ack.save(update_fields=["superseded_at"])
        count += 1
    return count


def request_for(version: PolicyVersion, *, at: datetime, by: User | None) -> int:
    """On publish: acknowledgment starts over for everyone the new version asks."""
    supersede_open(version.document_id, keep_version_id=version.pk, at=at, by=by)
    if not version.ack_required:
        return 0
    starts = timezone.make_aware(datetime.combine(version.effective_date, time.min))
    due = max(at, starts) + timedelta(days=version.ack_within_days)
    rows = [
        Acknowledgment(version=version, user=user, requested_at=at, due_at=due)
        for user in affected_users(version)
    ]
    bulk_create_with_history(rows, Acknowledgment, default_user=by)
    url = reverse("policies:version-detail", args=[version.pk])
    notify(
        [r.user for r in rows],
        key=f"policy-ack-requested:{version.pk}",
        text=f"Please read and acknowledge {version} by {due:%Y-%m-%d}.",
        url=url,
    )
    return len(rows)


@transaction.atomic
def acknowledge(version_id: int, *, by: User) -> Acknowledgment:
    """The reader confirms they read this version (who, which version, when)."""
    version = permissions.access_policy_version(by, version_id)
    ack = (
        Acknowledgment.objects.select_for_update()
        .filter(version=version, user=by, superseded_at__isnull=True)
        .first()
    )
    if ack is None or version.state != VersionState.PUBLISHED:
        raise InvalidInput(f"{version} does not ask you to acknowledge it.")
    if ack.acknowledged_at is None:
        ack.acknowledged_at = now_s()
        ack._history_user = by  # type: ignore[attr-defined]
        ack.save(update_fields=["acknowledged_at"])
    return ack


@transaction.atomic
def remind_team(version_id: int, *, team_id: int, by: User) -> int:
    """A manager reminds the people of one of their teams who have not acknowledged yet.
    At most one reminder per person, version and day. Returns how many were sent."""
    if not permissions.can_edit_policies(by):
        raise NotAllowed("Your role may not send reminders.")
    scope = permissions.managed_team_scope(by)
    if scope is not None and team_id not in scope:
        raise NotAllowed("You do not manage this team.")
    version = permissions.access_policy_version(by, version_id)
    pending = Acknowledgment.objects.filter(
        Q(user__teams=team_id) | Q(user__managed_teams=team_id),
        version=version,
        acknowledged_at__isnull=True,
        superseded_at__isnull=True,
    ).select_related("user")
    users = list({a.user for a in pending})
    today = timezone.localdate()
    return notify(
        users,
        key=f"policy-ack-remind:{version.pk}:{today:%Y-%m-%d}",
        text=f"Reminder from {by.get_full_name() or by.username}: please acknowledge {version}.",
        url=reverse("policies:version-detail", args=[version.pk]),
    )


def send_overdue_reminders(*, now: datetime | None = None) -> int:
    """Remind everyone whose acknowledgment is overdue, once per person and version: the
    notice key makes a second run, or a concurrent one, send nothing. One ``notify`` call per
    version. Returns how many reminders were new."""
    now = now or timezone.now()
    overdue = Acknowledgment.objects.filter(
        acknowledged_at__isnull=True,
        superseded_at__isnull=True,
        due_at__lt=now,
        version__state=VersionState.PUBLISHED,
    ).select_related("user", "version__document")
    by_version: dict[int, list[Acknowledgment]] = {}
    for ack in overdue:
        by_version.setdefault(ack.version_id, []).append(ack)
    sent = 0
    for version_id, acks in by_version.items():
        version = acks[0].version
        sent += notify(
            [a.user for a in acks],
            key=f"policy-ack-overdue:{version_id}",
            text=f"Overdue: please acknowledge {version} (due {acks[0].due_at:%Y-%m-%d}).",
            url=reverse("policies:version-detail", args=[version_id]),
        )
    return sent
