"""The home page: every kind of work waiting for the person (csops.waiting: each app lists
its own), the policies to acknowledge in full, and the way to the queue.

It lives here because the acknowledgments are listed in full; ``csops/urls.py`` routes ``/``
to it (csops itself imports no app)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from csops import permissions, waiting
from policies.selectors_documents import to_acknowledge


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if not permissions.is_staff_member(request.user):
        return redirect("tickets:queue")  # the queue explains that the account has no role
    context = {
        "waiting": waiting.for_user(request.user),
        "to_acknowledge": to_acknowledge(request.user),
        "now": timezone.now(),
    }
    return render(request, "home.html", context)
