"""Permission matrix rows of planning (staffing/planning): managers plan the teams they
manage (``team``), directors and admins every team; reps and others get 404 (no enumeration)."""

from __future__ import annotations

from staffing.planning.models import Scenario
from tests.matrix import Row, api_staff, staff

JSON = "application/json"


def _team(ctx) -> dict:
    return {"pk": ctx["team"].pk}


def _scenarios(ctx) -> list:
    return list(Scenario.objects.values_list("pk", "name"))


def _scenario(ctx) -> dict:
    from django.utils import timezone

    s = Scenario.objects.create(
        team=ctx["team"],
        name="Seen",
        params={},
        totals=[],
        created_by=ctx["users"]["director"],
        created_at=timezone.now(),
    )
    return {"pk": s.pk}


PAGE = staff(200, rep=403, rep_other_team=403)
TEAM_PAGE = staff(200, rep=404, rep_other_team=404)

ROWS: dict[str, Row] = {
    "staffing:planning": Row("get", PAGE),
    "staffing:planning-team": Row("get", TEAM_PAGE, kwargs=_team),
    "staffing:planning-compare": Row("get", TEAM_PAGE, kwargs=_team),
    "staffing:planning-forecast-csv": Row("get", TEAM_PAGE, kwargs=_team),
    "staffing:planning-requirement-csv": Row("get", TEAM_PAGE, kwargs=_team),
    "staffing:planning-scenario-save": Row(
        "post",
        staff(302, rep=404, rep_other_team=404),
        kwargs=_team,
        data=lambda ctx: {"name": f"Plan {len(_scenarios(ctx))}"},
        snapshot=_scenarios,
    ),
    "staffing-api:planning-requirement": Row(
        "get", api_staff(200, rep=404, rep_other_team=404), kwargs=_team
    ),
    "staffing-api:planning-scenario-list": Row(
        "post",
        api_staff(201, rep=404, rep_other_team=404),
        data=lambda ctx: {"team": ctx["team"].pk, "name": f"API {len(_scenarios(ctx))}"},
        snapshot=_scenarios,
        content_type=JSON,
    ),
    "staffing-api:planning-scenario-detail": Row(
        "get", api_staff(200, rep=404, rep_other_team=404), kwargs=_scenario
    ),
}
