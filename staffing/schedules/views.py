"""Schedule pages: a team's weekly pattern (managers of the team, directors), time off and
training blocks, the roster CSV import and export; everyone's own schedule."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from csops import csv_export, permissions
from csops.errors import InvalidInput, NotFound
from csops.htmx import domain_errors
from csops.people import display_name
from staffing.models import Team
from staffing.schedules import selectors, services
from staffing.schedules.forms import BlockForm, RosterForm, ShiftForm
from staffing.schedules.models import WEEKDAYS, Block, Shift
from staffing.views._common import apply_errors, go


def _team(request: HttpRequest, pk: int) -> Team:
    permissions.ensure_can_edit_team_schedule(request.user, pk)
    team = Team.objects.filter(pk=pk).first()
    if team is None:
        raise NotFound(f"Team #{pk} does not exist or is not one whose schedule you keep.")
    return team


def _roster(shifts) -> list[tuple]:
    """(person, [shifts per weekday]) rows for the pattern table."""
    people: dict[int, tuple] = {}
    for s in shifts:
        people.setdefault(s.user_id, (s.user, [[] for _ in range(7)]))[1][s.weekday].append(s)
    return list(people.values())


def _team_page(request, team, *, shift_form=None, block_form=None, roster_form=None, status=200):
    shifts = selectors.team_shifts(team)
    blocks = permissions.scope_schedules(
        request.user,
        Block.objects.filter(user__teams=team, ends_at__gte=timezone.now()).select_related("user"),
    )
    return render(
        request,
        "staffing/schedules/team.html",
        {
            "team": team,
            "roster": _roster(shifts),
            "days": [name for _, name in WEEKDAYS],
            "blocks": blocks.distinct()[:50],
            "shift_form": shift_form or ShiftForm(team=team),
            "block_form": block_form or BlockForm(team=team),
            "roster_form": roster_form or RosterForm(),
        },
        status=status,
    )


@require_GET
def schedules_home(request: HttpRequest) -> HttpResponse:
    teams = permissions.schedule_teams(request.user, Team.objects.order_by("tier", "name"))
    if not teams.exists():
        return redirect("staffing:my-schedule")
    return render(request, "staffing/schedules/home.html", {"teams": teams})


@require_GET
def my_schedule(request: HttpRequest) -> HttpResponse:
    shifts = Shift.objects.filter(user=request.user).select_related("team")
    blocks = Block.objects.filter(user=request.user, ends_at__gte=timezone.now())
    return render(request, "staffing/schedules/me.html", {"shifts": shifts, "blocks": blocks})


@require_GET
@domain_errors
def team_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    return _team_page(request, _team(request, pk))


@require_POST
@domain_errors
def shift_add(request: HttpRequest, pk: int) -> HttpResponse:
    team = _team(request, pk)
    form = ShiftForm(request.POST, team=team)
    if form.is_valid():
        c = form.cleaned_data
        try:
            shift = services.add_shift(
                team,
                by=request.user,
                user_id=c["user"].pk,
                weekday=c["weekday"],
                start=c["start"],
                end=c["end"],
            )
        except InvalidInput as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Shift added for {display_name(shift.user)}: {shift}.")
            return go(request, reverse("staffing:team-schedule", args=[team.pk]))
    return _team_page(request, team, shift_form=form, status=422)


@require_POST
@domain_errors
def shift_delete(request: HttpRequest, pk: int) -> HttpResponse:
    shift = Shift.objects.filter(pk=pk).first()
    services.delete_shift(pk, by=request.user)
    messages.success(request, "Shift removed.")
    return go(request, reverse("staffing:team-schedule", args=[shift.team_id]))


@require_POST
@domain_errors
def block_add(request: HttpRequest, pk: int) -> HttpResponse:
    team = _team(request, pk)
    form = BlockForm(request.POST, team=team)
    if form.is_valid():
        c = form.cleaned_data
        try:
            block = services.add_block(
                by=request.user,
                person=c["user"],
                kind=c["kind"],
                starts_at=c["starts_at"],
                ends_at=c["ends_at"],
                note=c["note"],
            )
        except InvalidInput as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, f"{block.get_kind_display()} booked for {display_name(block.user)}."
            )
            return go(request, reverse("staffing:team-schedule", args=[team.pk]))
    return _team_page(request, team, block_form=form, status=422)


@require_POST
@domain_errors
def block_delete(request: HttpRequest, pk: int) -> HttpResponse:
    services.delete_block(pk, by=request.user)
    messages.success(request, "Block removed.")
    return go(request, request.POST.get("next") or reverse("staffing:schedules"))


@require_POST
@domain_errors
def roster_import(request: HttpRequest, pk: int) -> HttpResponse:
    team = _team(request, pk)
    form = RosterForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            n = services.import_roster(team, by=request.user, text=form.cleaned_data["file"])
        except InvalidInput as exc:
            for line in exc.fields.get("file", [exc.detail]):
                form.add_error("file", line)
        else:
            messages.success(request, f"Roster imported: {n} shifts.")
            return go(request, reverse("staffing:team-schedule", args=[team.pk]))
    return _team_page(request, team, roster_form=form, status=422)


@require_GET
@domain_errors
def roster_csv(request: HttpRequest, pk: int) -> HttpResponse:
    team = _team(request, pk)
    days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

    def rows():
        yield ["person", "day", "start", "end", "name"]
        for s in selectors.team_shifts(team):
            yield [
                s.user.username,
                days[s.weekday],
                f"{s.start:%H:%M}",
                f"{s.end:%H:%M}",
                display_name(s.user),
            ]

    return csv_export.csv_response(rows(), f"schedule-{team.slug}.csv")
