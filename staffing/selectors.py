"""Reads for the staff development screens and for other layers (kpis dashboards).

Functions taking a ``viewer`` are scoped to what that user may see
(``csops.permissions.scope_staff_records``); the others take ids the caller already checked.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import User
from django.db.models import Avg, Count, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from csops import permissions
from csops.errors import NotFound
from csops.roles import ROLE_ORDER, Role
from staffing import step_evidence
from staffing.models import (
    Certification,
    Course,
    OnboardingPlan,
    QAReview,
    QAScore,
    StaffCertification,
    Team,
    TrainingRecord,
)
from staffing.models.certifications import CertStatus

# --- People ----------------------------------------------------------------------------


def visible_people(viewer: User) -> QuerySet[User]:
    qs = User.objects.filter(is_active=True, groups__isnull=False).distinct()
    return permissions.scope_staff_records(viewer, qs, field="pk").order_by("username")


def access_person(viewer: User, user_id: int) -> User:
    person = visible_people(viewer).filter(pk=user_id).first()
    if person is None:
        raise NotFound(f"Person #{user_id} does not exist or is not in your teams.")
    return person


def managed_teams(viewer: User) -> QuerySet[Team]:
    scope = permissions.managed_team_scope(viewer)
    qs = Team.objects.order_by("tier", "name")
    return qs if scope is None else qs.filter(pk__in=scope)


# --- Training --------------------------------------------------------------------------


def training_records(viewer: User) -> QuerySet[TrainingRecord]:
    qs = TrainingRecord.objects.select_related("course", "user", "verified_by")
    return permissions.scope_staff_records(viewer, qs)


@dataclass
class TrainingOverview:
    assigned: list[TrainingRecord] = field(default_factory=list)
    due: list[TrainingRecord] = field(default_factory=list)
    overdue: list[TrainingRecord] = field(default_factory=list)
    completed: list[TrainingRecord] = field(default_factory=list)
    hours_this_year: Decimal = Decimal("0")


def training_overview(user_id: int, today: date) -> TrainingOverview:
    out = TrainingOverview()
    rows = TrainingRecord.objects.filter(user_id=user_id).select_related("course", "verified_by")
    for r in rows.order_by("due_date", "-completed_on", "pk"):
        getattr(out, r.state(today)).append(r)
    out.completed.sort(key=lambda r: r.completed_on or date.min, reverse=True)
    out.hours_this_year = training_hours(user_id, date(today.year, 1, 1), today)
    return out


def training_hours(user_id: int, start: date, end: date) -> Decimal:
    total = TrainingRecord.objects.filter(
        user_id=user_id, completed_on__gte=start, completed_on__lte=end
    ).aggregate(h=Sum("hours"))["h"]
    # Two places on every database (SQLite's SUM drops trailing zeros).
    return Decimal(total or 0).quantize(Decimal("0.01"))


# --- Certifications --------------------------------------------------------------------


@dataclass
class CertFlag:
    certification: str
    state: str  # missing, expired, due_soon
    expires_on: date | None = None


@dataclass(frozen=True)
class CECycle:
    start: date
    end: date | None  # exclusive; None: open-ended
    hours: Decimal
    required: Decimal


def ce_cycle(held: StaffCertification, today: date) -> CECycle:
    """The continuing-education cycle ``today`` falls in (cycles of ``ce_cycle_months`` from
    the issue date; without one, the whole validity) and the CE hours logged in it. Reads
    ``held.ce_entries.all()`` (prefetch it for lists)."""
    months = held.certification.ce_cycle_months
    if months:
        elapsed = relativedelta(max(today, held.issued_on), held.issued_on)
        n = (elapsed.years * 12 + elapsed.months) // months
        start = held.issued_on + relativedelta(months=n * months)
        end: date | None = held.issued_on + relativedelta(months=(n + 1) * months)
    else:
        start, end = held.issued_on, held.expires_on
    hours = sum(
        (
            e.hours
            for e in held.ce_entries.all()
            if e.completed_on >= start and (end is None or e.completed_on < end)
        ),
        Decimal("0"),
    )
    return CECycle(start, end, hours, held.certification.ce_hours_required)


def held_certifications(user_id: int) -> QuerySet[StaffCertification]:
    return (
        StaffCertification.objects.filter(user_id=user_id)
        .select_related("certification")
        .prefetch_related("ce_entries")
        .order_by("-status", "expires_on")
    )


def cert_flags(user: User, today: date) -> list[CertFlag]:
    """Expired or missing required certifications, and those expiring within 90 days."""
    return cert_flags_for([user], today)[user.pk]


def _roles_of(users: list[User]) -> dict[int, str | None]:
    """Each person's highest role name, in one query (as ``csops.permissions.role_of``)."""
    names: dict[int, set[str]] = defaultdict(set)
    rows = User.groups.through.objects.filter(user__in=users).values_list("user_id", "group__name")
    for user_id, name in rows:
        names[user_id].add(name)
    return {
        u.pk: Role.ADMIN.value
        if u.is_superuser
        else next((r.value for r in ROLE_ORDER if r.value in names[u.pk]), None)
        for u in users
    }


