"""Courses, assignments and completions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max

from csops import permissions, uploads
from csops.errors import InvalidInput, NotAllowed, NotFound
from csops.notify import notify
from staffing.models import Course, Team, TrainingRecord
from staffing.models.training import Source
from staffing.services._common import now, role_name, today


def create_course(*, by: User, title: str, **fields) -> Course:
    permissions.ensure_can_edit_staff_catalog(by)
    if Course.objects.filter(title__iexact=title).exists():
        raise InvalidInput(
            "A course with this title exists.", fields={"title": ["Already exists."]}
        )
    teams = fields.pop("required_for_teams", [])
    course = Course.objects.create(title=title, **fields)
    course.required_for_teams.set(teams)
    return course


def _open_record_user_ids(course: Course, user_ids: list[int]) -> set[int]:
    return set(
        TrainingRecord.objects.filter(
            course=course, user_id__in=user_ids, completed_on__isnull=True
        ).values_list("user_id", flat=True)
    )


def _create_records(
    course: Course,
    users: list[User],
    *,
    due_date: date | None,
    by: User | None,
    source: str,
    team: Team | None = None,
) -> list[TrainingRecord]:
    taken = _open_record_user_ids(course, [u.pk for u in users])
    at = now()
    rows = [
        TrainingRecord(
            course=course,
            user=u,
            team=team,
            source=source,
            assigned_at=at,
            assigned_by=by,
            due_date=due_date,
        )
        for u in users
        if u.pk not in taken
    ]
    TrainingRecord.objects.bulk_create(rows)
    for row in rows:
        notify(
            [row.user],
            key=f"training:{row.pk}:assigned",
            text=f"Course assigned: {course.title}" + (f", due {due_date}" if due_date else ""),
            url=f"/staff/people/{row.user_id}/",
        )
    return rows


def assign_course(
    course: Course,
    *,
    by: User,
    due_date: date | None,
    users: list[User] | None = None,
    team: Team | None = None,
) -> list[TrainingRecord]:
    """Assign a course to people, or to every member of a team. People who already have the
    course open are skipped. Returns the new records."""
    if due_date is not None and due_date < today():
        raise InvalidInput("The due date is in the past.", fields={"due_date": ["In the past."]})
    if not course.active:
        raise InvalidInput("This course is retired.", fields={"course": ["Retired."]})
    if team is not None:
        permissions.ensure_can_manage_team(by, team.pk)
        people = list(team.members.filter(is_active=True))
        source = Source.TEAM
    else:
        people = list(users or [])
        if not people:
            raise InvalidInput("Choose people or a team.", fields={"users": ["Required."]})
        for person in people:
            permissions.ensure_can_manage_person(by, person.pk)
        source = Source.MANUAL
    with transaction.atomic():
        return _create_records(course, people, due_date=due_date, by=by, source=source, team=team)


def access_record(user: User, pk: int, *, for_update: bool = False) -> TrainingRecord:
    qs = TrainingRecord.objects.select_related("course", "user")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    record = permissions.scope_staff_records(user, qs).filter(pk=pk).first()
    if record is None:
        raise NotFound(f"Training record #{pk} does not exist or is not yours to see.")
    return record


def complete_training(
    pk: int,
    *,
    by: User,
    completed_on: date,
    hours: Decimal | None = None,
    score: Decimal | None = None,
    evidence_file: UploadedFile | None = None,
    evidence_url: str = "",
    verify: bool = False,
) -> TrainingRecord:
    """Record a completion. The person records their own; a manager may record it for them
    and verify it in the same step (``verify``)."""
    with transaction.atomic():
        record = access_record(by, pk, for_update=True)
        is_self = record.user_id == by.pk
        if not is_self:
            permissions.ensure_can_manage_person(by, record.user_id)
        if record.completed_on:
            raise InvalidInput("This course is already completed.")
        errors: dict[str, list[str]] = {}
        assigned = record.assigned_at.date()
        if completed_on < assigned:
            errors["completed_on"] = [
                f"The completion cannot be before the assignment ({assigned})."
            ]
        elif completed_on > today():
            errors["completed_on"] = ["The completion cannot be in the future."]
        if hours is not None and hours < 0:
            errors["hours"] = ["Hours cannot be negative."]
        if score is not None and not 0 <= score <= 100:
            errors["score"] = ["A score is between 0 and 100."]
        if evidence_file is not None:
            try:
                uploads.check_upload(evidence_file, field="evidence_file")
            except InvalidInput as exc:
                errors |= exc.fields
        if errors:
            raise InvalidInput("The completion is not valid.", fields=errors)
        record.completed_on = completed_on
        record.hours = record.course.hours if hours is None else hours
        record.score = score
        record.evidence_url = evidence_url
        if evidence_file is not None:
            record.evidence_file = evidence_file
        record.recorded_at = now()
        if verify and permissions.can_manage_person(by, record.user_id) and not is_self:
            record.verified_by = by
        record.save()
    return record


def verify_training(pk: int, *, by: User) -> TrainingRecord:
    with transaction.atomic():
        record = access_record(by, pk, for_update=True)
        permissions.ensure_can_manage_person(by, record.user_id)
        if record.user_id == by.pk:
            raise NotAllowed("You cannot verify your own training.")
        if not record.completed_on:
            raise InvalidInput("Only a completed course can be verified.")
        record.verified_by = by
        record.save(update_fields=["verified_by"])
    return record


def is_current(course: Course, completed_on: date | None, on: date) -> bool:
    """Whether a completion still counts (recurring courses lapse after their period)."""
    if completed_on is None:
        return False
    if course.recurrence_months is None:
        return True
    return completed_on + relativedelta(months=course.recurrence_months) > on


def required_courses(user: User) -> list[Course]:
    role = role_name(user)
    team_ids = set(user.teams.values_list("pk", flat=True))
    courses = Course.objects.filter(active=True).prefetch_related("required_for_teams")
    return [
        c
        for c in courses
        if role in c.required_for_roles or team_ids & {t.pk for t in c.required_for_teams.all()}
    ]


def assign_required(user: User, *, by: User | None, on: date | None = None) -> list[TrainingRecord]:
    """Assign every course required for the person's role or teams that they have neither
    open nor completed recently enough (recurring courses come due again). Idempotent."""
    on = on or today()
    created: list[TrainingRecord] = []
    for course in required_courses(user):
        records = TrainingRecord.objects.filter(user=user, course=course)
        if records.filter(completed_on__isnull=True).exists():
            continue
        last = records.aggregate(last=Max("completed_on"))["last"]
        if is_current(course, last, on):
            continue
        source = Source.RECURRENCE if last else Source.REQUIRED
        due = on + relativedelta(days=course.due_within_days)
        with transaction.atomic():
            created += _create_records(course, [user], due_date=due, by=by, source=source)
    return created


def assign_required_for_everyone(on: date | None = None) -> int:
    """The daily sweep (role changes made in the admin, recurring courses due again)."""
    staff = User.objects.filter(is_active=True, groups__isnull=False).distinct()
    return sum(len(assign_required(u, by=None, on=on)) for u in staff)
