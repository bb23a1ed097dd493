"""The workspace's Retry button for a reply whose email failed."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from csops.htmx import domain_errors
from tickets.mail import services


@require_POST
@domain_errors
def outbound_retry(request: HttpRequest, pk: int) -> HttpResponse:
    message = services.retry(pk, by=request.user)
    messages.success(request, f"The email to {', '.join(message.recipients)} is queued again.")
    return redirect("tickets:ticket-detail", pk=message.ticket_id)