def cert_flags_for(users: list[User], today: date) -> dict[int, list[CertFlag]]:
    """``cert_flags`` for many people in a fixed number of queries (team and list pages)."""
    catalog = list(Certification.objects.filter(active=True).prefetch_related("required_for_teams"))
    held: dict[int, dict[int, StaffCertification]] = defaultdict(dict)
    for h in StaffCertification.objects.filter(
        user__in=users, status=CertStatus.ACTIVE
    ).select_related("certification"):
        held[h.user_id][h.certification_id] = h
    teams: dict[int, set[int]] = defaultdict(set)
    for user_id, team_id in Team.members.through.objects.filter(user__in=users).values_list(
        "user_id", "team_id"
    ):
        teams[user_id].add(team_id)
    roles = _roles_of(users)
    order = {"missing": 0, "expired": 1, "due_soon": 2}
    out: dict[int, list[CertFlag]] = {}
    for user in users:
        mine = held[user.pk]
        flags = [
            CertFlag(c.name, "missing")
            for c in catalog
            if c.pk not in mine
            and (
                roles[user.pk] in c.required_for_roles
                or teams[user.pk] & {t.pk for t in c.required_for_teams.all()}
            )
        ]
        for h in mine.values():
            state = h.state(today)
            if state in ("expired", "due_soon"):
                flags.append(CertFlag(h.certification.name, state, h.expires_on))
        out[user.pk] = sorted(flags, key=lambda f: (order[f.state], f.certification))
    return out


def certifications_on(user_id: int, on: date) -> list[dict]:
    rows = StaffCertification.objects.filter(
        Q(expires_on__isnull=True) | Q(expires_on__gt=on),
        user_id=user_id,
        issued_on__lte=on,
        status=CertStatus.ACTIVE,
    ).select_related("certification")
    return [
        {
            "name": r.certification.name,
            "issued_on": r.issued_on.isoformat(),
            "expires_on": r.expires_on.isoformat() if r.expires_on else None,
        }
        for r in rows
    ]


# --- Compliance ------------------------------------------------------------------------


@dataclass
class ComplianceRow:
    team: Team
    person: User
    status: str  # compliant, due_soon, overdue
    issues: list[str]


def team_compliance(team: Team, today: date) -> list[ComplianceRow]:
    """Each member: overdue (a required certification missing or expired, or training
    overdue), due soon (a certification expiring within 90 days or training due within 14
    days), else compliant."""
    rows = []
    open_records = TrainingRecord.objects.filter(
        user__in=team.members.all(), completed_on__isnull=True
    ).select_related("course")
    by_user: dict[int, list[TrainingRecord]] = {}
    for r in open_records:
        by_user.setdefault(r.user_id, []).append(r)
    people = list(team.members.filter(is_active=True).order_by("username"))
    flags_by_person = cert_flags_for(people, today)
    for person in people:
        issues, status = [], "compliant"
        for flag in flags_by_person[person.pk]:
            word = {"missing": "missing", "expired": "expired", "due_soon": "expires"}[flag.state]
            when = f" {flag.expires_on}" if flag.expires_on else ""
            issues.append(f"{flag.certification}: {word}{when}")
            status = "overdue" if flag.state != "due_soon" else _worse(status, "due_soon")
        for r in by_user.get(person.pk, []):
            state = r.state(today)
            if state in ("overdue", "due"):
                issues.append(
                    f"{r.course.title}: {'overdue' if state == 'overdue' else 'due'} {r.due_date}"
                )
                status = _worse(status, "overdue" if state == "overdue" else "due_soon")
        rows.append(ComplianceRow(team, person, status, issues))
    return rows


def _worse(a: str, b: str) -> str:
    rank = {"compliant": 0, "due_soon": 1, "overdue": 2}
    return a if rank[a] >= rank[b] else b


# --- Onboarding ------------------------------------------------------------------------


@dataclass
class StepProgress:
    step: object
    done_on: date | None
    late: bool


