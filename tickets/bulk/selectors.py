"""The choices of the queue's bulk form, scoped to the person."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User

from csops import permissions
from csops.people import display_name
from policies.models import Macro, Tag
from staffing.models import Team
from tickets.bulk.models import BulkKind
from tickets.forms import _staff_for
from tickets.models import Priority, Status


@dataclass(frozen=True)
class BulkChoices:
    kinds: list[tuple[str, str]]
    people: list[tuple[int, str]]
    statuses: list[tuple[str, str]]
    priorities: list[tuple[str, str]]
    teams: list[tuple[int, str]]
    macros: list[tuple[int, str]]
    tags: list[str]


def bulk_choices(user: User) -> BulkChoices:
    scope = permissions.team_scope(user)
    teams = Team.objects.order_by("tier", "name")
    if scope is not None:
        teams = teams.filter(pk__in=scope)
    return BulkChoices(
        kinds=list(BulkKind.choices),
        people=[(u.pk, display_name(u)) for u in _staff_for(user)],
        statuses=[c for c in Status.choices if c[0] != Status.NEW],
        priorities=list(Priority.choices),
        teams=list(teams.values_list("pk", "name")),
        macros=list(Macro.objects.filter(active=True).order_by("title").values_list("pk", "title")),
        tags=list(Tag.objects.order_by("name").values_list("name", flat=True)[:500]),
    )
