"""One FilterSet for the queue page and the API ticket list (the same rules, written once)."""

from __future__ import annotations

import django_filters
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.postgres.search import SearchQuery
from django.db.models import Exists, OuterRef, Q, QuerySet

from csops import permissions
from policies.models import Tag
from policies.ticket_log import UNRESOLVED
from staffing.models import Team
from tickets.models import Channel, Priority, Status, Ticket, TicketEvent

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
]


class TicketFilter(django_filters.FilterSet):
    view = django_filters.ChoiceFilter(choices=VIEW_CHOICES, method="filter_view", empty_label=None)
    status = django_filters.ChoiceFilter(
        choices=STATUS_CHOICES, method="filter_status", empty_label=None
    )
    priority = django_filters.MultipleChoiceFilter(choices=Priority.choices)
    channel = django_filters.MultipleChoiceFilter(choices=Channel.choices)
    team = django_filters.ModelChoiceFilter(queryset=Team.objects.none())
    assignee = django_filters.ModelChoiceFilter(queryset=User.objects.none())
    tag = django_filters.ModelChoiceFilter(
        queryset=Tag.objects.all(), field_name="tags", to_field_name="name"
    )
    q = django_filters.CharFilter(method="filter_search", label="Search")
    sort = django_filters.ChoiceFilter(choices=SORT_CHOICES, method="filter_sort", empty_label=None)

    class Meta:
        model = Ticket
        fields = ["view", "status", "priority", "channel", "team", "assignee", "tag", "q", "sort"]

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
        self.filters["assignee"].queryset = staff.order_by("username")

    @property
    def qs(self) -> QuerySet:
        base = permissions.scope_tickets(self.request.user, super().qs)
        # Sorting happens last so that every filter narrows first; pk breaks ties stably.
        sort = self.form.cleaned_data.get("sort") or "-updated_at"
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
