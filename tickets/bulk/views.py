"""Bulk work from the queue: start, then watch the progress and read the summary."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from csops.errors import InvalidInput
from csops.htmx import domain_errors
from tickets.bulk import selectors, services
from tickets.bulk.forms import BulkForm

PAGE = "tickets/bulk/bulk.html"


@require_POST
@domain_errors
def bulk_start(request: HttpRequest) -> HttpResponse:
    form = BulkForm(request.POST)
    if not form.is_valid():
        fields = {k: list(v) for k, v in form.errors.items()}
        raise InvalidInput("Choose an action and at least one ticket.", fields=fields)
    ids = form.cleaned_data["ticket"]
    if form.cleaned_data["all_matching"]:
        query = QueryDict(form.cleaned_data["query"])
        ids = selectors.matching_ticket_ids(request.user, query, services.MAX_TICKETS)
    bulk = services.start(
        by=request.user,
        kind=form.cleaned_data["kind"],
        params=form.params(),
        ticket_ids=ids,
        versions=form.versions(),
    )
    if bulk.state == bulk.State.DONE:
        messages.success(
            request, f"{bulk.get_kind_display()}: {bulk.succeeded} of {bulk.total} done."
        )
    url = f"/tickets/bulk/{bulk.pk}/"
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@require_GET
@domain_errors
def bulk_detail(request: HttpRequest, pk: int) -> HttpResponse:
    bulk = services.access_bulk(request.user, pk)
    context = {"bulk": bulk, "refused": services.refusals(bulk)}
    template = f"{PAGE}#progress" if request.htmx else PAGE
    return render(request, template, context)
