"""Acknowledgment use cases: who must acknowledge a published version, acknowledging it,
reminders (by a manager, and by the beat task for overdue ones, each sent once), and keeping
the requests in step with each person's audience after publication: team membership
(``request_for_joiners``/``withdraw_for_leavers``, listeners on ``staffing.services.teams``)
and role (``follow_role_change``, a listener on ``staffing.services.people``), both registered
by ``PoliciesConfig.ready``.

A version's audience (``affected_users``) is the active members of the groups its
``ack_roles`` name, plus the members and managers of its ``ack_teams``."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from csops import permissions
from csops.clock import now_s
from csops.errors import InvalidInput, NotAllowed
from csops.notify import notify
from csops.people import display_name
from policies.models import Acknowledgment, PolicyVersion, VersionState
from staffing.models import Team


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
    due = _due_at(version, at)
    rows = [
        Acknowledgment(version=version, user=user, requested_at=at, due_at=due)
        for user in affected_users(version)
    ]
    bulk_create_with_history(rows, Acknowledgment, default_user=by)
    _notify_requested(version, [r.user for r in rows], due)
    return len(rows)


def _due_at(version: PolicyVersion, asked_at: datetime) -> datetime:
    """Due ``ack_within_days`` after the request, or after the effective date if later."""
    starts = timezone.make_aware(datetime.combine(version.effective_date, time.min))
    return max(asked_at, starts) + timedelta(days=version.ack_within_days)


def _notify_requested(version: PolicyVersion, users: list[User], due: datetime) -> int:
    # One key per version: whoever was already told about it is not told twice.
    return notify(
        users,
        key=f"policy-ack-requested:{version.pk}",
        text=f"Please read and acknowledge {version} by {due:%Y-%m-%d}.",
        url=reverse("policies:version-detail", args=[version.pk]),
    )


def _addresses(version: PolicyVersion, user_id: int) -> bool:
    return affected_users(version).filter(pk=user_id).exists()


def _current_versions() -> QuerySet[PolicyVersion]:
    """The versions that collect acknowledgments now: per document the latest published
    version (``request_for`` closed the others' requests), if it asks for acknowledgment."""
    latest = (
        PolicyVersion.objects.filter(document=OuterRef("document"), state=VersionState.PUBLISHED)
        .order_by("-number")
        .values("pk")[:1]
    )
    return (
        PolicyVersion.objects.filter(
            pk=Subquery(latest), state=VersionState.PUBLISHED, ack_required=True
        )
        .select_related("document")
        .order_by("pk")
    )


def open_versions_for_team(team_id: int) -> list[PolicyVersion]:
    """The current versions (``_current_versions``) that name this team in their audience."""
    return list(_current_versions().filter(ack_teams=team_id))


def _ask(version: PolicyVersion, people: list[User], *, at: datetime, by: User | None) -> int:
    """Ask ``people`` (active, locked by the caller) who came into the version's audience
    after it was published: a request due ``ack_within_days`` from ``at``, and the notice.
    Someone already asked (or who acknowledged) is left alone; a request withdrawn when they
    left the audience opens again. Returns how many were asked."""
    existing = {
        a.user_id: a
        for a in Acknowledgment.objects.select_for_update().filter(version=version, user__in=people)
    }
    due = _due_at(version, at)
    new = [
        Acknowledgment(version=version, user=u, requested_at=at, due_at=due)
        for u in people
        if u.pk not in existing
    ]
    bulk_create_with_history(new, Acknowledgment, default_user=by)
    reopened = [a for a in existing.values() if a.acknowledged_at is None and a.superseded_at]
    for ack in reopened:
        ack.requested_at, ack.due_at, ack.superseded_at = at, due, None
        ack._history_user = by  # type: ignore[attr-defined]
        ack.save(update_fields=["requested_at", "due_at", "superseded_at"])
    asked = {a.user_id for a in new} | {a.user_id for a in reopened}
    _notify_requested(version, [u for u in people if u.pk in asked], due)
    return len(asked)


def _withdraw(ack: Acknowledgment, *, at: datetime, by: User | None) -> None:
    ack.superseded_at = at
    ack._history_user = by  # type: ignore[attr-defined]
    ack.save(update_fields=["superseded_at"])


def request_for_joiners(team: Team, users: list[User], *, by: User | None) -> int:
    """People who join a team after a version addressed to it was published are asked too,
    as its audience was at publication: a request due ``ack_within_days`` from now, and the
    notice. Idempotent: someone already asked (or who acknowledged) is left alone; a request
    withdrawn when they left the team opens again. Returns how many requests were opened."""
    people = sorted((u for u in users if u.is_active), key=lambda u: u.pk)
    if not people:
        return 0
    # Lock the people (in pk order) so that joining two teams at once asks them once.
    list(User.objects.select_for_update().filter(pk__in=[u.pk for u in people]).order_by("pk"))
    at = now_s()
    return sum(_ask(version, people, at=at, by=by) for version in open_versions_for_team(team.pk))


def withdraw_for_leavers(team: Team, users: list[User], *, by: User | None) -> int:
    """People who leave a team are no longer asked by the versions addressed to it, unless
    they are still in the audience (another of its teams, or their role): their open request
    closes (``superseded_at``), so it leaves their home page, the reminders and every team's
    coverage. Acknowledgments already given stay on record. Returns how many closed."""
    pending = (
        Acknowledgment.objects.select_for_update(of=("self",))
        .filter(
            user__in=[u.pk for u in users],
            version__ack_teams=team.pk,
            acknowledged_at__isnull=True,
            superseded_at__isnull=True,
        )
        .select_related("version")
        .order_by("pk")
    )
    at = now_s()
    closed = 0
    for ack in pending:
        if not _addresses(ack.version, ack.user_id):
            _withdraw(ack, at=at, by=by)
            closed += 1
    return closed


def follow_role_change(user: User, *, by: User | None) -> tuple[int, int]:
    """After someone's role changed (their groups, or being active, in the admin's user
    form): they are asked for each current version that addresses them now and had not asked
    them (as ``request_for_joiners`` does, a withdrawn request opening again), and each open
    request of theirs whose version no longer addresses them closes, as for leavers. The
    audience is checked as a whole (roles and teams), so whatever changed, the requests end in
    step with it. Acknowledgments given stay. Idempotent. Returns (opened, closed)."""
    # Locked like request_for_joiners, so a concurrent team join asks them once.
    person = User.objects.select_for_update().get(pk=user.pk)
    at = now_s()
    addressed: dict[int, bool] = {}
    opened = 0
    for version in _current_versions():
        addressed[version.pk] = _addresses(version, person.pk)
        if addressed[version.pk]:
            opened += _ask(version, [person], at=at, by=by)
    pending = (
        Acknowledgment.objects.select_for_update(of=("self",))
        .filter(user=person, acknowledged_at__isnull=True, superseded_at__isnull=True)
        .select_related("version")
        .order_by("pk")
    )
    closed = 0
    for ack in pending:
        still = addressed.get(ack.version_id)
        if still is None:
            still = _addresses(ack.version, person.pk)
        if not still:
            _withdraw(ack, at=at, by=by)
            closed += 1
    return opened, closed


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
        text=f"Reminder from {display_name(by)}: please acknowledge {version}.",
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
