"""Permission matrix rows of hiring (staffing/hiring): the managers of the requisition's team
(``team``) and directors/admins work it; only directors/admins approve; reps reach nothing
(403 on the hiring page, 404 on any requisition or candidate)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from staffing.hiring import competencies, services
from staffing.hiring.models import Candidate, Competency, Requisition, StageMove
from tests.matrix import Row, api_staff, staff

JSON = "application/json"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"

TEAM = staff(200, rep=404, rep_other_team=404)
WRITE = staff(302, rep=404, rep_other_team=404)
API_READ = api_staff(200, rep=404, rep_other_team=404)


def _pending(ctx) -> Requisition:
    competencies.ensure_defaults()  # a transactional test's flush removed the migration's
    return services.open_requisition(
        by=ctx["users"]["manager"],
        team=ctx["team"],
        role="Rep",
        title="Support rep",
        count=2,
        reason="Spring peak",
    )


def _open(ctx) -> Requisition:
    return services.decide_requisition(_pending(ctx).pk, by=ctx["users"]["director"], approve=True)


def _candidate(ctx, *, stage: str | None = None, cv: bool = False) -> Candidate:
    c = services.add_candidate(
        _open(ctx),
        by=ctx["users"]["manager"],
        name="Nora Quinn",
        source="referral",
        cv=SimpleUploadedFile("cv.pdf", PDF) if cv else None,
    )
    if stage:
        c = services.move_candidate(c.pk, by=ctx["users"]["manager"], to=stage)
    return c


def _req_kw(ctx) -> dict:
    return {"pk": _open(ctx).pk}


def _pending_kw(ctx) -> dict:
    return {"pk": _pending(ctx).pk}


def _cand_kw(ctx) -> dict:
    return {"pk": _candidate(ctx).pk}


def _screen_kw(ctx) -> dict:
    return {"pk": _candidate(ctx, stage="screen").pk}


def _requisitions(ctx) -> list:
    return list(Requisition.objects.values_list("pk", "status"))


def _candidates(ctx) -> list:
    return list(Candidate.objects.values_list("pk", "stage", "name"))


def _moves(ctx) -> list:
    return list(StageMove.objects.values_list("pk", "to_stage"))


def _scorecard_form(ctx) -> dict:
    return {
        "stage": "screen",
        **{f"c{c.pk}": 3 for c in Competency.objects.filter(stage="screen", active=True)},
    }


def _scorecard_json(ctx) -> dict:
    ratings = {str(c.pk): 3 for c in Competency.objects.filter(stage="screen", active=True)}
    return {"stage": "screen", "ratings": ratings}


def _scorecards(ctx) -> int:
    return sum(c.scorecards.count() for c in Candidate.objects.all())


ROWS: dict[str, Row] = {
    "staffing:hiring": Row("get", staff(200, rep=403, rep_other_team=403)),
    "staffing:hiring-requisition-new": Row(
        "post",
        staff(302, rep=403, rep_other_team=403),
        data=lambda ctx: {
            "team": ctx["team"].pk,
            "role": "Rep",
            "title": "Chat rep",
            "count": 1,
            "reason": "Chat grows",
        },
        snapshot=_requisitions,
    ),
    "staffing:hiring-requisition": Row("get", TEAM, kwargs=_req_kw),
    "staffing:hiring-requisition-decide": Row(
        "post",
        staff(302, rep=403, rep_other_team=403, manager=403),
        kwargs=_pending_kw,
        data=lambda ctx: {"approve": "1"},
        snapshot=_requisitions,
    ),
    "staffing:hiring-candidate-add": Row(
        "post",
        WRITE,
        kwargs=_req_kw,
        data=lambda ctx: {"name": "Ann Lee", "source": "careers"},
        snapshot=_candidates,
    ),
    "staffing:hiring-candidate": Row("get", TEAM, kwargs=_cand_kw),
    "staffing:hiring-candidate-move": Row(
        "post", WRITE, kwargs=_cand_kw, data=lambda ctx: {"to": "screen"}, snapshot=_moves
    ),
    "staffing:hiring-scorecard-submit": Row(
        "post", WRITE, kwargs=_screen_kw, data=_scorecard_form, snapshot=_scorecards
    ),
    "staffing:hiring-candidate-cv": Row(
        "get", TEAM, kwargs=lambda ctx: {"pk": _candidate(ctx, cv=True).pk}
    ),
    "staffing-api:hiring-requisition-list": Row(
        "post",
        api_staff(201, rep=404, rep_other_team=404),
        data=lambda ctx: {
            "team": ctx["team"].pk,
            "role": "Rep",
            "title": "Chat rep",
            "count": 1,
            "reason": "Chat grows",
        },
        snapshot=_requisitions,
        content_type=JSON,
    ),
    "staffing-api:hiring-requisition-detail": Row("get", API_READ, kwargs=_req_kw),
    "staffing-api:hiring-requisition-decide": Row(
        "post",
        api_staff(200, rep=404, rep_other_team=404, manager=403),
        kwargs=_pending_kw,
        data=lambda ctx: {"approve": True},
        snapshot=_requisitions,
        content_type=JSON,
    ),
    "staffing-api:hiring-candidate-list": Row(
        "post",
        api_staff(201, rep=404, rep_other_team=404),
        data=lambda ctx: {"requisition": _open(ctx).pk, "name": "Ann Lee", "source": "careers"},
        snapshot=_candidates,
        content_type=JSON,
    ),
    "staffing-api:hiring-candidate-detail": Row("get", API_READ, kwargs=_cand_kw),
    "staffing-api:hiring-candidate-move": Row(
        "post",
        API_READ,
        kwargs=_cand_kw,
        data=lambda ctx: {"to": "screen"},
        snapshot=_moves,
        content_type=JSON,
    ),
    "staffing-api:hiring-candidate-scorecards": Row(
        "post",
        api_staff(201, rep=404, rep_other_team=404),
        kwargs=_screen_kw,
        data=_scorecard_json,
        snapshot=_scorecards,
        content_type=JSON,
    ),
}


ROWS |= {
    "staffing:hiring-requisition-close": Row(
        "post",
        WRITE,
        kwargs=_req_kw,
        data=lambda ctx: {"note": "Need gone"},
        snapshot=_requisitions,
    ),
    "staffing-api:hiring-requisition-close": Row(
        "post",
        API_READ,
        kwargs=_req_kw,
        data=lambda ctx: {"note": "Need gone"},
        snapshot=_requisitions,
        content_type=JSON,
    ),
}
