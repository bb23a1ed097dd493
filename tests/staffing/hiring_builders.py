"""Hiring test data: an approved requisition and candidates moved through the services."""

from __future__ import annotations

from django.contrib.auth.models import User

from staffing.hiring import competencies, services
from staffing.hiring.models import Candidate, Requisition, Stage
from staffing.models import Team
from tests.staffing import builders

PATH = [Stage.SCREEN, Stage.INTERVIEW, Stage.OFFER]


def onboarding_template():
    """The Rep onboarding template hires are given: a course step and a shadowing step."""
    course = builders.course("Ticketing 101")
    return builders.template(
        "New rep",
        steps=[
            {"kind": "course", "title": "Take Ticketing 101", "course": course},
            {"kind": "shadowing", "title": "Shadow a senior rep", "due_after_days": 3},
        ],
    )


def open_requisition(team: Team, manager: User, director: User, count: int = 1) -> Requisition:
    competencies.ensure_defaults()  # a transactional test's flush removed the migration's
    req = services.open_requisition(
        by=manager,
        team=team,
        role="Rep",
        title="Support rep",
        count=count,
        reason="Chat volume grows 20% in spring.",
    )
    return services.decide_requisition(req.pk, by=director, approve=True)


def candidate(req: Requisition, by: User, name: str = "Nora Quinn", **kw) -> Candidate:
    kw.setdefault("email", "nora.quinn@example.com")
    kw.setdefault("source", "referral")
    return services.add_candidate(req, by=by, name=name, **kw)


def to_offer(c: Candidate, by: User) -> Candidate:
    for stage in PATH:
        c = services.move_candidate(c.pk, by=by, to=stage)
    return c