@dataclass
class PlanProgress:
    plan: OnboardingPlan
    steps: list[StepProgress]

    @property
    def done(self) -> int:
        return sum(1 for s in self.steps if s.done_on)

    @property
    def percent(self) -> int:
        return round(100 * self.done / len(self.steps)) if self.steps else 100

    @property
    def late(self) -> list[StepProgress]:
        return [s for s in self.steps if s.late]


def plan_progress(plan: OnboardingPlan, today: date) -> PlanProgress:
    steps = list(plan.steps.select_related("course", "certification", "signed_off_by"))
    done = step_evidence.evidence_for(plan, steps)
    return PlanProgress(
        plan,
        [StepProgress(s, done.get(s.pk), s.pk not in done and s.due_date < today) for s in steps],
    )


def onboarding_plans(viewer: User) -> QuerySet[OnboardingPlan]:
    qs = OnboardingPlan.objects.select_related("user", "template", "mentor")
    return permissions.scope_staff_records(viewer, qs)


# --- QA --------------------------------------------------------------------------------


def qa_reviews(viewer: User) -> QuerySet[QAReview]:
    qs = QAReview.objects.select_related("rep", "reviewer", "team", "scorecard_version__scorecard")
    return permissions.scope_staff_records(viewer, qs, field="rep")


def _reviewed(start: date | None, end: date | None) -> Q:
    q = Q(reviewed_at__isnull=False, score__isnull=False)
    tz = timezone.get_current_timezone()
    if start:
        q &= Q(reviewed_at__gte=datetime.combine(start, time.min, tz))
    if end:
        q &= Q(reviewed_at__lt=datetime.combine(end + relativedelta(days=1), time.min, tz))
    return q


def qa_summary(
    *,
    rep_id: int | None = None,
    team_id: int | None = None,
    start: date | None = None,
    end: date | None = None,
) -> dict:
    """{"average": Decimal | None, "count": int} of scored reviews."""
    qs = QAReview.objects.filter(_reviewed(start, end))
    if rep_id is not None:
        qs = qs.filter(rep_id=rep_id)
    if team_id is not None:
        qs = qs.filter(team_id=team_id)
    agg = qs.aggregate(average=Avg("score"), count=Count("pk"))
    avg = agg["average"]
    return {
        "average": None if avg is None else Decimal(avg).quantize(Decimal("0.01"), ROUND_HALF_UP),
        "count": agg["count"],
    }


def qa_averages(
    *,
    by: str = "rep",
    rep_ids: list[int] | None = None,
    team_ids: list[int] | None = None,
    start: date | None = None,
    end: date | None = None,
) -> dict[str, list[dict]]:
    """QA figures for the KPI dashboards: average score per month per rep (``by="rep"``) or
    team (``by="team"``), and average percentage of the maximum per criterion name.

    ``{"over_time": [{"key": id, "month": date, "average": Decimal, "count": n}],
       "by_criterion": [{"key": id, "criterion": name, "average_percent": Decimal, "count": n}]}``
    Callers scope the ids (e.g. with ``csops.permissions``)."""
    key = "rep_id" if by == "rep" else "team_id"
    reviews = QAReview.objects.filter(_reviewed(start, end))
    if rep_ids is not None:
        reviews = reviews.filter(rep_id__in=rep_ids)
    if team_ids is not None:
        reviews = reviews.filter(team_id__in=team_ids)
    over_time = (
        reviews.annotate(month=TruncMonth("reviewed_at"))
        .values(key, "month")
        .annotate(average=Avg("score"), count=Count("pk"))
        .order_by(key, "month")
    )
    q2 = Decimal("0.01")
    per_criterion = (
        QAScore.objects.filter(review__in=reviews)
        .values(f"review__{key}", "criterion__name")
        .annotate(got=Sum("score"), max=Sum("criterion__max_score"), count=Count("pk"))
        .order_by(f"review__{key}", "criterion__name")
    )
    by_criterion = [
        {
            "key": row[f"review__{key}"],
            "criterion": row["criterion__name"],
            "average_percent": (Decimal(row["got"]) * 100 / Decimal(row["max"])).quantize(
                q2, ROUND_HALF_UP
            ),
            "count": row["count"],
        }
        for row in per_criterion
    ]
    return {
        "over_time": [
            {
                "key": r[key],
                "month": r["month"].date(),
                "average": Decimal(r["average"]).quantize(q2, ROUND_HALF_UP),
                "count": r["count"],
            }
            for r in over_time
        ],
        "by_criterion": by_criterion,
    }


# --- Catalog ---------------------------------------------------------------------------


def courses() -> QuerySet[Course]:
    return Course.objects.filter(active=True).prefetch_related(
        Prefetch("required_for_teams", queryset=Team.objects.order_by("name"))
    )
