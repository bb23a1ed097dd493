"""Link, unlink and merge from the workspace: plain forms that redirect with a toast."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from csops import permissions
from csops.errors import InvalidInput
from csops.htmx import domain_errors
from tickets.links import services
from tickets.links.forms import LinkForm, MergeForm
from tickets.links.models import TicketLink


def _invalid(form) -> InvalidInput:
    return InvalidInput("Check the form.", fields={k: list(v) for k, v in form.errors.items()})


@require_POST
@domain_errors
def ticket_link(request: HttpRequest, pk: int) -> HttpResponse:
    permissions.access_ticket(request.user, pk)
    form = LinkForm(request.POST)
    if not form.is_valid():
        raise _invalid(form)
    link = services.link(
        pk, other=form.cleaned_data["other"], kind=form.cleaned_data["kind"], by=request.user
    )
    messages.success(request, f"Linked: {link}.")
    return redirect("tickets:ticket-detail", pk=pk)


@require_POST
@domain_errors
def ticket_unlink(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    permissions.access_ticket(request.user, pk)
    if not TicketLink.objects.filter(Q(source_id=pk) | Q(target_id=pk), pk=link_pk).exists():
        raise InvalidInput("That link is not on this ticket.")
    services.unlink(link_pk, by=request.user)
    messages.success(request, "Link removed.")
    return redirect("tickets:ticket-detail", pk=pk)


@require_POST
@domain_errors
def ticket_merge(request: HttpRequest, pk: int) -> HttpResponse:
    permissions.access_ticket(request.user, pk)
    form = MergeForm(request.POST)
    if not form.is_valid():
        raise _invalid(form)
    version = form.cleaned_data.get("version")
    survivor = services.merge(
        [pk],
        into=form.cleaned_data["into"],
        by=request.user,
        expected_versions={pk: version} if version else None,
    )
    messages.success(request, f"Ticket #{pk} was merged into #{survivor.pk}.")
    return redirect("tickets:ticket-detail", pk=survivor.pk)
