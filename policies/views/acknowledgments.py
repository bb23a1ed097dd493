"""Acknowledging a version, and the managers' coverage page with reminders."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from csops import permissions
from csops.errors import InvalidInput
from csops.htmx import domain_errors
from csops.redirects import safe_next
from policies import selectors_documents
from policies.forms_documents import RemindForm
from policies.services import acknowledgments as services


@require_POST
@domain_errors
def version_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    ack = services.acknowledge(pk, by=request.user)
    messages.success(request, f"You acknowledged {ack.version}.")
    return redirect(safe_next(request, "home"))


@require_GET
@domain_errors
def version_coverage(request: HttpRequest, pk: int) -> HttpResponse:
    permissions.ensure_policy_role(permissions.can_edit_policies(request.user), "see coverage")
    version = permissions.access_policy_version(request.user, pk)
    rows = selectors_documents.coverage(request.user, version)
    return render(request, "policies/document_coverage.html", {"version": version, "rows": rows})


@require_POST
@domain_errors
def version_remind(request: HttpRequest, pk: int) -> HttpResponse:
    form = RemindForm(request.POST)
    if not form.is_valid():
        raise InvalidInput("Choose a team.", fields={"team": ["Choose a team."]})
    sent = services.remind_team(pk, team_id=form.cleaned_data["team"].pk, by=request.user)
    messages.success(request, f"Reminded {sent} people.")
    return redirect("policies:version-coverage", pk=pk)
