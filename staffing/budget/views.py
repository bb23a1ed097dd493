"""Budget pages: the fiscal years, a budget's line × month grid with variance, its cost per
ticket and per contact and training spend per person, a line's months, the actuals CSV
import and the budget's CSV export; the staffing plan's cost with an extra-hires what-if.
Directors change budgets; managers read their teams' lines and figures."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from csops import csv_export, permissions
from csops.errors import InvalidInput, NotFound
from csops.htmx import domain_errors
from staffing.budget import selectors, services
from staffing.budget.forms import (
    ActualsImportForm,
    BudgetForm,
    HiresForm,
    LineForm,
    LineMonthsForm,
    RoleCostForm,
)
from staffing.budget.models import CostLine, LineMonth
from staffing.models import Team
from staffing.views._common import apply_errors, go


def _teams(request: HttpRequest):
    scope = permissions.budget_team_scope(request.user)
    teams = Team.objects.order_by("tier", "name")
    return teams if scope is None else teams.filter(pk__in=scope)


def _home(request: HttpRequest, form: BudgetForm | None = None, status: int = 200):
    budgets = selectors.budgets_for(request.user)
    current = selectors.budget_covering(timezone.localdate())
    return render(
        request,
        "staffing/budget/home.html",
        {
            "budgets": budgets,
            "current": current,
            "form": form or BudgetForm(),
            "can_manage": permissions.can_manage_budgets(request.user),
        },
        status=status,
    )


@require_GET
@domain_errors
def budget_home(request: HttpRequest) -> HttpResponse:
    return _home(request)


@require_POST
@domain_errors
def budget_create(request: HttpRequest) -> HttpResponse:
    permissions.ensure_can_manage_budgets(request.user)
    form = BudgetForm(request.POST)
    if form.is_valid():
        try:
            budget = services.create_budget(by=request.user, **form.cleaned_data)
        except InvalidInput as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Budget {budget} created.")
            return go(request, reverse("staffing:budget", args=[budget.pk]))
    return _home(request, form=form, status=422)


def _page(request: HttpRequest, budget, *, status: int = 200, **forms) -> HttpResponse:
    manage = permissions.can_manage_budgets(request.user)
    teams = _teams(request)
    return render(
        request,
        "staffing/budget/budget.html",
        {
            "budget": budget,
            "grid": selectors.grid(request.user, budget),
            "units": selectors.unit_cost_table(request.user, budget),
            "training": selectors.training_spend(request.user, budget),
            "role_costs": budget.role_costs.all(),
            "can_manage": manage,
            "role_form": forms.get("role_form") or RoleCostForm(),
            "line_form": forms.get("line_form") or LineForm(teams=teams),
            "import_form": forms.get("import_form") or ActualsImportForm(),
            "history": _history(budget) if manage else [],
        },
        status=status,
    )


def _history(budget) -> list:
    """The latest changes to the budget's lines and months (django-simple-history)."""
    rows = (
        LineMonth.history.filter(line__budget=budget)
        .select_related("history_user", "line")
        .order_by("-history_date")[:10]
    )
    return list(rows)


@require_GET
@domain_errors
def budget_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, selectors.budget_for(request.user, pk))


@require_POST
@domain_errors
def role_cost_set(request: HttpRequest, pk: int) -> HttpResponse:
    permissions.ensure_can_manage_budgets(request.user)
    budget = selectors.budget_for(request.user, pk)
    form = RoleCostForm(request.POST)
    if form.is_valid():
        row = services.set_role_cost(budget, by=request.user, **form.cleaned_data)
        messages.success(request, f"{row.get_role_display()}: loaded cost set.")
        return go(request, reverse("staffing:budget", args=[budget.pk]))
    return _page(request, budget, role_form=form, status=422)


@require_POST
@domain_errors
def line_add(request: HttpRequest, pk: int) -> HttpResponse:
    permissions.ensure_can_manage_budgets(request.user)
    budget = selectors.budget_for(request.user, pk)
    form = LineForm(request.POST, teams=_teams(request))
    if form.is_valid():
        try:
            line = services.add_line(budget, by=request.user, **form.cleaned_data)
        except InvalidInput as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Line “{line.label}” added: plan its months.")
            return go(request, reverse("staffing:budget-line", args=[line.pk]))
    return _page(request, budget, line_form=form, status=422)


def _line(request: HttpRequest, pk: int) -> CostLine:
    permissions.ensure_can_read_budgets(request.user)
    lines = CostLine.objects.select_related("budget", "team")
    line = permissions.scope_budget_lines(request.user, lines).filter(pk=pk).first()
    if line is None:
        raise NotFound(f"Cost line #{pk} does not exist or is not one you read.")
    return line


