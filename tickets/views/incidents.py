"""Incident pages: list and declare, the incident page (edit, link, unlink, update, resolve),
update progress polling, bulk linking from the queue, unlinking from the workspace, spike
alerts."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from csops import permissions
from csops.errors import DomainError, InvalidInput, NotAllowed, NotFound
from csops.htmx import domain_errors
from tickets import selectors_escalations as selectors
from tickets.filters import TicketFilter
from tickets.forms_escalations import (
    BulkLinkForm,
    IncidentEditForm,
    IncidentForm,
    LinkForm,
    ResolveIncidentForm,
    UpdateForm,
)
from tickets.models import Incident, IncidentUpdate, SpikeAlert, Ticket
from tickets.services import incidents as services
from tickets.services import spikes

LIST = "tickets/incidents.html"
DETAIL = "tickets/incident.html"


def _ensure_role(request: HttpRequest) -> None:
    if not permissions.can_handle_incidents(request.user):
        raise NotAllowed("Only managers and directors handle incidents.")


def _form_errors(form, exc: DomainError) -> None:
    for field, errs in exc.fields.items():
        form.add_error(field if field in form.fields else None, errs)
    if not exc.fields:
        form.add_error(None, exc.detail)


@require_http_methods(["GET", "POST"])
@domain_errors
def incident_list(request: HttpRequest) -> HttpResponse:
    _ensure_role(request)
    alert_id = request.GET.get("alert")
    initial = {}
    if alert_id and alert_id.isdigit():
        alert = SpikeAlert.objects.filter(pk=int(alert_id)).first()
        if alert is not None:
            initial = {"title": f"Spike in {alert.key_name}", "alert": alert.pk}
    form = IncidentForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            incident = services.declare(
                by=request.user,
                team=data["team"],
                title=data["title"],
                severity=data["severity"],
                description=data["description"],
                customer_update=data["customer_update"],
                alert_id=data["alert"],
                public=data["public"],
            )
        except DomainError as exc:
            if exc.status != 422:
                raise
            _form_errors(form, exc)
        else:
            url = reverse("tickets:incident-detail", args=[incident.pk])
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    context = {
        "incidents": selectors.incidents_for(request.user)[:100],
        "alerts": _alerts_for(request),
        "form": form,
    }
    return render(request, LIST, context, status=422 if form.errors else 200)


def _alerts_for(request: HttpRequest) -> list[dict]:
    """Open spike alerts with the tickets behind them that the user may see."""
    out = []
    for alert in spikes.open_alerts()[:20]:
        tickets = permissions.scope_tickets(
            request.user, Ticket.objects.filter(pk__in=alert.ticket_ids)
        ).order_by("pk")
        out.append({"alert": alert, "tickets": tickets[:20]})
    return out


def _detail_context(request: HttpRequest, incident: Incident, **forms) -> dict:
    return {
        "incident": incident,
        "summary": selectors.incident_summary(incident),
        "tickets": selectors.linked_tickets(incident),
        "timeline": selectors.timeline(incident),
        "edit_form": forms.get("edit_form") or IncidentEditForm.for_incident(incident),
        "link_form": forms.get("link_form") or LinkForm(),
        "update_form": forms.get("update_form") or UpdateForm(),
        "resolve_form": forms.get("resolve_form")
        or ResolveIncidentForm(),  # empty: an interim update must not go out as the last word
        "search": forms.get("search"),
    }


@require_GET
@domain_errors
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    incident = permissions.access_incident(request.user, pk)
    search = None
    if request.GET.get("q"):
        filterset = TicketFilter({"q": request.GET["q"], "view": "teams"}, request=request)
        search = filterset.qs[:25] if filterset.is_valid() else []
    return render(request, DETAIL, _detail_context(request, incident, search=search))


def _done(request: HttpRequest, incident: Incident) -> HttpResponse:
    if request.htmx:
        return render(request, f"{DETAIL}#incident", _detail_context(request, incident))
    return redirect("tickets:incident-detail", pk=incident.pk)


def _refused(request: HttpRequest, incident: Incident, **form) -> HttpResponse:
    """The page (its ``#incident`` region for htmx) again with the refused form, 422."""
    template = f"{DETAIL}#incident" if request.htmx else DETAIL
    return render(request, template, _detail_context(request, incident, **form), status=422)


@require_POST
@domain_errors
def incident_link(request: HttpRequest, pk: int) -> HttpResponse:
    incident = permissions.access_incident(request.user, pk)
    form = LinkForm(request.POST)
    if form.is_valid():
        try:
            added = services.link_tickets(pk, by=request.user, ticket_ids=form.cleaned_data["ids"])
        except DomainError as exc:
            if exc.status != 422:
                raise
            _form_errors(form, exc)
        else:
            messages.success(request, f"{added} ticket(s) linked.")
            return _done(request, incident)
    return _refused(request, incident, link_form=form)


@require_POST
@domain_errors
def incident_edit(request: HttpRequest, pk: int) -> HttpResponse:
    incident = permissions.access_incident(request.user, pk)
    form = IncidentEditForm(request.POST)
    if form.is_valid():
        try:
            incident = services.edit(pk, by=request.user, **form.cleaned_data)
        except DomainError as exc:
            if exc.status != 422 or not exc.fields:
                raise
            _form_errors(form, exc)
        else:
            messages.success(request, f"Incident #{pk} saved.")
            return _done(request, incident)
    return _refused(request, incident, edit_form=form)


@require_POST
@domain_errors
def incident_unlink(request: HttpRequest, pk: int, ticket_pk: int) -> HttpResponse:
    """Unlink one ticket; from the workspace's panel (``back=ticket``) back to that ticket."""
    services.unlink_ticket(pk, by=request.user, ticket_id=ticket_pk)
    messages.success(request, f"Ticket #{ticket_pk} unlinked from incident #{pk}.")
    if request.POST.get("back") == "ticket":
        url = reverse("tickets:ticket-detail", args=[ticket_pk])
        return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    incident = permissions.access_incident(request.user, pk)
    return _done(request, incident)


@require_POST
@domain_errors
def incident_link_selected(request: HttpRequest) -> HttpResponse:
    """From the queue's checkboxes or the workspace: link the tickets to the chosen incident."""
    _ensure_role(request)
    form = BulkLinkForm(request.POST)
    if not form.is_valid():
        fields = {k: list(v) for k, v in form.errors.items()}
        raise InvalidInput("Choose an incident and at least one ticket.", fields=fields)
    incident_id = form.cleaned_data["incident"]
    added = services.link_tickets(incident_id, by=request.user, ticket_ids=form.cleaned_data["ids"])
    messages.success(request, f"{added} ticket(s) linked to incident #{incident_id}.")
    url = reverse("tickets:incident-detail", args=[incident_id])
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@require_POST
@domain_errors
def incident_post_update(request: HttpRequest, pk: int) -> HttpResponse:
    incident = permissions.access_incident(request.user, pk)
    form = UpdateForm(request.POST)
    if form.is_valid():
        services.post_update(pk, by=request.user, body=form.cleaned_data["body"])
        incident.refresh_from_db()
        return _done(request, incident)
    return _refused(request, incident, update_form=form)


@require_POST
@domain_errors
def incident_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    incident = permissions.access_incident(request.user, pk)
    form = ResolveIncidentForm(request.POST)
    if form.is_valid():
        try:
            incident = services.resolve(
                pk,
                by=request.user,
                solve_tickets=form.cleaned_data["solve_tickets"],
                closing_message=form.cleaned_data["closing_message"],
            )
        except DomainError as exc:
            if exc.status != 422:
                raise
            _form_errors(form, exc)
        else:
            return _done(request, incident)
    return _refused(request, incident, resolve_form=form)


@require_GET
@domain_errors
def incident_update_progress(request: HttpRequest, pk: int) -> HttpResponse:
    update = IncidentUpdate.objects.filter(pk=pk).select_related("incident").first()
    if update is None:
        raise NotFound(f"Update #{pk} does not exist.")
    permissions.access_incident(request.user, update.incident_id)
    context = {"update": update, "progress": selectors.update_progress(update)}
    return render(request, "tickets/incident_progress.html", context)


@require_POST
@domain_errors
def spike_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    _ensure_role(request)
    spikes.dismiss(pk)
    return redirect("tickets:incident-list")
