"""Permission matrix rows of taking someone off a team and resolving a QA dispute by
amending the scores (page and API). The subjects are ``rep`` and ``team`` as in
``matrix_development``: ``rep_other_team`` may not see them (404), ``rep`` may not write
(the team page is not theirs: 404; their own review: 403)."""

from __future__ import annotations

from tests.matrix import Row, api_staff, staff
from tests.staffing import builders
from tests.staffing.matrix_development import _REP_DENIED, JSON, _qa, _qa_snapshot


def _amended_scores(ctx) -> dict[int, int]:
    return {k: v[0] for k, v in builders.full_scores(ctx["qa"], (3, 4, 1)).items()}


def _amend_form(ctx) -> dict:
    data = {f"criterion_{k}": v for k, v in _amended_scores(ctx).items()}
    return {**data, "comment": "The greeting was late."}


def _amend_json(ctx) -> dict:
    scores = [{"criterion": k, "score": v} for k, v in _amended_scores(ctx).items()]
    return {"scores": scores, "comment": "The greeting was late."}


ROWS: dict[str, Row] = {
    "staffing:team-member-remove": Row(
        "post",
        staff(302, rep=404, rep_other_team=404),
        kwargs=lambda ctx: {"pk": ctx["team"].pk, "user_id": ctx["users"]["rep"].pk},
        snapshot=lambda ctx: sorted(ctx["team"].members.values_list("pk", flat=True)),
    ),
    "staffing:qa-amend": Row(
        "post",
        staff(302, **_REP_DENIED),
        kwargs=lambda ctx: _qa(ctx, "disputed"),
        data=_amend_form,
        snapshot=_qa_snapshot,
    ),
    "staffing-api:qa-review-amend": Row(
        "post",
        api_staff(200, **_REP_DENIED),
        kwargs=lambda ctx: _qa(ctx, "disputed"),
        data=_amend_json,
        content_type=JSON,
        snapshot=_qa_snapshot,
    ),
}