def _line_form(line: CostLine, data=None) -> LineMonthsForm:
    initial = {}
    for i, m in enumerate(line.months.order_by("month")):
        initial[f"planned_{i}"] = m.headcount if line.is_salaries else m.planned
        initial[f"actual_{i}"] = m.actual
    return LineMonthsForm(
        data, initial=initial, months=line.budget.months, salaries=line.is_salaries
    )


def _line_page(request, line, form, status=200) -> HttpResponse:
    return render(
        request,
        "staffing/budget/line.html",
        {
            "line": line,
            "form": form,
            "months": list(line.months.order_by("month")),
            "can_manage": permissions.can_manage_budgets(request.user),
        },
        status=status,
    )


@require_GET
@domain_errors
def line_detail(request: HttpRequest, pk: int) -> HttpResponse:
    line = _line(request, pk)
    return _line_page(request, line, _line_form(line))


@require_POST
@domain_errors
def line_save(request: HttpRequest, pk: int) -> HttpResponse:
    permissions.ensure_can_manage_budgets(request.user)
    line = _line(request, pk)
    form = _line_form(line, request.POST)
    if form.is_valid():
        planned, actual = form.values()
        try:
            services.plan_line(line, by=request.user, planned=planned, actual=actual)
        except InvalidInput as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"“{line.label}” saved.")
            return go(request, reverse("staffing:budget", args=[line.budget_id]))
    return _line_page(request, line, form, status=422)


@require_POST
@domain_errors
def line_delete(request: HttpRequest, pk: int) -> HttpResponse:
    permissions.ensure_can_manage_budgets(request.user)
    line = _line(request, pk)
    services.delete_line(line.pk, by=request.user)
    messages.success(request, f"Line “{line.label}” removed.")
    return go(request, reverse("staffing:budget", args=[line.budget_id]))


@require_POST
@domain_errors
def actuals_import(request: HttpRequest, pk: int) -> HttpResponse:
    permissions.ensure_can_manage_budgets(request.user)
    budget = selectors.budget_for(request.user, pk)
    form = ActualsImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            n = services.import_actuals(budget, by=request.user, text=form.cleaned_data["file"])
        except InvalidInput as exc:
            for line in exc.fields.get("file", [exc.detail]):
                form.add_error("file", line)
        else:
            messages.success(request, f"Actuals imported: {n} months recorded.")
            return go(request, reverse("staffing:budget", args=[budget.pk]))
    return _page(request, budget, import_form=form, status=422)


@require_GET
@domain_errors
def budget_csv(request: HttpRequest, pk: int) -> HttpResponse:
    budget = selectors.budget_for(request.user, pk)
    grid = selectors.grid(request.user, budget)

    def rows():
        yield ["month", "category", "line", "team", "role", "headcount", "planned", "actual"] + [
            "variance",
            "variance_percent",
        ]
        for row in grid.rows:
            line = row.line
            for month, c in zip(grid.months, row.cells, strict=True):
                yield [
                    f"{month:%Y-%m}",
                    line.get_category_display(),
                    line.label,
                    line.team.name if line.team else "",
                    line.get_role_display() if line.role else "",
                    "" if c.headcount is None else c.headcount,
                    c.planned,
                    "" if c.actual is None else c.actual,
                    "" if c.variance is None else c.variance,
                    "" if c.variance_pct is None else c.variance_pct,
                ]

    return csv_export.csv_response(rows(), f"budget-fy{budget.fiscal_year}.csv")


@require_GET
@domain_errors
def plan_cost(request: HttpRequest, pk: int) -> HttpResponse:
    budget = selectors.budget_for(request.user, pk)
    teams = _teams(request)
    data = request.GET.copy()
    if "team" not in data and teams.exists():
        data["team"] = str(teams.first().pk)
    data.setdefault("hires", "0")
    form = HiresForm(data, teams=teams)
    result = None
    if form.is_valid():
        c = form.cleaned_data
        result = selectors.plan_cost(
            c["team"], today=timezone.localdate(), hires=c["hires"], hires_from=c["hires_from"]
        )
    context = {"budget": budget, "form": form, "result": result, "has_teams": teams.exists()}
    status = 200 if form.is_valid() or not teams.exists() else 422
    template = "staffing/budget/plan.html"
    if request.htmx:
        template += "#results"
    return render(request, template, context, status=status)
