"""The routing page: per team, who is available, each person's load against capacity and
skills, and the tickets waiting with the reason each waits."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.utils import timezone

from csops import permissions
from staffing.models import Team
from staffing.schedules import selectors as schedules
from staffing.skills import selectors as skills
from tickets.models import Ticket
from tickets.routing import engine
from tickets.routing.models import MemberCapacity, RoutingSettings
from tickets.routing.services import loads, schedule_zone

WAITING_SHOWN = 50


@dataclass
class PersonRow:
    user: User
    status: str
    load: int
    capacity: int
    on_shift: bool = True
    skills: list[skills.HeldSkill] = field(default_factory=list)

    @property
    def full(self) -> bool:
        return self.load >= self.capacity

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.load / self.capacity)) if self.capacity else 100


@dataclass
class TeamBoard:
    team: Team
    settings: RoutingSettings
    people: list[PersonRow]
    waiting: list[Ticket]
    waiting_count: int

    @property
    def available_count(self) -> int:
        return sum(1 for p in self.people if p.status == "available" and p.on_shift)


def routing_teams(user: User):
    scope = permissions.managed_team_scope(user)
    teams = Team.objects.order_by("tier", "name")
    return teams if scope is None else teams.filter(pk__in=scope)


def team_board(team: Team) -> TeamBoard:
    conf = RoutingSettings.objects.filter(team=team).select_related("overflow_team").first()
    conf = conf or RoutingSettings(team=team)
    members = list(team.members.filter(is_active=True).order_by("first_name", "last_name"))
    ids = [m.pk for m in members]
    status = skills.availability_of(ids)
    load = loads(ids)
    caps = dict(
        MemberCapacity.objects.filter(team=team, user_id__in=ids).values_list("user_id", "capacity")
    )
    held = skills.held_skills(ids, timezone.localdate())
    shift = schedules.on_shift(ids, timezone.now(), team_id=team.pk, zone=schedule_zone())
    people = [
        PersonRow(
            user=m,
            status=status[m.pk],
            load=load.get(m.pk, 0),
            capacity=caps.get(m.pk, conf.capacity),
            on_shift=m.pk in shift,
            skills=held.get(m.pk, []),
        )
        for m in members
    ]
    waiting_qs = Ticket.objects.filter(
        team=team,
        assignee__isnull=True,
        status__in=engine.LOAD_STATUSES,
        routing__waiting_since__isnull=False,
    )
    waiting = list(
        waiting_qs.select_related("routing")
        .prefetch_related("routing__required_skills")
        .order_by("routing__waiting_since", "pk")[:WAITING_SHOWN]
    )
    return TeamBoard(team, conf, people, waiting, waiting_qs.count())
