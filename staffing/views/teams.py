"""A team's development view and the compliance report (page and CSV)."""

from __future__ import annotations

from itertools import chain

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from csops import csv_export, permissions
from csops.errors import NotAllowed, NotFound
from csops.htmx import domain_errors
from csops.people import display_name
from staffing import selectors
from staffing.forms import AddMemberForm, AssignCourseForm
from staffing.models import Team
from staffing.services import teams as team_services
from staffing.views._common import go, today


def _team(request: HttpRequest, pk: int) -> Team:
    team = selectors.managed_teams(request.user).filter(pk=pk).first()
    if team is None:
        raise NotFound(f"Team #{pk} does not exist or is not one you manage.")
    return team


def _team_page(request: HttpRequest, t: Team, *, member_form=None, status=200) -> HttpResponse:
    context = {
        "team": t,
        "rows": selectors.team_compliance(t, today()),
        "qa": selectors.qa_summary(team_id=t.pk),
        "assign_form": AssignCourseForm(viewer=request.user, initial={"team": t.pk}),
        "member_form": member_form or AddMemberForm(team=t),
        "members": t.members.order_by("username"),
    }
    return render(request, "staffing/team.html", context, status=status)


@require_GET
@domain_errors
def team(request: HttpRequest, pk: int) -> HttpResponse:
    return _team_page(request, _team(request, pk))


@require_POST
@domain_errors
def team_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a person to the team; the courses required for it are assigned to them."""
    t = _team(request, pk)
    form = AddMemberForm(request.POST, team=t)
    if not form.is_valid():
        return _team_page(request, t, member_form=form, status=422)
    person = form.cleaned_data["user"]
    created = team_services.add_member(t, person, by=request.user)
    messages.success(
        request, f"{display_name(person)} joined {t.name}: {len(created)} courses assigned."
    )
    return go(request, reverse("staffing:team", args=[t.pk]))


@require_POST
@domain_errors
def team_member_remove(request: HttpRequest, pk: int, user_id: int) -> HttpResponse:
    """Take a person off the team; what only this team asked of them is withdrawn."""
    t = _team(request, pk)
    person = t.members.filter(pk=user_id).first()
    if person is None:
        raise NotFound(f"Person #{user_id} is not a member of {t.name}.")
    team_services.remove_member(t, person, by=request.user)
    messages.success(request, f"{display_name(person)} left {t.name}.")
    return go(request, reverse("staffing:team", args=[t.pk]))


@require_GET
@domain_errors
def compliance(request: HttpRequest) -> HttpResponse:
    if not permissions.can_edit_staff_catalog(request.user):
        raise NotAllowed("The compliance report is for managers and directors.")
    day = today()
    teams = [(t, selectors.team_compliance(t, day)) for t in selectors.managed_teams(request.user)]
    return render(request, "staffing/compliance.html", {"teams": teams})


@require_GET
@domain_errors
def compliance_csv(request: HttpRequest) -> HttpResponse:
    if not permissions.can_edit_staff_catalog(request.user):
        raise NotAllowed("The compliance report is for managers and directors.")
    day = today()
    teams = selectors.managed_teams(request.user)
    if request.GET.get("team"):  # one team's report: ?team=<id>
        wanted = request.GET["team"]
        teams = teams.filter(pk=int(wanted)) if wanted.isdigit() else teams.none()
    header = ("team", "username", "name", "status", "issues")
    rows = (
        (t.name, row.person.username, row.person.get_full_name(), row.status, "; ".join(row.issues))
        for t in teams
        for row in selectors.team_compliance(t, day)
    )
    return csv_export.csv_response(chain([header], rows), f"compliance-{day}.csv")
