"""Permission matrix rows of the staff development pages and API (issue 5).

The subject of every per-person row is ``rep`` (a member of ``team``, which ``manager``
manages); ``rep_other_team`` may not see it (404), a rep may not write others' records.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from rest_framework.authtoken.models import Token

from staffing.models import (
    CEEntry,
    Certification,
    OnboardingPlanStep,
    OnboardingTemplate,
    PerformanceReview,
    QAReview,
    ScorecardVersion,
    StaffCertification,
    TrainingRecord,
)
from staffing.services import onboarding, qa, reviews
from tests.matrix import Row, api_staff, staff
from tests.staffing import builders

JSON = "application/json"


def _today():
    return timezone.localdate()


def _rep_pk(ctx) -> dict:
    return {"user_id": ctx["users"]["rep"].pk}


def _record(ctx, *, completed: bool = False, evidence: bool = False) -> dict:
    rec = builders.record(ctx["users"]["rep"])
    if completed:
        rec.completed_on, rec.hours = _today(), rec.course.hours
    if evidence:
        rec.evidence_file.save("certificate.txt", ContentFile(b"done"), save=False)
    rec.save()
    ctx["record"] = rec
    return {"pk": rec.pk}


def _record_snapshot(ctx):
    r = TrainingRecord.objects.get(pk=ctx["record"].pk)
    return (r.completed_on, r.verified_by_id, TrainingRecord.objects.count())


def _held(ctx) -> dict:
    ctx["held"] = builders.held(ctx["users"]["rep"], issued_on=_today() - timedelta(days=30))
    return {"pk": ctx["held"].pk}


def _plan(ctx) -> dict:
    manager = ctx["users"]["manager"]
    t = builders.template(steps=[{"kind": "shadowing", "title": "Shadow Sam", "due_after_days": 3}])
    plan = onboarding.create_plan(
        user=ctx["users"]["rep"], template=t, start_date=_today(), by=manager
    )
    ctx["step"] = plan.steps.get()
    return {"pk": plan.pk}


def _perf_review(ctx) -> dict:
    ctx["perf"] = reviews.create_review(
        rep=ctx["users"]["rep"],
        by=ctx["users"]["manager"],
        period_start=_today() - timedelta(30),
        period_end=_today(),
        summary="Solid month.",
    )
    return {"pk": ctx["perf"].pk}


def _qa(ctx, state: str = "pending") -> dict:
    users = ctx["users"]
    r = builders.review(ctx["team"], users["rep"], users["manager"])
    if state != "pending":
        r = qa.submit_scores(r.pk, by=users["manager"], scores=builders.full_scores(r))
    if state == "disputed":
        r = qa.dispute_review(r.pk, by=users["rep"], comment="Policy was followed.")
    ctx["qa"] = r
    return {"pk": r.pk}


def _qa_snapshot(ctx):
    r = QAReview.objects.get(pk=ctx["qa"].pk)
    return (r.state, r.score, r.acknowledged_at, r.resolved_at, r.scores.count())


def _ticket_data(ctx) -> dict:
    users = ctx["users"]
    card = builders.scorecard(users["director"])
    ticket = builders.assigned_ticket(ctx["team"], users["rep"])
    return {"ticket": ticket.pk, "scorecard": card.pk}


def _count(model):
    return lambda ctx: model.objects.count()


def _future() -> str:
    return str(_today() + timedelta(days=14))


_MANAGERS_ONLY = {"rep": 403, "rep_other_team": 403}
_REP_SEES = {"rep_other_team": 404}
_REP_DENIED = {"rep": 403, "rep_other_team": 404}
_REP_ONLY = {"rep_other_team": 404, "manager": 403, "director": 403, "admin": 403}

ROWS: dict[str, Row] = {
    "staffing:home": Row("get", staff(200)),
    "staffing:person": Row("get", staff(200, **_REP_SEES), kwargs=_rep_pk),
    "staffing:certification-record": Row(
        "post",
        staff(302, **_REP_DENIED),
        kwargs=_rep_pk,
        data=lambda ctx: {
            "certification": builders.certification().pk,
            "issued_on": str(_today() - timedelta(days=1)),
        },
        snapshot=_count(StaffCertification),
    ),
    "staffing:ce-log": Row(
        "post",
        staff(302, **_REP_SEES),
        kwargs=_held,
        data=lambda ctx: {"hours": "3", "completed_on": str(_today()), "description": "Webinar"},
        snapshot=_count(CEEntry),
    ),
    "staffing:performance-review-new": Row("get", staff(200, **_REP_DENIED), kwargs=_rep_pk),
    "staffing:performance-review": Row("get", staff(200, **_REP_SEES), kwargs=_perf_review),
    "staffing:performance-review-acknowledge": Row(
        "post",
        staff(302, **_REP_ONLY),
        kwargs=_perf_review,
        snapshot=lambda ctx: PerformanceReview.objects.get(pk=ctx["perf"].pk).acknowledged_at,
    ),
    "staffing:courses": Row("get", staff(200)),
    "staffing:certifications": Row(
        "post",
        staff(302, **_MANAGERS_ONLY),
        data=lambda ctx: {"name": "Chat Pro", "validity_months": 12, "ce_hours_required": "10"},
        snapshot=lambda ctx: Certification.objects.count(),
    ),
    "staffing:course-assign": Row(
        "post",
        staff(302, **_MANAGERS_ONLY),
        data=lambda ctx: {
            "course": builders.course().pk,
            "team": ctx["team"].pk,
            "due_date": _future(),
        },
        snapshot=_count(TrainingRecord),
    ),
    "staffing:training-complete": Row("get", staff(200, **_REP_SEES), kwargs=_record),
    "staffing:training-verify": Row(
        "post",
        staff(302, **_REP_DENIED),
        kwargs=lambda ctx: _record(ctx, completed=True),
        snapshot=_record_snapshot,
    ),
    "staffing:training-evidence": Row(
        "get",
        staff(200, **_REP_SEES),
        kwargs=lambda ctx: _record(ctx, completed=True, evidence=True),
    ),
    "staffing:team": Row(
        "get", staff(200, rep=404, rep_other_team=404), kwargs=lambda ctx: {"pk": ctx["team"].pk}
    ),
    "staffing:team-member-add": Row(
        "post",
        staff(302, rep=404, rep_other_team=404),
        kwargs=lambda ctx: {"pk": ctx["team"].pk},
        data=lambda ctx: {"user": ctx["users"]["rep_other_team"].pk},
        snapshot=lambda ctx: sorted(ctx["team"].members.values_list("pk", flat=True)),
    ),
    "staffing:compliance": Row("get", staff(200, **_MANAGERS_ONLY)),
    "staffing:compliance-csv": Row("get", staff(200, **_MANAGERS_ONLY)),
    # Everyone manages their own API token (no one else's: the views take no person).
    "staffing:api-token-create": Row("post", staff(200), snapshot=_count(Token)),
    "staffing:api-token-revoke": Row("post", staff(302), snapshot=lambda ctx: None),
    "staffing:onboarding": Row("get", staff(200)),
    "staffing:onboarding-plan": Row("get", staff(200, **_REP_SEES), kwargs=_plan),
    "staffing:onboarding-templates": Row(
        "post",
        staff(302, **_MANAGERS_ONLY),
        data=lambda ctx: {
            "name": "Chat reps",
            "role": "Rep",
            "steps-TOTAL_FORMS": "1",
            "steps-INITIAL_FORMS": "0",
            "steps-0-kind": "shadowing",
            "steps-0-title": "Shadow a senior",
            "steps-0-due_after_days": "3",
        },
        snapshot=lambda ctx: OnboardingTemplate.objects.count(),
    ),
    "staffing:onboarding-sign-off": Row(
        "post",
        staff(302, **_REP_DENIED),
        kwargs=lambda ctx: (_plan(ctx), {"pk": ctx["step"].pk})[1],
        snapshot=lambda ctx: OnboardingPlanStep.objects.get(pk=ctx["step"].pk).signed_off_at,
    ),
    "staffing:qa": Row("get", staff(200)),
    "staffing:qa-start": Row(
        "post", staff(302, **_MANAGERS_ONLY), data=_ticket_data, snapshot=_count(QAReview)
    ),
    "staffing:qa-sample": Row(
        "post",
        staff(302, **_MANAGERS_ONLY),
        data=lambda ctx: {
            "rep": ctx["users"]["rep"].pk,
            "scorecard": builders.scorecard(ctx["users"]["director"]).pk,
            "start": str(_today() - timedelta(days=30)),
            "end": str(_today()),
            "count": 2,
        },
        snapshot=_count(QAReview),
    ),
    "staffing:qa-scorecards": Row(
        "post",
        staff(302, **_MANAGERS_ONLY),
        data=lambda ctx: {
            "name": "Chat QA",
            "pass_percent": "80",
            "criteria-TOTAL_FORMS": "1",
            "criteria-INITIAL_FORMS": "0",
            "criteria-0-name": "Tone",
            "criteria-0-weight": "1",
            "criteria-0-max_score": "5",
            "criteria-0-fail_below": "1",
        },
        snapshot=lambda ctx: ScorecardVersion.objects.count(),
    ),
    "staffing:qa-review": Row("get", staff(200, **_REP_SEES), kwargs=_qa),
    "staffing:qa-acknowledge": Row(
        "post",
        staff(302, **_REP_ONLY),
        kwargs=lambda ctx: _qa(ctx, "submitted"),
        snapshot=_qa_snapshot,
    ),
    "staffing:qa-dispute": Row(
        "post",
        staff(302, **_REP_ONLY),
        kwargs=lambda ctx: _qa(ctx, "submitted"),
        data=lambda ctx: {"comment": "I followed the policy."},
        snapshot=_qa_snapshot,
    ),
    "staffing:qa-resolve": Row(
        "post",
        staff(302, **_REP_DENIED),
        kwargs=lambda ctx: _qa(ctx, "disputed"),
        data=lambda ctx: {"comment": "Score stands."},
        snapshot=_qa_snapshot,
    ),
    # --- API ---
    "staffing-api:course-list": Row("get", api_staff(200)),
    "staffing-api:course-detail": Row(
        "get", api_staff(200), kwargs=lambda ctx: {"pk": builders.course().pk}
    ),
    "staffing-api:course-assign": Row(
        "post",
        api_staff(201, **_MANAGERS_ONLY),
        kwargs=lambda ctx: {"pk": builders.course().pk},
        data=lambda ctx: {"team": ctx["team"].pk, "due_date": _future()},
        content_type=JSON,
        snapshot=_count(TrainingRecord),
    ),
    "staffing-api:training-record-list": Row("get", api_staff(200)),
    "staffing-api:training-record-detail": Row("get", api_staff(200, **_REP_SEES), kwargs=_record),
    "staffing-api:training-record-complete": Row(
        "post",
        api_staff(200, **_REP_SEES),
        kwargs=_record,
        data=lambda ctx: {"completed_on": str(_today())},
        content_type=JSON,
        snapshot=_record_snapshot,
    ),
    "staffing-api:training-record-verify": Row(
        "post",
        api_staff(200, **_REP_DENIED),
        kwargs=lambda ctx: _record(ctx, completed=True),
        snapshot=_record_snapshot,
    ),
    "staffing-api:certification-list": Row("get", api_staff(200)),
    "staffing-api:certification-detail": Row(
        "get", api_staff(200), kwargs=lambda ctx: {"pk": builders.certification().pk}
    ),
    "staffing-api:staff-certification-list": Row("get", api_staff(200)),
    "staffing-api:staff-certification-detail": Row(
        "get", api_staff(200, **_REP_SEES), kwargs=_held
    ),
    "staffing-api:staff-certification-ce-hours": Row(
        "post",
        api_staff(201, **_REP_SEES),
        kwargs=_held,
        data=lambda ctx: {"hours": "2", "completed_on": str(_today()), "description": "Course"},
        content_type=JSON,
        snapshot=_count(CEEntry),
    ),
    "staffing-api:onboarding-plan-list": Row("get", api_staff(200)),
    "staffing-api:onboarding-plan-detail": Row("get", api_staff(200, **_REP_SEES), kwargs=_plan),
    "staffing-api:qa-review-list": Row("get", api_staff(200)),
    "staffing-api:qa-review-detail": Row("get", api_staff(200, **_REP_SEES), kwargs=_qa),
    "staffing-api:qa-review-score": Row(
        "post",
        api_staff(200, **_REP_DENIED),
        kwargs=_qa,
        data=lambda ctx: {
            "scores": [
                {"criterion": k, "score": v[0]} for k, v in builders.full_scores(ctx["qa"]).items()
            ]
        },
        content_type=JSON,
        snapshot=_qa_snapshot,
    ),
    "staffing-api:qa-review-acknowledge": Row(
        "post",
        api_staff(200, **_REP_ONLY),
        kwargs=lambda ctx: _qa(ctx, "submitted"),
        snapshot=_qa_snapshot,
    ),
    "staffing-api:qa-review-dispute": Row(
        "post",
        api_staff(200, **_REP_ONLY),
        kwargs=lambda ctx: _qa(ctx, "submitted"),
        data=lambda ctx: {"comment": "Disagree."},
        content_type=JSON,
        snapshot=_qa_snapshot,
    ),
    "staffing-api:qa-review-resolve": Row(
        "post",
        api_staff(200, **_REP_DENIED),
        kwargs=lambda ctx: _qa(ctx, "disputed"),
        data=lambda ctx: {"comment": "Score stands."},
        content_type=JSON,
        snapshot=_qa_snapshot,
    ),
}
