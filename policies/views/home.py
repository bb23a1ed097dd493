"""The home page: the policies the person must acknowledge, and the way to the queue.

Its content is the person's acknowledgments, so it lives here; ``csops/urls.py`` routes
``/`` to it (csops itself imports no app)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from csops import permissions
from policies.selectors_documents import to_acknowledge


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if not permissions.is_staff_member(request.user):
        return redirect("tickets:queue")  # the queue explains that the account has no role
    context = {"to_acknowledge": to_acknowledge(request.user), "now": timezone.now()}
    return render(request, "home.html", context)
