from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from csops.errors import DomainError
from tickets import services
from tickets.forms import NewTicketForm


@require_http_methods(["GET", "POST"])
def ticket_new(request: HttpRequest) -> HttpResponse:
    """Log a phone call, walk-in or outbound contact as a ticket."""
    form = NewTicketForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            customer = services.find_or_create_customer(
                by=request.user, email=data["requester_email"], name=data["requester_name"]
            )
            ticket = services.create_ticket(
                by=request.user,
                requester=customer,
                subject=data["subject"],
                description=data["description"],
                team=data["team"],
                channel=data["channel"],
                priority=data["priority"],
                category=data["category"],
                initiated_by=data["direction"],
                assignee=request.user if data["assign_to_me"] else None,
            )
        except DomainError as exc:
            for field, errors in exc.fields.items():
                field = {"email": "requester_email"}.get(field, field)
                form.add_error(field if field in form.fields else None, errors)
            if not exc.fields:
                form.add_error(None, exc.detail)
        else:
            return redirect("tickets:ticket-detail", pk=ticket.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "tickets/new.html", {"form": form}, status=status)
