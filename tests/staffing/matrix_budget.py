"""Permission matrix rows of budgets (staffing/budget): directors and admins manage budgets;
managers read their teams' lines and figures (writes 403, other teams' lines 404); reps and
people without a role are refused."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from staffing.budget.models import Budget, CostLine, LineMonth, RoleCost
from tests.matrix import Row, api_staff, staff

JSON = "application/json"
READ = staff(200, rep=403, rep_other_team=403)
WRITE = staff(302, rep=403, rep_other_team=403, manager=403)
API_READ = api_staff(200, rep=403, rep_other_team=403)


def api_write(status: int) -> dict[str, int]:
    return api_staff(status, rep=403, rep_other_team=403, manager=403)


def _budget(ctx) -> Budget:
    budget = Budget.objects.filter(fiscal_year=2026).first()
    if budget is None:
        budget = Budget.objects.create(
            fiscal_year=2026,
            first_month=date(2026, 1, 1),
            created_by=ctx["users"]["director"],
            created_at=timezone.now(),
        )
    return budget


def _line(ctx) -> CostLine:
    line = CostLine.objects.filter(label="Seats").first()
    if line is None:
        line = CostLine.objects.create(
            budget=_budget(ctx), category="tools", label="Seats", team=ctx["team"]
        )
        LineMonth.objects.bulk_create(LineMonth(line=line, month=m) for m in line.budget.months)
    return line


def _budget_kw(ctx) -> dict:
    return {"pk": _budget(ctx).pk}


def _line_kw(ctx) -> dict:
    return {"pk": _line(ctx).pk}


def _budgets(ctx) -> list:
    return list(Budget.objects.values_list("pk", "fiscal_year"))


def _roles(ctx) -> list:
    return list(RoleCost.objects.values_list("role", "monthly_cost"))


def _lines(ctx) -> list:
    return list(CostLine.objects.values_list("pk", "label"))


def _months(ctx) -> list:
    return list(LineMonth.objects.order_by("pk").values_list("planned", "actual"))


def _line_months_data(ctx) -> dict:
    _line(ctx)
    return {f"planned_{i}": "100" for i in range(12)} | {"actual_0": "90"}


def _actuals_csv(ctx) -> dict:
    _line(ctx)
    text = f"2026-02,Tools,Seats,{ctx['team'].name},{len(_months(ctx))}\n"
    return {"file": SimpleUploadedFile("actuals.csv", text.encode())}


ROWS: dict[str, Row] = {
    "staffing:budget-home": Row("get", READ),
    "staffing:budget-create": Row(
        "post",
        WRITE,
        data=lambda ctx: {"fiscal_year": 2040 + len(_budgets(ctx)), "first_month": "2039-07"},
        snapshot=_budgets,
    ),
    "staffing:budget": Row("get", READ, kwargs=_budget_kw),
    "staffing:budget-csv": Row("get", READ, kwargs=_budget_kw),
    "staffing:budget-plan": Row("get", READ, kwargs=_budget_kw),
    "staffing:budget-role-cost": Row(
        "post",
        WRITE,
        kwargs=_budget_kw,
        data=lambda ctx: {"role": "Rep", "monthly_cost": str(5000 + len(_roles(ctx)))},
        snapshot=_roles,
    ),
    "staffing:budget-line-add": Row(
        "post",
        WRITE,
        kwargs=_budget_kw,
        data=lambda ctx: {"category": "other", "label": f"Misc {len(_lines(ctx))}"},
        snapshot=_lines,
    ),
    "staffing:budget-import": Row(
        "post",
        WRITE,
        kwargs=lambda ctx: {"pk": _line(ctx).budget_id},  # the line exists before the snapshot
        data=_actuals_csv,
        snapshot=_months,
    ),
    "staffing:budget-line": Row("get", READ, kwargs=_line_kw),
    "staffing:budget-line-save": Row(
        "post", WRITE, kwargs=_line_kw, data=_line_months_data, snapshot=_months
    ),
    "staffing:budget-line-delete": Row("post", WRITE, kwargs=_line_kw, snapshot=_lines),
    "staffing-api:budget-list": Row(
        "post",
        api_write(201),
        data=lambda ctx: {"fiscal_year": 2040 + len(_budgets(ctx)), "first_month": "2040-01"},
        snapshot=_budgets,
        content_type=JSON,
    ),
    "staffing-api:budget-detail": Row("get", API_READ, kwargs=_budget_kw),
    "staffing-api:budget-figures": Row("get", API_READ, kwargs=_budget_kw),
    "staffing-api:budget-role-costs": Row(
        "post",
        api_write(200),
        kwargs=_budget_kw,
        data=lambda ctx: {"role": "Manager", "monthly_cost": str(Decimal(7000))},
        snapshot=_roles,
        content_type=JSON,
    ),
    "staffing-api:budget-line-list": Row(
        "post",
        api_write(201),
        data=lambda ctx: {
            "budget": _budget(ctx).pk,
            "category": "tools",
            "label": f"Tool {len(_lines(ctx))}",
        },
        snapshot=_lines,
        content_type=JSON,
    ),
    "staffing-api:budget-line-detail": Row(
        "delete", api_write(204), kwargs=_line_kw, snapshot=_lines
    ),
    "staffing-api:budget-line-months": Row(
        "post",
        api_write(200),
        kwargs=_line_kw,
        data=lambda ctx: {"month": "2026-03", "actual": "77"},
        snapshot=_months,
        content_type=JSON,
    ),
}
