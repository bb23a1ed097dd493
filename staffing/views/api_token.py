"""A person's own API token: create (shown once) and revoke, from their development page."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from csops import tokens


@require_POST
def api_token_create(request: HttpRequest) -> HttpResponse:
    """A new token replaces the old one; its key is shown on this page only."""
    token = tokens.issue_token(request.user)
    context = {"key": token.key, "expires_at": tokens.expires_at(token)}
    response = render(request, "staffing/api_token.html", context)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def api_token_revoke(request: HttpRequest) -> HttpResponse:
    if tokens.revoke_token(request.user):
        messages.success(request, "Your API token is revoked: it no longer works.")
    else:
        messages.info(request, "You had no API token.")
    return redirect("staffing:person", user_id=request.user.pk)
