from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from csops import permissions
from csops.errors import InvalidInput, StaleTicket
from csops.htmx import domain_errors
from csops.people import display_name
from staffing.models import Team
from tickets import selectors, selectors_procedures, selectors_sla, services
from tickets.forms import PropertiesForm, ReplyForm
from tickets.links.forms import LinkForm, MergeForm
from tickets.links.selectors import links_of
from tickets.models import Status, Ticket
from tickets.services import procedures

WORKSPACE = "tickets/workspace.html"


def _props_form(user, ticket: Ticket, data=None, teams: list[Team] | None = None) -> PropertiesForm:
    initial = {
        "status": ticket.status,
        "priority": ticket.priority,
        "team": ticket.team_id,
        "assignee": ticket.assignee_id,
        "category": ticket.category_id,
        "tags": [t.name for t in ticket.tags.all()],
        "version": ticket.version,
    }
    form = PropertiesForm(data, initial=initial, user=user)
    if data is None:  # only shown: each select's choices in one plain read
        form.read_choices(teams=teams)
    return form


def _differences(draft: PropertiesForm, ticket: Ticket) -> list[tuple[str, str, str]]:
    """(field, label, value now) for each property where the ticket differs from the draft."""
    data = draft.cleaned_data
    tags = sorted(ticket.tags.values_list("name", flat=True))
    now = {
        "status": (ticket.status, ticket.get_status_display()),
        "priority": (ticket.priority, ticket.get_priority_display()),
        "team": (ticket.team_id, str(ticket.team)),
        "assignee": (ticket.assignee_id, _person(ticket.assignee) if ticket.assignee else ""),
        "category": (ticket.category_id, str(ticket.category or "")),
        "tags": (tags, ", ".join(tags)),
    }
    wanted = {
        "status": data["status"],
        "priority": data["priority"],
        "team": data["team"].pk,
        "assignee": getattr(data["assignee"], "pk", None),
        "category": getattr(data["category"], "pk", None),
        "tags": sorted(t.name for t in data["tags"]),
    }
    return [
        (name, str(draft[name].label), shown or "none")
        for name, (value, shown) in now.items()
        if value != wanted[name]
    ]


def _confirmed(request: HttpRequest) -> bool:
    """The person ticked "solve even though child tickets are open"."""
    return request.POST.get("confirm_open_children") == "1"


def _seen(request: HttpRequest) -> int:
    """The newest event the person's page showed (the reply form's hidden ``seen``)."""
    try:
        return max(0, int(request.POST.get("seen") or 0))
    except ValueError:
        return 0


def _person(user) -> str:
    return display_name(user)


def _render(
    request: HttpRequest,
    ticket: Ticket,
    *,
    reply_form: ReplyForm | None = None,
    props_form: PropertiesForm | None = None,
    props_changed: list[tuple[str, str, str]] | None = None,
    stale: str = "",
    changes: list[selectors.Change] | None = None,
    status: int = 200,
) -> HttpResponse:
    # Every team, read once: the team select, the history's team names, the escalation's tiers.
    teams = list(Team.objects.all())
    log = selectors.timeline(ticket, team_names={t.pk: t.name for t in teams})
    links = links_of(ticket)
    shown = ticket.status != Status.CLOSED  # a closed ticket shows no reply form nor editors
    context = {
        "teams": teams,
        "links": links,
        "open_children": [
            r.other for r in links if r.label == "Parent of" and not r.other.is_resolved
        ],
        "link_form": LinkForm(),
        "merge_form": MergeForm(initial={"version": ticket.version}),
        "ticket": ticket,
        "conversation": log.conversation,
        "history": log.history,
        "other_tickets": selectors.requester_other_tickets(request.user, ticket),
        "reply_form": reply_form
        or ReplyForm(initial={"version": ticket.version, "kind": "public"}),
        "props_form": props_form or _props_form(request.user, ticket, teams=teams),
        "stale": stale,
        "changes": changes or [],  # what others did since the page was opened (a stale reply)
        "last_event_id": log.last_event_id,
        "props_changed": props_changed or [],
        "sla": selectors_sla.sla_panel(
            ticket, events=log.events
        ),  # SLA targets, countdowns and audit trail
        # Procedures in force (policies app) with the checklist ticks, and the reply macros.
        "procedures": selectors_procedures.workspace_procedures(ticket),
        "policy_records": selectors_procedures.policy_records(ticket),
        "macros": selectors_procedures.active_macros() if shown else [],  # the reply form's
    }
    template = f"{WORKSPACE}#ticket" if request.htmx else WORKSPACE
    return render(request, template, context, status=status)


