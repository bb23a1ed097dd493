"""The escalation FilterSet, shared by the escalations board and /api/v1/escalations/."""

from __future__ import annotations

import django_filters
from django.contrib.auth.models import User
from django.db.models import QuerySet

from csops.people import BY_NAME, by_name, label_people
from staffing.models import Team
from tickets.models import Escalation, EscalationCategory, EscalationState
from tickets.models.escalations import ACTIVE_STATES

STATE_CHOICES = [("active", "Open or accepted"), *EscalationState.choices]
SORTS = {
    "age": ("created_at", "pk"),
    "-age": ("-created_at", "-pk"),
    "owner": (*(f"owner__{f}" for f in BY_NAME), "created_at"),
    "category": ("category", "created_at"),
}


class EscalationFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        choices=STATE_CHOICES, method="filter_state", empty_label="Any"
    )
    category = django_filters.ChoiceFilter(choices=EscalationCategory.choices, empty_label="Any")
    owner = django_filters.ModelChoiceFilter(
        queryset=by_name(User.objects.filter(owned_escalations__isnull=False).distinct()),
        empty_label="Anyone",
    )
    to_team = django_filters.ModelChoiceFilter(
        queryset=Team.objects.all(), label="Team", empty_label="Any"
    )
    sort = django_filters.ChoiceFilter(
        choices=[
            ("age", "Oldest first"),
            ("-age", "Newest first"),
            ("owner", "Owner"),
            ("category", "Reason"),
        ],
        method="filter_sort",
        empty_label=None,
        label="Sort by",
    )

    class Meta:
        model = Escalation
        fields = ["state", "category", "owner", "to_team", "sort"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        label_people(self.form)

    def filter_state(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        if value == "active":
            return qs.filter(state__in=ACTIVE_STATES)
        return qs.filter(state=value)

    def filter_sort(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.order_by(*SORTS.get(value, SORTS["age"]))
