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
from staffing.models import AvailabilityStatus
from staffing.skills.selectors import availability_of


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if not permissions.is_staff_member(request.user):
        return redirect("tickets:queue")  # the queue explains that the account has no role
    context = {
        "waiting": waiting.for_user(request.user),
        "to_acknowledge": to_acknowledge(request.user),
        "now": timezone.now(),
        # Automatic assignment sends tickets only to people who say they are available.
        "my_availability": availability_of([request.user.pk])[request.user.pk],
        "availability_choices": AvailabilityStatus.choices,
    }
    return render(request, "home.html", context)
