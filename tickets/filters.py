"""One FilterSet for the queue page and the API ticket list (the same rules, written once)."""

from __future__ import annotations

import django_filters
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.postgres.search import SearchQuery
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from csops import permissions
from csops.people import by_name, label_people
from csops.widgets import Select, chips
from policies.models import Tag
from policies.ticket_log import UNRESOLVED
from staffing.models import Team
from tickets.models import Channel, Priority, Status, Ticket, TicketEvent
from tickets.selectors_sla import at_risk_exists, breached_exists

VIEW_CHOICES = [
    ("mine", "My tickets"),
    ("unassigned", "Unassigned in my teams"),
    ("teams", "All my teams"),
]
STATUS_CHOICES = [("unresolved", "Unresolved"), *Status.choices, ("any", "Any status")]
SORT_CHOICES = [
    ("-updated_at", "Recently updated"),
    ("updated_at", "Least recently updated"),
    ("-created_at", "Newest"),
    ("created_at", "Oldest"),
    ("-priority_rank", "Highest priority"),
    ("priority_rank", "Lowest priority"),
    ("next_sla_due_at", "Next SLA due"),
]
SLA_CHOICES = [("at_risk", "At risk"), ("breached", "Breached")]


class TicketFilter(django_filters.FilterSet):
    view = django_filters.ChoiceFilter(choices=VIEW_CHOICES, method="filter_view", empty_label=None)
    status = django_filters.ChoiceFilter(
        choices=STATUS_CHOICES, method="filter_status", empty_label=None, widget=Select
    )
    # distinct=False: these match on the ticket row itself, and a DISTINCT over every column
    # (search vector included) cost 1.7 s at a million tickets (bench/README.md).
    # data-chips: a chips box with type-ahead (static/js/app.js); a plain multi-select without JS.
    priority = django_filters.MultipleChoiceFilter(
        choices=Priority.choices, distinct=False, widget=chips(placeholder="Any priority")
    )
    channel = django_filters.MultipleChoiceFilter(
        choices=Channel.choices, distinct=False, widget=chips(placeholder="Any channel")
    )
    # Select: options written without a template include each (csops.widgets).
    team = django_filters.ModelChoiceFilter(queryset=Team.objects.none(), widget=Select)
    assignee = django_filters.ModelChoiceFilter(queryset=User.objects.none(), widget=Select)
    tag = django_filters.ModelChoiceFilter(
        queryset=Tag.objects.all(),
        field_name="tags",
        to_field_name="name",
        distinct=False,  # one tag joins at most one row per ticket
        widget=Select,
    )
    q = django_filters.CharFilter(method="filter_search", label="Search")
    sort = django_filters.ChoiceFilter(
        choices=SORT_CHOICES, method="filter_sort", empty_label=None, widget=Select
    )
    sla = django_filters.ChoiceFilter(
        choices=SLA_CHOICES, method="filter_sla", label="SLA", widget=Select
    )

    class Meta:
        model = Ticket
        fields = [
            "view",
            "status",
            "priority",
            "channel",
            "team",
            "assignee",
            "tag",
            "q",
            "sort",
            "sla",
        ]

    def __init__(self, data=None, *args, request=None, **kwargs):
        data = data.copy() if data is not None else {}
        for name, default in (("view", "teams"), ("status", "unresolved"), ("sort", "-updated_at")):
            if not data.get(name):
                data[name] = default
        super().__init__(data, *args, request=request, **kwargs)
        user = request.user
        self.filters["team"].queryset = permissions.scope_teams(user, Team.objects.all())
        scope = permissions.team_scope(user)
        staff = User.objects.filter(is_active=True, groups__isnull=False).distinct()
        if scope is not None:
            staff = staff.filter(Q(teams__in=scope) | Q(managed_teams__in=scope)).distinct()
        self.filters["assignee"].queryset = by_name(staff)
        label_people(self.form)

    @property
    def qs(self) -> QuerySet:
        # No list shows the search vector: never load it.
        base = permissions.scope_tickets(self.request.user, super().qs).defer("search_vector")
        # Sorting happens last so that every filter narrows first; pk breaks ties stably.
        sort = self.form.cleaned_data.get("sort") or "-updated_at"
        # SLA badges (tickets.selectors_sla: indexed predicates at now).
        now = timezone.now()
        base = base.annotate(sla_breached=breached_exists(now), sla_at_risk=at_risk_exists(now))
        if sort == "next_sla_due_at":
            return base.order_by(F("next_sla_due_at").asc(nulls_last=True), "pk")
        return base.order_by(sort, "-pk" if sort.startswith("-") else "pk")

    def filter_view(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        if value == "mine":
            return qs.filter(assignee=self.request.user)
        if value == "unassigned":
            return qs.filter(assignee__isnull=True)
        return qs

    def filter_status(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        if value == "unresolved":
            return qs.filter(status__in=UNRESOLVED)
        if value == "any":
            return qs
        return qs.filter(status=value)

    def filter_sort(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs  # applied in ``qs``

    def filter_sla(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        now = timezone.now()
        return qs.filter(breached_exists(now) if value == "breached" else at_risk_exists(now))

    def filter_search(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return qs
        if settings.IS_POSTGRES:
            return qs.filter(
                search_vector=SearchQuery(value, config="english", search_type="websearch")
            )
        # Embedded (SQLite) fallback: substring match over subject and messages.
        messages = TicketEvent.objects.filter(ticket=OuterRef("pk"), body__icontains=value)
        return qs.filter(
            Q(subject__icontains=value) | Q(description__icontains=value) | Exists(messages)
        )
