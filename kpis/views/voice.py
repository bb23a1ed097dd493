"""Voice of the customer: survey comments with the ticket behind each (managers: their teams).

The period and the team, agent and priority filters select answers as the CSAT tile counts
them (``kpis.selectors.surveys.rated``: submission day, attribution at the last solve at or
before the answer, §9.17); a manager sees the answers attributed to their teams, on tickets
they may open."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from csops import permissions
from csops.htmx import domain_errors
from csops.people import display_name
from kpis.selectors import teams_for
from kpis.selectors.surveys import rated
from kpis.views.common import filter_form
from staffing.models import Team
from tickets.models import SurveyResponse, Ticket


class VoiceForm(forms.Form):
    sentiment = forms.ChoiceField(
        choices=[("", "All ratings"), ("positive", "Positive"), ("negative", "Negative")],
        required=False,
    )
    q = forms.CharField(required=False, max_length=100, label="Comment contains")
    with_comment = forms.BooleanField(required=False, initial=True, label="Only with a comment")


@require_http_methods(["GET"])
@domain_errors
def voice(request: HttpRequest) -> HttpResponse:
    form = filter_form(request)
    extra = VoiceForm(request.GET or None)
    if form.is_valid():
        f = form.to_filter()
        qs = rated(f, teams_for(request.user, f))
    else:  # the form shows its errors, and no answers
        qs = SurveyResponse.objects.none()
    qs = qs.filter(ticket__in=permissions.scope_tickets(request.user, Ticket.objects.all()))
    qs = qs.select_related("ticket", "ticket__team", "ticket__assignee")
    if extra.is_valid():
        sentiment, text = extra.cleaned_data["sentiment"], extra.cleaned_data["q"]
        if sentiment:
            qs = qs.filter(positive=sentiment == "positive")
        if text:
            qs = qs.filter(comment__icontains=text)
        if extra.cleaned_data["with_comment"] or not request.GET:
            qs = qs.exclude(comment="")
    page = Paginator(qs.order_by("-submitted_at", "-pk"), 50).get_page(request.GET.get("page"))
    _label_credit(page.object_list)
    context = {"form": form, "extra": extra, "page": page}
    return render(request, "kpis/voice.html", context)


def _label_credit(responses: Iterable[SurveyResponse]) -> None:
    """Set ``credited_team`` and ``credited_agent`` on each answer: the names of the team and
    agent its rating counts for (§9.17), "Unassigned" for none, "Unattributed" without a
    solve before it. Two queries per page."""
    rows = list(responses)
    teams = dict(
        Team.objects.filter(pk__in={r.team_id for r in rows if r.team_id}).values_list("pk", "name")
    )
    agents = {
        u.pk: display_name(u)
        for u in User.objects.filter(pk__in={r.agent_id for r in rows if r.agent_id})
    }
    for r in rows:
        if not r.attributed:
            r.credited_team = r.credited_agent = "Unattributed"  # type: ignore[attr-defined]
            continue
        r.credited_team = _label(teams, r.team_id)  # type: ignore[attr-defined]
        r.credited_agent = _label(agents, r.agent_id)  # type: ignore[attr-defined]


def _label(names: dict[int, str], pk: int | None) -> str:
    if pk is None:
        return "Unassigned"
    return names.get(pk, f"#{pk}")
