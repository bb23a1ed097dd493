"""The choices of the queue's bulk form, scoped to the person."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

from django.contrib.auth.models import User
from django.http import QueryDict

from csops import permissions
from csops.errors import InvalidInput
from csops.people import display_name
from policies.models import Macro, Tag
from staffing.models import Team
from tickets.bulk.models import BulkKind
from tickets.filters import TicketFilter
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


def matching_ticket_ids(user: User, query: QueryDict, limit: int) -> list[int]:
    """The ids of the tickets the queue shows ``user`` for ``query`` (every page, in the
    queue's order), at most ``limit``: "select all matching" in the bulk form."""
    filterset = TicketFilter(query, request=SimpleNamespace(user=user))
    if not filterset.is_valid():
        raise InvalidInput("The queue's filters are not valid.")
    return list(filterset.qs.values_list("pk", flat=True)[:limit])
