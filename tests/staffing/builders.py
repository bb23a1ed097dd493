"""Staff development test data, built through the staffing services where it matters."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.contrib.auth.models import Group, User
from django.utils import timezone

from csops.roles import Role
from staffing.models import (
    Certification,
    Course,
    OnboardingStep,
    OnboardingTemplate,
    QAReview,
    Scorecard,
    StaffCertification,
    Team,
    TrainingRecord,
)
from staffing.services import qa, training
from tests.factories import make_ticket
from tickets import services as ticket_services

CRITERIA = [
    {"name": "Greeting", "description": "Greets by name.", "weight": Decimal(1), "max_score": 5},
    {"name": "Accuracy", "description": "Right answer.", "weight": Decimal(3), "max_score": 5},
    {
        "name": "Policy followed",
        "description": "Follows the refund policy.",
        "weight": Decimal(2),
        "max_score": 1,
        "critical": True,
        "fail_below": 1,
    },
]


def course(title: str = "Data protection basics", **kw) -> Course:
    kw.setdefault("hours", Decimal("2.50"))
    return Course.objects.create(title=title, **kw)


def certification(name: str = "Certified Support Pro", **kw) -> Certification:
    kw.setdefault("validity_months", 24)
    kw.setdefault("ce_hours_required", Decimal(25))
    return Certification.objects.create(name=name, **kw)


def record(user: User, c: Course | None = None, *, by: User | None = None, **kw) -> TrainingRecord:
    return TrainingRecord.objects.create(
        course=c or course(), user=user, assigned_at=timezone.now(), assigned_by=by, **kw
    )


def held(user: User, cert: Certification | None = None, *, issued_on: date, expires_on=None):
    return StaffCertification.objects.create(
        user=user,
        certification=cert or certification(),
        issued_on=issued_on,
        expires_on=expires_on,
        recorded_at=timezone.now(),
    )


def scorecard(by: User, name: str = "Email QA") -> Scorecard:
    return qa.create_scorecard(by=by, name=name, criteria=[dict(c) for c in CRITERIA])


def assigned_ticket(team: Team, rep: User, **kw):
    ticket = make_ticket(team, **kw)
    return ticket_services.claim(ticket.pk, by=rep)


def review(team: Team, rep: User, manager: User, *, card: Scorecard | None = None) -> QAReview:
    card = card or scorecard(manager)
    return qa.start_review(assigned_ticket(team, rep).pk, scorecard=card, by=manager)


def full_scores(r: QAReview, values: tuple[int, ...] = (5, 4, 1)) -> dict[int, tuple[int, str]]:
    criteria = list(r.scorecard_version.criteria.order_by("order"))
    return {c.pk: (v, "") for c, v in zip(criteria, values, strict=True)}


def submitted_review(team: Team, rep: User, manager: User) -> QAReview:
    r = review(team, rep, manager)
    return qa.submit_scores(r.pk, by=manager, scores=full_scores(r))


def template(name: str = "New rep", steps: list[dict] | None = None) -> OnboardingTemplate:
    t = OnboardingTemplate.objects.create(name=name, role="Rep")
    for i, step in enumerate(steps or [], start=1):
        OnboardingStep.objects.create(template=t, order=i, **step)
    return t


def assign(user: User, c: Course, by: User) -> TrainingRecord:
    return training.assign_course(c, by=by, due_date=None, users=[user])[0]


def user_admin_form(user: User, *, roles: list[Role], active: bool = True) -> dict:
    """The POST of the admin's user change form for ``user``, with these groups."""
    joined = timezone.localtime(user.date_joined)
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "groups": [Group.objects.get(name=r.value).pk for r in roles],
        "date_joined_0": f"{joined:%Y-%m-%d}",
        "date_joined_1": f"{joined:%H:%M:%S}",
        "last_login_0": "",
        "last_login_1": "",
    }
    if active:
        data["is_active"] = "on"
    return data
