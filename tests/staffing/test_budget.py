"""Budget (staffing/budget): variance by line and month, cost per resolved ticket and per
contact (volumes handed over by kpis), training spend per person, the staffing plan's cost
with extra hires, the actuals CSV import, scope and the API. Expected values by hand."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from csops.errors import InvalidInput, NotAllowed
from kpis.models import ArrivalSlot, DailyRollup
from kpis.models.rollups import DIMS
from staffing.budget import figures, selectors, services
from staffing.budget.models import Budget, CostLine, LineMonth, add_months
from staffing.models import Course, TrainingRecord

D = Decimal
MAR, APR, MAY = date(2026, 3, 1), date(2026, 4, 1), date(2026, 5, 1)


@pytest.fixture
def budget(director):
    return services.create_budget(by=director, fiscal_year=2026, first_month=date(2026, 1, 1))


@pytest.fixture
def lines(budget, director, team, other_team):
    """Tier 1: 3 reps at 5,000 (March, April); Billing tools; department-wide training."""
    services.set_role_cost(budget, by=director, role="Rep", monthly_cost=D("5000"))
    reps = services.add_line(
        budget, by=director, category="salaries", label="Reps", team=team, role="Rep"
    )
    services.plan_line(
        reps, by=director, planned={MAR: D("3"), APR: D("3")}, actual={MAR: D("15600")}
    )
    tools = services.add_line(budget, by=director, category="tools", label="Seats", team=other_team)
    services.plan_line(
        tools, by=director, planned={MAR: D("1000"), APR: D("1000")}, actual={MAR: D("900")}
    )
    training = services.add_line(budget, by=director, category="training", label="Courses")
    services.plan_line(training, by=director, planned={MAR: D("600")}, actual={MAR: D("750")})
    return {"reps": reps, "tools": tools, "training": training}


# --- variance -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_variance_by_line_and_month_by_hand(lines, budget, director):
    grid = selectors.grid(director, budget)
    rows = {r.line.label: r for r in grid.rows}
    march, april = budget.months.index(MAR), budget.months.index(APR)
    # salaries: 3 × 5,000 = 15,000 planned, 15,600 spent: +600 = +4.0 %
    reps = rows["Reps"].cells[march]
    assert (reps.headcount, reps.planned, reps.actual) == (D("3"), D("15000"), D("15600"))
    assert (reps.variance, reps.variance_pct) == (D("600"), D("4.0"))
    # tools: 1,000 planned, 900 spent: −100 = −10.0 %
    assert (rows["Seats"].cells[march].variance, rows["Seats"].cells[march].variance_pct) == (
        D("-100"),
        D("-10.0"),
    )
    # March total: 16,600 planned, 17,250 spent, +650
    m = grid.totals[march]
    assert (m.planned, m.actual, m.variance) == (D("16600"), D("17250"), D("650"))
    # April: planned, nothing spent yet, so no variance
    a = grid.totals[april]
    assert (a.planned, a.actual, a.variance) == (D("16000"), None, None)
    # the year: 32,600 planned; 17,250 spent against the 16,600 planned for March
    assert (grid.total.planned, grid.total.actual, grid.total.compared) == (
        D("32600"),
        D("17250"),
        D("16600"),
    )
    assert grid.total.variance_pct == D("3.9")  # 650 / 16,600 = 3.92 %
    categories = dict(grid.categories)
    assert categories["Training"].variance == D("150")


@pytest.mark.django_db
def test_loaded_cost_change_replans_salaries(lines, budget, director):
    services.set_role_cost(budget, by=director, role="Rep", monthly_cost=D("5500.50"))
    march = LineMonth.objects.get(line=lines["reps"], month=MAR)
    assert march.planned == D("16501.50")  # 3 × 5,500.50
    assert march.actual == D("15600")
    assert march.history.count() >= 3  # audited: created, planned, re-planned


def test_variance_without_a_plan_has_no_percentage():
    assert figures.variance(D("0"), D("250")) == (D("250"), None)
    assert figures.variance(D("400"), None) == (None, None)


# --- cost per resolved ticket and per contact ------------------------------------------------


def test_unit_costs_share_department_costs_by_contacts_by_hand():
    costs = {1: D("9000"), 2: D("3000"), None: D("2000")}
    volumes = {
        1: {"email": {"resolved": 100, "contacts": 150}, "phone": {"resolved": 50, "contacts": 50}},
        2: {"email": {"resolved": 40, "contacts": 100}},
    }
    rows = {(r.team_id, r.channel): r for r in figures.unit_costs(costs, volumes)}
    # team 1: 9,000 + 2,000 × 200/300 = 10,333.33
    t1 = rows[(1, "")]
    assert (t1.cost, t1.per_resolved, t1.per_contact) == (D("10333.33"), D("68.89"), D("51.67"))
    # its email: 10,333.33 × 150/200 = 7,750 over 100 resolved, 150 contacts
    email = rows[(1, "email")]
    assert (email.cost, email.per_resolved, email.per_contact) == (
        D("7750.00"),
        D("77.50"),
        D("51.67"),
    )
    assert rows[(1, "phone")].cost == D("2583.33")
    # team 2: 3,000 + 2,000 × 100/300 = 3,666.67 over 40 resolved, 100 contacts
    t2 = rows[(2, "")]
    assert (t2.cost, t2.per_resolved, t2.per_contact) == (D("3666.67"), D("91.67"), D("36.67"))
    # everyone: 14,000 over 190 resolved, 300 contacts
    total = rows[(None, "")]
    assert (total.cost, total.per_resolved, total.per_contact) == (
        D("14000.00"),
        D("73.68"),
        D("46.67"),
    )


def _volumes(team, other_team, month: date) -> None:
    """Resolved tickets (daily rollups) and contacts (arrivals) as kpis folds them."""
    day = month + timedelta(days=9)
    for team_id, channel, resolved, contacts in [
        (team.pk, "email", 120, 150),
        (team.pk, "phone", 30, 50),
        (other_team.pk, "email", 40, 100),
    ]:
        DailyRollup.objects.create(
            kind="resolved", level=DIMS, day=day, team_id=team_id, channel=channel,
            priority="normal", n=resolved,
        )  # fmt: skip
        ArrivalSlot.objects.create(day=day, slot=20, team_id=team_id, channel=channel, n=contacts)


@pytest.mark.django_db
def test_cost_per_ticket_on_the_page_from_the_kpi_volumes(
    lines, budget, team, other_team, director_client
):
    # given: March's actuals (Tier 1 15,600; Billing 900; department 750) and its volumes
    _volumes(team, other_team, MAR)
    _volumes(team, other_team, APR)  # April has no actuals: not counted
    response = director_client.get(reverse("staffing:budget", args=[budget.pk]))
    assert response.status_code == 200
    units = response.context["units"]
    assert units.months == [MAR]
    rows = {(team_name, ch): r for team_name, ch, r in units.rows}
    # Tier 1: 15,600 + 750 × 200/300 = 16,100 over 150 resolved and 200 contacts
    t1 = rows[("Tier 1", "All channels")]
    assert (t1.cost, t1.resolved, t1.contacts) == (D("16100.00"), 150, 200)
    assert (t1.per_resolved, t1.per_contact) == (D("107.33"), D("80.50"))
    # its phone: 16,100 × 50/200 = 4,025 over 30 resolved
    assert rows[("Tier 1", "Phone")].per_resolved == D("134.17")
    # Billing: 900 + 250 = 1,150 over 40 and 100
    billing = rows[("Billing", "All channels")]
    assert (billing.per_resolved, billing.per_contact) == (D("28.75"), D("11.50"))
    assert rows[("All teams", "All channels")].cost == D("17250.00")
    assert b"107.33" in response.content


@pytest.mark.django_db
def test_manager_reads_their_teams_lines_and_figures_only(
    lines, budget, team, other_team, manager_client
):
    _volumes(team, other_team, MAR)
    response = manager_client.get(reverse("staffing:budget", args=[budget.pk]))
    assert response.status_code == 200
    assert [r.line.label for r in response.context["grid"].rows] == ["Reps"]
    names = {name for name, _, _ in response.context["units"].rows}
    assert names == {"Tier 1"}  # not Billing, not the department total
    # Tier 1's cost still carries its share of the department-wide training
    assert response.context["units"].rows[0][2].cost == D("16100.00")
    assert b'id="line-form"' not in response.content
    other = CostLine.objects.get(label="Seats")
    assert manager_client.get(reverse("staffing:budget-line", args=[other.pk])).status_code == 404


# --- training spend per person ----------------------------------------------------------------


@pytest.mark.django_db
def test_training_spend_split_by_completed_hours(lines, budget, director, rep, rep_other_team):
    course = Course.objects.create(title="De-escalation", hours=D("6"))
    other = Course.objects.create(title="Billing basics", hours=D("4"))
    now = timezone.now()
    TrainingRecord.objects.create(course=course, user=rep, assigned_at=now, completed_on=MAR)
    TrainingRecord.objects.create(
        course=other, user=rep, assigned_at=now, completed_on=APR, hours=D("3")
    )
    TrainingRecord.objects.create(
        course=course, user=rep_other_team, assigned_at=now, completed_on=MAR
    )
    TrainingRecord.objects.create(  # not completed: not counted
        course=other, user=rep_other_team, assigned_at=now
    )
    spend = selectors.training_spend(director, budget)
    # 750 of training over 15 hours: rep 9 h (6 + the record's own 3), the other 6 h
    assert spend.spend == D("750")
    assert {(p.username, h, part) for p, h, part in spend.people} == {
        (rep.username, D("9"), D("450.00")),
        (rep_other_team.username, D("6"), D("300.00")),
    }
    assert spend.per_person == D("375.00")


# --- the staffing plan's cost -----------------------------------------------------------------


def test_plan_months_by_hand():
    weeks = [(date(2027, 3, 1), 10.0, 700.0), (date(2027, 3, 8), 12.0, 700.0)]
    weeks.append((date(2027, 4, 5), 13.0, 800.0))
    months = figures.plan_months(
        weeks,
        loaded_cost=D("5000"),
        headcount={date(2027, 3, 1): D("9"), date(2027, 4, 1): D("9")},
        other_cost={date(2027, 3, 1): D("3000"), date(2027, 4, 1): D("3000")},
        tickets_per_contact=D("0.8"),
        hires=3,
        hires_from=date(2027, 4, 1),
    )
    march, april = months
    # March: FTE (10 + 12)/2 = 11; contacts 700 a week × 31/7 = 3,100; tickets 2,480
    assert (march.required_fte, march.contacts, march.tickets) == (D("11"), D("3100"), D("2480"))
    assert march.required_cost == D("55000.00")
    assert march.hires == 0  # the hires start in April
    assert march.budget_cost == march.with_hires_cost == D("48000.00")  # 9 × 5,000 + 3,000
    assert march.per_ticket_budget == D("19.35")  # 48,000 / 2,480
    assert march.gap_fte == D("-2")
    # April: 13 FTE; 800 × 30/7 = 3,428.6 contacts, 2,742.9 tickets; 12 reps with the hires
    assert (april.required_fte, april.contacts, april.tickets) == (
        D("13"),
        D("3428.6"),
        D("2742.9"),
    )
    assert april.with_hires_cost == D("63000.00")
    assert april.per_ticket_budget == D("17.50")  # 48,000 / 2,742.9
    assert april.per_ticket_with_hires == D("22.97")  # 63,000 / 2,742.9
    assert april.gap_fte == D("-1")


@pytest.fixture
def arrivals(team):
    """Twelve weeks of phone arrivals (the forecast's input) and resolved tickets."""
    cache.clear()
    from kpis.zone import day_of, week_start

    this_week = week_start(day_of(timezone.now()))
    start = this_week - timedelta(weeks=12)
    rows = []
    for d in range(12 * 7):
        day = start + timedelta(days=d)
        if day.weekday() < 5:
            rows += [
                ArrivalSlot(day=day, slot=s, team_id=team.pk, channel="phone", n=20)
                for s in range(18, 34)
            ]
            DailyRollup.objects.create(
                kind="resolved", level=DIMS, day=day, team_id=team.pk, channel="phone",
                priority="normal", n=160,
            )  # fmt: skip
    ArrivalSlot.objects.bulk_create(rows)
    yield this_week
    cache.clear()


@pytest.mark.django_db
def test_extra_hires_raise_cost_per_ticket_from_their_month(
    arrivals, budget, director, team, director_client
):
    # given: a budget covering the forecast months with a rep cost and 4 reps planned
    this_week = arrivals
    first = this_week.replace(day=1)
    fy = services.create_budget(
        by=director, fiscal_year=first.year + 5, first_month=first, note="covers the forecast"
    )
    Budget.objects.filter(pk=budget.pk).delete()
    services.set_role_cost(fy, by=director, role="Rep", monthly_cost=D("5000"))
    reps = services.add_line(fy, by=director, category="salaries", label="R", team=team, role="Rep")
    services.plan_line(reps, by=director, planned={m: D("4") for m in fy.months}, actual={})
    second = add_months(first, 1)
    url = reverse("staffing:budget-plan", args=[fy.pk])
    # when: 3 extra reps from the second month (the what-if swaps the results in place)
    query = {"team": team.pk, "hires": 3, "hires_from": f"{second:%Y-%m}"}
    swap = director_client.get(url, query, HTTP_HX_REQUEST="true")
    assert swap.status_code == 200
    assert b"<html" not in swap.content
    assert b'id="plan-cost"' in swap.content
    response = director_client.get(url, query)
    # then
    assert response.status_code == 200
    months = response.context["result"].months
    assert months[0].month == first
    assert months[1].month == second
    assert months[0].hires == 0
    assert months[1].hires == 3
    assert months[0].with_hires_cost == months[0].budget_cost == D("20000.00")
    assert months[1].with_hires_cost - months[1].budget_cost == D("15000.00")  # 3 × 5,000
    assert months[1].per_ticket_with_hires > months[1].per_ticket_budget
    # every arrival resolved: 160 a day for 16 half hours × 20 contacts
    assert response.context["result"].tickets_per_contact == D("0.500")
    assert months[1].tickets == (months[1].contacts * D("0.5")).quantize(D("0.1"))
    assert months[1].required_fte > 0
    assert months[1].required_cost == (months[1].required_fte * 5000).quantize(D("0.01"))


@pytest.mark.django_db
def test_bad_hires_what_if_is_422(budget, team, director_client):
    response = director_client.get(
        reverse("staffing:budget-plan", args=[budget.pk]),
        {"team": team.pk, "hires": "-2", "hires_from": "March"},
    )
    assert response.status_code == 422
    assert b"invalid-what-if" in response.content


# --- the pages' writes and the actuals CSV ----------------------------------------------------


def _csv(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("actuals.csv", text.encode(), content_type="text/csv")


@pytest.mark.django_db
def test_import_actuals_records_each_row(lines, budget, director_client):
    text = (
        "month,category,line,team,actual\n"
        '2026-04,Salaries,Reps,Tier 1,"15,100.50"\n'
        "2026-04,tools,seats,billing,1020\n"
        "2026-03,Training,Courses,,\n"
    )
    response = director_client.post(
        reverse("staffing:budget-import", args=[budget.pk]), {"file": _csv(text)}
    )
    assert response.status_code == 302
    assert LineMonth.objects.get(line=lines["reps"], month=APR).actual == D("15100.50")
    assert LineMonth.objects.get(line=lines["tools"], month=APR).actual == D("1020")
    assert LineMonth.objects.get(line=lines["training"], month=MAR).actual is None  # cleared


@pytest.mark.django_db
def test_import_with_bad_rows_names_each_and_changes_nothing(lines, budget, director_client):
    before = list(LineMonth.objects.order_by("pk").values_list("actual", flat=True))
    text = "\n".join(
        [
            "2026-04,Salaries,Reps,Tier 1,100",  # fine
            "2026-13,Tools,Seats,Billing,5",
            "2025-12,Tools,Seats,Billing,5",
            "2026-04,Tools,Nope,Billing,5",
            "2026-04,Tools,Seats,Billing,abc",
            "2026-04,Tools,Seats,Billing,-4",
            "2026-04,Tools,Seats",
            "2026-04,Salaries,Reps,Tier 1,200",
            "2026-04,Tools,Seats,Billing,NaN",
        ]
    )
    response = director_client.post(
        reverse("staffing:budget-import", args=[budget.pk]), {"file": _csv(text)}
    )
    assert response.status_code == 422
    errors = response.context["import_form"].errors["file"]
    assert errors == [
        "Row 2: '2026-13' is not a month (YYYY-MM).",
        "Row 3: 2025-12 is not in FY2026.",
        "Row 4: no Tools line 'Nope' of Billing in the budget.",
        "Row 5: 'abc' is not an amount.",
        "Row 6: the amount must be between 0 and 9,999,999,999.99.",
        "Row 7: expected 5 columns (month,category,line,team,actual).",
        "Row 8: Reps for 2026-04 is listed twice.",
        "Row 9: the amount must be between 0 and 9,999,999,999.99.",
    ]
    assert b"Row 4: no Tools line" in response.content
    assert list(LineMonth.objects.order_by("pk").values_list("actual", flat=True)) == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("_case", "content", "message"),
    [
        ("binary", b"\x00\x01\x02", "This is not a CSV text file."),
        ("latin-1", "2026-03,Tools,Séats,,1".encode("latin-1"), "The file must be UTF-8 text."),
        ("empty", b"month,category,line,team,actual\n", "No rows."),
    ],
)
def test_unreadable_imports_are_form_errors(_case, content, message, budget, director_client):
    response = director_client.post(
        reverse("staffing:budget-import", args=[budget.pk]),
        {"file": SimpleUploadedFile("a.csv", content)},
    )
    assert response.status_code == 422
    assert response.context["import_form"].errors["file"] == [message]


@pytest.mark.django_db
def test_director_builds_a_budget_on_the_pages(director_client, team):
    r = director_client.post(
        reverse("staffing:budget-create"), {"fiscal_year": 2027, "first_month": "2026-07"}
    )
    assert r.status_code == 302
    budget = Budget.objects.get(fiscal_year=2027)
    assert budget.first_month == date(2026, 7, 1)
    assert budget.months[-1] == date(2027, 6, 1)
    dup = director_client.post(
        reverse("staffing:budget-create"), {"fiscal_year": 2027, "first_month": "2026-07"}
    )
    assert dup.status_code == 422
    assert b"FY2027 has a budget" in dup.content or b"This fiscal year has a budget" in dup.content
    url = reverse("staffing:budget-role-cost", args=[budget.pk])
    assert director_client.post(url, {"role": "Rep", "monthly_cost": "4800"}).status_code == 302
    no_role = director_client.post(
        reverse("staffing:budget-line-add", args=[budget.pk]),
        {"category": "salaries", "label": "Reps", "team": team.pk},
    )
    assert no_role.status_code == 422
    assert b"A salaries line names the role it pays." in no_role.content
    r = director_client.post(
        reverse("staffing:budget-line-add", args=[budget.pk]),
        {"category": "salaries", "label": "Reps", "team": team.pk, "role": "Rep"},
    )
    line = CostLine.objects.get(budget=budget)
    assert r.status_code == 302
    assert r["Location"] == reverse("staffing:budget-line", args=[line.pk])
    data = {f"planned_{i}": "2.5" for i in range(12)} | {"actual_0": "12500", "actual_1": "x"}
    bad = director_client.post(reverse("staffing:budget-line-save", args=[line.pk]), data)
    assert bad.status_code == 422
    data["actual_1"] = ""
    assert (
        director_client.post(reverse("staffing:budget-line-save", args=[line.pk]), data).status_code
        == 302
    )
    july = line.months.get(month=date(2026, 7, 1))
    assert (july.headcount, july.planned, july.actual, july.variance) == (
        D("2.5"),
        D("12000.00"),
        D("12500"),
        D("500"),
    )
    csv = director_client.get(reverse("staffing:budget-csv", args=[budget.pk]))
    lines_ = csv.content.decode().splitlines()
    assert lines_[0] == (
        "month,category,line,team,role,headcount,planned,actual,variance,variance_percent"
    )
    assert lines_[1] == "2026-07,Salaries,Reps,Tier 1,Support rep,2.50,12000.00,12500.00,500.00,4.2"
    assert len(lines_) == 13
    history = director_client.get(reverse("staffing:budget", args=[budget.pk]))
    assert b'id="budget-history"' in history.content


@pytest.mark.django_db
def test_only_directors_manage_budgets(lines, budget, manager, rep, team):
    with pytest.raises(NotAllowed):
        services.add_line(budget, by=manager, category="tools", label="x", team=team)
    with pytest.raises(NotAllowed):
        services.plan_line(lines["reps"], by=manager, planned={MAR: D("9")}, actual={})
    with pytest.raises(NotAllowed):
        services.import_actuals(budget, by=rep, text="2026-03,Tools,Seats,Billing,1")
    with pytest.raises(NotAllowed):
        services.create_budget(by=manager, fiscal_year=2027, first_month=date(2026, 1, 1))
    with pytest.raises(InvalidInput, match="already a budget for FY2026"):
        services.create_budget(by=budget.created_by, fiscal_year=2026, first_month=MAY)
    assert LineMonth.objects.get(line=lines["reps"], month=MAR).headcount == D("3")


# --- API ------------------------------------------------------------------------------------


def _post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


@pytest.mark.django_db
def test_api_builds_a_budget_and_reads_its_figures(director_client, team, other_team):
    r = _post(director_client, "/api/v1/budgets/", {"fiscal_year": 2030, "first_month": "2030-01"})
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert r.json()["first_month"] == "2030-01"
    r = _post(
        director_client,
        f"/api/v1/budgets/{pk}/role-costs/",
        {"role": "Rep", "monthly_cost": "4000"},
    )
    assert r.json() == {"role": "Rep", "monthly_cost": "4000.00"}
    r = _post(
        director_client,
        "/api/v1/budget-lines/",
        {"budget": pk, "category": "salaries", "label": "Reps", "team": team.pk, "role": "Rep"},
    )
    assert r.status_code == 201, r.content
    line = r.json()["id"]
    assert len(r.json()["months"]) == 12
    r = _post(
        director_client,
        f"/api/v1/budget-lines/{line}/months/",
        {"month": "2030-02", "planned": "2", "actual": "8400"},
    )
    assert r.status_code == 200, r.content
    feb = r.json()["months"][1]
    assert feb == {
        "month": "2030-02",
        "headcount": "2.00",
        "planned": "8000.00",
        "actual": "8400.00",
        "variance": "400.00",
    }
    outside = _post(
        director_client, f"/api/v1/budget-lines/{line}/months/", {"month": "2031-02", "actual": "1"}
    )
    assert outside.status_code == 422
    assert outside.json()["detail"] == "February 2031 is not in FY2030."
    bad = _post(director_client, f"/api/v1/budget-lines/{line}/months/", {"month": "Feb"})
    assert bad.status_code == 400
    assert "month" in bad.json()["fields"]
    _volumes(team, other_team, date(2030, 2, 1))
    figures_ = director_client.get(f"/api/v1/budgets/{pk}/figures/").json()
    assert figures_["months_with_actuals"] == ["2030-02"]
    assert figures_["months"][1]["variance"] == "400.00"
    tier1 = figures_["unit_costs"][0]
    assert (tier1["team"], tier1["channel"], tier1["per_resolved"]) == (team.pk, "", "56.00")


@pytest.mark.django_db
def test_api_refuses_writes_of_managers_and_reps(lines, budget, manager_client, rep_client):
    before = LineMonth.objects.get(line=lines["reps"], month=MAR).headcount
    for client in (manager_client, rep_client):
        r = _post(client, f"/api/v1/budget-lines/{lines['reps'].pk}/months/",
                  {"month": "2026-03", "planned": "9"})  # fmt: skip
        assert r.status_code in (403, 404)
        assert (
            _post(
                client, "/api/v1/budgets/", {"fiscal_year": 2031, "first_month": "2031-01"}
            ).status_code
            == 403
        )  # noqa: E501
    assert LineMonth.objects.get(line=lines["reps"], month=MAR).headcount == before
    assert not Budget.objects.filter(fiscal_year=2031).exists()
    listed = manager_client.get("/api/v1/budget-lines/").json()["results"]
    assert [r["label"] for r in listed] == ["Reps"]
    assert rep_client.get("/api/v1/budget-lines/").status_code == 403


@pytest.mark.django_db
def test_amounts_too_large_for_a_line_are_refused_not_500(lines, budget, director_client):
    # a headcount whose salaries would not fit a month's line: a form error
    data = {f"planned_{i}": "0" for i in range(12)} | {"planned_2": "9999.99"}
    services.set_role_cost(budget, by=budget.created_by, role="Rep", monthly_cost=D("99999999"))
    r = director_client.post(reverse("staffing:budget-line-save", args=[lines["reps"].pk]), data)
    assert r.status_code == 422
    assert r.context["form"].non_field_errors() == [
        "9999.99 × 99999999.00 is more than a month's line can hold (9,999,999,999.99)."
    ]
    # a loaded cost that would overflow the planned salaries: refused, nothing re-planned
    services.set_role_cost(budget, by=budget.created_by, role="Rep", monthly_cost=D("5000"))
    r = _post(
        director_client,
        f"/api/v1/budget-lines/{lines['reps'].pk}/months/",
        {"month": "2026-03", "planned": "9000"},
    )
    assert r.status_code == 200
    r = _post(
        director_client,
        f"/api/v1/budgets/{budget.pk}/role-costs/",
        {"role": "Rep", "monthly_cost": "99999999.99"},
    )
    assert r.status_code == 422
    assert r.json()["fields"] == {
        "planned": [
            "9000.00 × 99999999.99 is more than a month's line can hold (9,999,999,999.99)."
        ]
    }
    assert LineMonth.objects.get(line=lines["reps"], month=MAR).planned == D("45000000.00")
    too_big = _post(
        director_client,
        f"/api/v1/budgets/{budget.pk}/role-costs/",
        {"role": "Rep", "monthly_cost": "100000000"},
    )
    assert too_big.status_code == 400