def _done(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    if request.htmx:
        return _render(request, ticket)
    return redirect("tickets:ticket-detail", pk=ticket.pk)


@require_GET
@domain_errors
def ticket_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render(request, selectors.workspace_ticket(request.user, pk))


@require_POST
@domain_errors
def ticket_claim(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = services.claim(pk, by=request.user)
    messages.success(request, f"You claimed ticket #{ticket.pk}.")
    return _done(request, ticket)


@require_POST
@domain_errors
def ticket_reply(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = permissions.access_ticket(request.user, pk)
    form = ReplyForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, ticket, reply_form=form, status=422)
    try:
        send = services.reply
        if form.cleaned_data.get("macro"):  # a macro filled the box: its changes apply now
            send = partial(procedures.reply_with_macro, macro_id=form.cleaned_data["macro"])
        ticket = send(
            pk,
            by=request.user,
            body=form.cleaned_data["body"],
            public=form.cleaned_data["kind"] == "public",
            new_status=form.cleaned_data["status"] or None,
            expected_version=form.cleaned_data["version"],
            attachments=form.cleaned_data["attachments"],
            confirm_open_children=_confirmed(request),
        )
    except InvalidInput as exc:
        if "attachments" not in exc.fields:
            raise
        for problem in exc.fields["attachments"]:  # shown under the file input
            form.add_error("attachments", problem)
        return _render(request, ticket, reply_form=form, status=422)
    except StaleTicket as exc:
        # Keep the draft; it now carries the fresh version so it can be sent after a look.
        # Show what the others did (their reply first, with who) and ask before sending.
        ticket.refresh_from_db()
        draft = ReplyForm({**request.POST.dict(), "version": ticket.version})
        seen = _seen(request)
        changes = selectors.changes_since(ticket, seen) if seen else []
        return _render(
            request, ticket, reply_form=draft, stale=exc.detail, changes=changes, status=409
        )
    return _done(request, ticket)


@require_POST
@domain_errors
def ticket_update(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = permissions.access_ticket(request.user, pk)
    form = _props_form(request.user, ticket, request.POST)
    if not form.is_valid():
        return _render(request, ticket, props_form=form, status=422)
    data = form.cleaned_data
    try:
        ticket = services.update_ticket(
            pk,
            by=request.user,
            expected_version=data["version"],
            status=data["status"],
            priority=data["priority"],
            team=data["team"],
            assignee=data["assignee"],
            category=data["category"],
            tags=data["tags"],
            confirm_open_children=_confirmed(request),
        )
    except StaleTicket as exc:
        # Keep the draft, as the reply box does: the user's values, now on the fresh version,
        # and where the ticket differs from them, so they can look before saving again.
        ticket.refresh_from_db()
        draft = _props_form(request.user, ticket, request.POST.copy())
        draft.data["version"] = str(ticket.version)
        changed = _differences(draft, ticket) if draft.is_valid() else []
        return _render(
            request, ticket, props_form=draft, props_changed=changed, stale=exc.detail, status=409
        )
    if not permissions.can_work_ticket(request.user, ticket):
        messages.success(request, f"Ticket #{ticket.pk} moved to {ticket.team}.")
        return _redirect_to_queue(request)
    return _done(request, ticket)


def _redirect_to_queue(request: HttpRequest) -> HttpResponse:
    url = reverse("tickets:queue")
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
