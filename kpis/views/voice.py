"""Voice of the customer: survey comments with the ticket behind each (managers: their teams)."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from csops import permissions
from csops.htmx import domain_errors
from kpis.views.common import filter_form
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
    qs = SurveyResponse.objects.filter(is_current=True).select_related(
        "ticket", "ticket__team", "ticket__assignee"
    )
    qs = qs.filter(ticket__in=permissions.scope_tickets(request.user, Ticket.objects.all()))
    if form.is_valid():
        f = form.to_filter()
        qs = qs.filter(submitted_at__gte=f.start_instant, submitted_at__lt=f.end_instant)
        if f.team:
            qs = qs.filter(ticket__team_id=f.team)
        if f.agent:
            qs = qs.filter(ticket__assignee_id=f.agent)
        if f.channel:
            qs = qs.filter(ticket__channel=f.channel)
        if f.priority:
            qs = qs.filter(ticket__priority=f.priority)
    if extra.is_valid():
        sentiment, text = extra.cleaned_data["sentiment"], extra.cleaned_data["q"]
        if sentiment:
            qs = qs.filter(positive=sentiment == "positive")
        if text:
            qs = qs.filter(comment__icontains=text)
        if extra.cleaned_data["with_comment"] or not request.GET:
            qs = qs.exclude(comment="")
    page = Paginator(qs.order_by("-submitted_at", "-pk"), 50).get_page(request.GET.get("page"))
    context = {"form": form, "extra": extra, "page": page}
    return render(request, "kpis/voice.html", context)
