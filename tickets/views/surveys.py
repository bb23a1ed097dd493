"""The public CSAT survey page (no login: the signed link is the only key)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from csops.errors import DomainError
from tickets.forms_surveys import SurveyForm
from tickets.models import SurveyInvitation
from tickets.services import surveys


def _closed(request: HttpRequest, invitation: SurveyInvitation, exc: DomainError) -> HttpResponse:
    """ "This survey has closed", with the answer it recorded, if any."""
    answer = invitation.responses.order_by("-submitted_at", "-pk").first()
    context = {"error": exc, "ticket": invitation.ticket, "answer": answer}
    return render(request, "tickets/survey_closed.html", context, status=exc.status)


@never_cache
@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = surveys.read_token(token)
    except DomainError as exc:
        return render(request, "tickets/survey_refused.html", {"error": exc}, status=exc.status)
    try:
        surveys.ensure_open(invitation)
    except surveys.SurveyClosed as exc:
        return _closed(request, invitation, exc)
    initial = {}
    if request.method == "GET" and request.GET.get("rating", "").isdigit():
        initial["rating"] = int(request.GET["rating"])  # one-click answer from the mail
    form = SurveyForm(request.POST or None, initial=initial, invitation=invitation)
    context = {"form": form, "ticket": invitation.ticket, "invitation": invitation}
    if request.method == "POST":
        if form.is_valid():
            try:
                response = surveys.submit_response(
                    invitation,
                    rating=form.cleaned_data["rating"],
                    comment=form.cleaned_data["comment"],
                    nps=form.cleaned_data.get("nps"),
                )
            except surveys.SurveyClosed as exc:  # reopened or final since the page was shown
                return _closed(request, invitation, exc)
            except DomainError as exc:
                for field, errors in exc.fields.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                context = {"response": response, "until": surveys.change_until(invitation)}
                return render(request, "tickets/survey_thanks.html", context)
        return render(request, "tickets/survey.html", context, status=422)
    context["previous"] = invitation.responses.order_by("-submitted_at", "-pk").first()
    context["until"] = surveys.change_until(invitation)
    return render(request, "tickets/survey.html", context)
