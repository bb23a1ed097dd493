"""The routing page (/tickets/routing/), a team's routing settings, one's own availability,
and a ticket's required skills (the workspace's small form). Each write is one service call."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from csops import permissions
from csops.errors import InvalidInput
from csops.htmx import domain_errors
from staffing.models import AvailabilityStatus, Team
from tickets.routing import selectors, services
from tickets.routing.forms import AvailabilityForm, RequiredSkillsForm, RoutingSettingsForm


@require_GET
@domain_errors
def routing_board(request: HttpRequest) -> HttpResponse:
    permissions.ensure_can_view_routing(request.user)
    boards = [selectors.team_board(team) for team in selectors.routing_teams(request.user)]
    return render(request, "tickets/routing.html", {"boards": boards})


@require_http_methods(["GET", "POST"])
@domain_errors
def routing_settings(request: HttpRequest, team_pk: int) -> HttpResponse:
    permissions.ensure_can_manage_routing(request.user, team_pk)
    team = get_object_or_404(Team, pk=team_pk)
    conf = services.settings_for(team)
    initial = {
        "mode": conf.mode,
        "capacity": conf.capacity,
        "overflow_team": conf.overflow_team_id,
        "overflow_after_minutes": conf.overflow_after_minutes,
        "off_shift_grace_minutes": conf.off_shift_grace_minutes,
    }
    form = RoutingSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.update_settings(team, by=request.user, **form.cleaned_data)
        except InvalidInput as exc:
            for name, errors in exc.fields.items():
                for error in errors:
                    form.add_error(name if name in form.fields else None, error)
        else:
            messages.success(request, f"Routing of {team.name}: {saved.get_mode_display()}.")
            return redirect(f"{reverse('tickets:routing-board')}#team-{team.pk}")
    status = 422 if form.errors else 200
    context = {"team": team, "form": form, "history": conf.history.all()[:10] if conf.pk else []}
    return render(request, "tickets/routing_settings.html", context, status=status)


@require_POST
@domain_errors
def set_availability(request: HttpRequest) -> HttpResponse:
    form = AvailabilityForm(request.POST)
    if not form.is_valid():
        raise InvalidInput("Choose available, away or offline.", fields=dict(form.errors))
    outcome = services.set_availability(request.user, form.cleaned_data["status"])
    label = AvailabilityStatus(outcome["status"]).label
    text = f"You are {label.lower()}."
    if outcome["returned"]:
        text += f" {outcome['returned']} untouched ticket(s) went back to the pool."
    if outcome["assigned"]:
        text += f" {outcome['assigned']} waiting ticket(s) assigned."
    messages.success(request, text)
    target = form.cleaned_data.get("next") or reverse("home")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = reverse("home")
    return redirect(target)


@require_POST
@domain_errors
def ticket_required_skills(request: HttpRequest, pk: int) -> HttpResponse:
    form = RequiredSkillsForm(request.POST)
    if not form.is_valid():
        raise InvalidInput("Choose skills from the list.", fields=dict(form.errors))
    services.set_required_skills(
        pk,
        by=request.user,
        skills=form.cleaned_data["skills"],
        language=form.cleaned_data["language"],
    )
    messages.success(request, "Required skills saved.")
    return redirect("tickets:ticket-detail", pk=pk)
