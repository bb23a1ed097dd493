from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.views.decorators.http import require_GET

from csops import permissions
from csops.roles import Role
from tickets import columns as queue_columns
from tickets import selectors, selectors_search
from tickets.customers import selectors as customer_selectors
from tickets.filters import VIEW_CHOICES, TicketFilter
from tickets.saved_views.forms import SaveViewForm
from tickets.saved_views.views import sidebar_context


def _page_number(request: HttpRequest) -> int:
    try:
        return max(int(request.GET.get("page", "1")), 1)
    except ValueError:
        return 1


def default_view(user) -> str:
    """A rep lands on their own unsolved tickets (as Zendesk's "Your unsolved tickets");
    managers and directors on all their teams."""
    return "mine" if permissions.role_of(user) == Role.REP else "teams"


# Header columns: (key or None when always shown, label, sort when first clicked, the other
# direction or None).
COLUMNS = [
    (None, "#", "-created_at", "created_at"),
    (None, "Subject", None, None),
    ("requester", "Requester", None, None),
    ("status", "Status", None, None),
    ("priority", "Priority", "-priority_rank", "priority_rank"),
    ("team", "Team", None, None),
    ("assignee", "Assignee", None, None),
    ("channel", "Channel", None, None),
    ("sla", "Next SLA due", "next_sla_due_at", None),
    ("updated", "Updated", "-updated_at", "updated_at"),
]


def sort_columns(params: QueryDict, current: str, shown: list[str]) -> list[dict]:
    """The queue's header cells of the ``shown`` columns: a link that sorts by the column (a
    second click reverses it), and ``aria-sort`` on the column the queue is sorted by."""
    columns = []
    for key, label, first, other in COLUMNS:
        if key is not None and key not in shown:
            continue
        cell: dict = {"label": label, "url": "", "aria_sort": ""}
        if first:
            active = current in (first, other)
            cell["aria_sort"] = (
                ("descending" if current.startswith("-") else "ascending") if active else ""
            )
            query = params.copy()
            query["sort"] = other if current == first and other else first
            cell["url"] = f"?{query.urlencode()}"
        columns.append(cell)
    return columns


def read_choices(form: forms.Form) -> None:
    """The filter form is only shown: each model drop-down's options in one plain query (a
    model choice field reads them through a server-side cursor, three round trips)."""
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField):
            options = field.iterator(field)
            empty = [] if field.empty_label is None else [("", field.empty_label)]
            field.widget.choices = empty + [options.choice(obj) for obj in field.queryset]


@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    data = request.GET.copy()
    if not data.get("view"):
        data["view"] = default_view(request.user)
    filterset = TicketFilter(data, request=request)
    valid = filterset.is_valid()
    search = bool(data.get("q", "").strip())
    page = (
        selectors.queue_page(filterset.qs, _page_number(request), search=search) if valid else None
    )
    if page and data.get("q"):  # why each row matched, marked in its subject and a snippet
        marks = selectors_search.highlights([t.pk for t in page.tickets], data["q"])
        for t in page.tickets:
            t.highlight = marks.get(t.pk)
    read_choices(filterset.form)
    params = request.GET.copy()
    params.pop("page", None)
    shown = queue_columns.chosen(request.GET.getlist("columns"))
    # The search box also finds people: customers and organizations (first page only).
    query = data.get("q", "") if valid and _page_number(request) == 1 else ""
    context = {
        "people": customer_selectors.search(request.user, query[:200]),
        "filter": filterset,
        "page": page,
        "columns": sort_columns(params, filterset.form.data.get("sort") or "-updated_at", shown),
        "shown": shown,
        "column_choices": queue_columns.COLUMNS,
        "views": VIEW_CHOICES,
        "current_view": filterset.form.data["view"],
        "query_without_page": params.urlencode(),
        # Saved views beside the queue (their counts load after the page) and the form
        # that saves the current filters as one.
        **sidebar_context(request, counts=False),
        "save_view_form": SaveViewForm(user=request.user),
    }
    partial = request.htmx and not request.htmx.history_restore_request
    template = "tickets/queue.html#results" if partial else "tickets/queue.html"
    response = render(request, template, context, status=200 if valid else 400)
    response["Vary"] = "HX-Request"
    return response
