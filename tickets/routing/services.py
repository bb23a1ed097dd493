"""Automatic assignment.

Ticket creation calls ``on_create`` inside its own transaction: it applies the required-skill
rules and, for a team that routes, picks a person holding a lock on the team's routing row (so the
round-robin pointer and capacity checks of one team's concurrent tickets run one at a time)
and then locks the chosen person's availability row and recounts their load (so a person in
two routed teams is never pushed over capacity by both at once). Waits for a person lock
happen only while holding no other person lock, so these locks cannot deadlock.

A ticket nobody can take is marked waiting with its reason; the periodic ``route_waiting``
retries waiting tickets, overflows them after the team's minutes, and returns untouched new
tickets of people who went away, went off shift (after the team's grace) or lost a required
skill to the pool.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Case, IntegerField, OuterRef, Subquery, Sum, Value, When
from django.utils import timezone

from csops import permissions
from csops.errors import InvalidInput
from csops.people import display_name
from policies.models import OrganizationSettings
from staffing.models import Availability, AvailabilityStatus, Skill, Team
from staffing.schedules import selectors as schedules
from staffing.skills import selectors as skills
from staffing.skills import services as skill_services
from tickets import events
from tickets.models import Status, Ticket, TicketEvent
from tickets.routing import engine
from tickets.routing.models import (
    MAX_OFF_SHIFT_GRACE_MINUTES,
    MemberCapacity,
    RoutingMode,
    RoutingSettings,
    SkillRule,
    TicketRouting,
)
from tickets.services.actions import action_time, record, save_ticket

_WEIGHT_SQL = Case(
    *[When(priority=p, then=Value(w)) for p, w in engine.PRIORITY_WEIGHT.items()],
    default=Value(1),
    output_field=IntegerField(),
)


# --- required skills -------------------------------------------------------------------------


def rule_skills(ticket: Ticket, language: str) -> set[int]:
    """Skill ids the active rules require of this ticket (every set condition must match).
    One query: the rules' skills with their conditions."""
    organization_id = ticket.requester.organization_id
    rows = SkillRule.skills.through.objects.filter(skillrule__active=True).values_list(
        "skill_id",
        "skillrule__team_id",
        "skillrule__category_id",
        "skillrule__language",
        "skillrule__channel",
        "skillrule__priority",
        "skillrule__organization_id",
    )
    wanted: set[int] = set()
    for skill_id, team_id, category_id, lang, channel, priority, org_id in rows:
        if (
            (team_id and team_id != ticket.team_id)
            or (category_id and category_id != ticket.category_id)
            or (lang and lang.lower() != language.lower())
            or (channel and channel != ticket.channel)
            or (priority and priority != ticket.priority)
            or (org_id and org_id != organization_id)
        ):
            continue
        wanted.add(skill_id)
    return wanted


def set_required_skills(
    ticket_id: int, *, by: User, skills: Iterable[Skill], language: str | None = None
) -> TicketRouting:
    """A rep corrects what a ticket needs (workspace, API). Waiting tickets are retried by
    the next routing run with the new requirement."""
    with transaction.atomic():
        ticket = permissions.access_ticket(by, ticket_id, for_update=True)
        permissions.ensure_can_work_ticket(by, ticket)
        row, _ = TicketRouting.objects.get_or_create(ticket=ticket)
        if language is not None:
            row.language = language.strip()[:20]
            row.save(update_fields=["language"])
        row.required_skills.set(list(skills))
    return row


# --- choosing and assigning ------------------------------------------------------------------


def schedule_zone() -> ZoneInfo:
    """The zone of shift times: the organisation's reporting zone (the planning page's)."""
    name = (
        OrganizationSettings.objects.filter(pk=1)
        .values_list("reporting_time_zone", flat=True)
        .first()
    )
    return ZoneInfo(name or settings.TIME_ZONE)


def loads(user_ids: Iterable[int]) -> dict[int, int]:
    """Open tickets (new, open) per person, weighted by priority: one indexed aggregate."""
    rows = (
        Ticket.objects.filter(assignee_id__in=list(user_ids), status__in=engine.LOAD_STATUSES)
        .values("assignee_id")
        .annotate(w=Sum(_WEIGHT_SQL))
    )
    return {r["assignee_id"]: r["w"] for r in rows}


def candidates(
    team_id: int, capacity: int, at: datetime, skill_ids: Iterable[int] = ()
) -> list[engine.Candidate]:
    # Members with their availability and own capacity, in one query.
    members = list(
        User.objects.filter(teams=team_id, is_active=True)
        .annotate(
            status=Subquery(
                Availability.objects.filter(user_id=OuterRef("pk")).values("status")[:1]
            ),
            own_capacity=Subquery(
                MemberCapacity.objects.filter(team_id=team_id, user_id=OuterRef("pk")).values(
                    "capacity"
                )[:1]
            ),
        )
        .values_list("pk", "first_name", "last_name", "username", "status", "own_capacity")
    )
    ids = [m[0] for m in members]
    shift = schedules.on_shift(ids, at, team_id=team_id, zone=schedule_zone())
    load = loads(ids)
    skill_ids = set(skill_ids)
    held = skills.valid_skill_ids(ids, timezone.localdate(at), skill_ids) if skill_ids else {}
    return [
        engine.Candidate(
            user_id=pk,
            name=f"{first} {last}".strip() or username,
            status=status or AvailabilityStatus.OFFLINE,
            on_shift=pk in shift,
            load=load.get(pk, 0),
            capacity=capacity if own is None else own,
            skills=frozenset(held.get(pk, ())),
        )
        for pk, first, last, username, status, own in members
    ]


@dataclass(frozen=True)
class Outcome:
    assignee_id: int | None
    reason: str


def _required(ticket: Ticket) -> dict[int, str]:
    return dict(
        Skill.objects.filter(
            pk__in=TicketRouting.required_skills.through.objects.filter(
                ticketrouting_id=ticket.pk
            ).values("skill_id")
        ).values_list("pk", "name")
    )


def _lock_person(user_id: int, *, wait: bool) -> bool:
    """Lock the person's availability row if they are still available."""
    qs = Availability.objects.select_for_update(skip_locked=not wait).filter(
        user_id=user_id, status=AvailabilityStatus.AVAILABLE
    )
    return qs.exists()


def choose(
    ticket: Ticket, conf: RoutingSettings, at: datetime, required: dict[int, str] | None = None
) -> Outcome:
    """Pick and lock a person for the ticket (the caller holds the team lock)."""
    required = _required(ticket) if required is None else required
    weight = engine.PRIORITY_WEIGHT.get(ticket.priority, 1)
    pool = candidates(
        ticket.team_id, conf.capacity, at, required if conf.mode == engine.SKILLS else ()
    )
    choice = engine.rank(
        conf.mode, pool, weight=weight, required=required, last_assignee=conf.last_assignee_id
    )
    for i, c in enumerate(choice.ranked):
        if not _lock_person(c.user_id, wait=i == 0):
            continue
        # Under the person's lock: their load as committed by anyone, now.
        if loads([c.user_id]).get(c.user_id, 0) + weight <= c.capacity:
            return Outcome(c.user_id, f"{choice.reason}: {c.name}")
    return Outcome(None, choice.reason or "everyone who could take it is at capacity")


def _assigned_event(ticket: Ticket, at: datetime, outcome: Outcome) -> TicketEvent:
    event = events.assigned(ticket, at, None, outcome.assignee_id, None)
    event.data["reason"] = outcome.reason
    return event


def _locked_settings(team_id: int) -> RoutingSettings | None:
    """The team's routing row, locked: one team's assignments run one at a time (the lock
    is held to the end of the transaction). None for a manual team (nothing locked)."""
    return (
        RoutingSettings.objects.select_for_update()
        .filter(team_id=team_id)
        .exclude(mode=RoutingMode.MANUAL)
        .first()
    )


def _settings(team_id: int) -> RoutingSettings | None:
    conf = RoutingSettings.objects.filter(team_id=team_id).first()
    return conf if conf is not None and conf.mode != RoutingMode.MANUAL else None


def _wait(ticket_id: int, at: datetime, reason: str, *, restart: bool = False) -> None:
    row, created = TicketRouting.objects.get_or_create(
        ticket_id=ticket_id, defaults={"waiting_since": at, "wait_reason": reason[:300]}
    )
    if not created:
        row.wait_reason = reason[:300]
        if row.waiting_since is None or restart:
            row.waiting_since = at
        row.save(update_fields=["wait_reason", "waiting_since"])


def _stop_waiting(ticket_id: int) -> None:
    TicketRouting.objects.filter(ticket_id=ticket_id).update(waiting_since=None, wait_reason="")


def on_create(ticket: Ticket, at: datetime, *, language: str = "") -> list[TicketEvent]:
    """Called by ``create_ticket`` in its transaction, before it records the log: required
    skills from the rules, then, for a routed team and an unassigned ticket, the assignment.
    Returns the ``assigned`` event to append (or nothing)."""
    required_ids = rule_skills(ticket, language)
    if required_ids or language:
        row = TicketRouting.objects.create(ticket=ticket, language=language[:20])
        through = TicketRouting.required_skills.through
        through.objects.bulk_create(
            [through(ticketrouting_id=row.pk, skill_id=s) for s in sorted(required_ids)]
        )
    if ticket.assignee_id is not None:
        return []
    conf = _locked_settings(ticket.team_id)
    if conf is None:
        return []
    required = (
        dict(Skill.objects.filter(pk__in=required_ids).values_list("pk", "name"))
        if required_ids
        else {}
    )
    outcome = choose(ticket, conf, at, required)
    if outcome.assignee_id is None:
        _wait(ticket.pk, at, outcome.reason)
        return []
    Ticket.objects.filter(pk=ticket.pk).update(assignee_id=outcome.assignee_id)
    ticket.assignee_id = outcome.assignee_id
    RoutingSettings.objects.filter(pk=conf.pk).update(last_assignee_id=outcome.assignee_id)
    return [_assigned_event(ticket, at, outcome)]


def _route_existing(ticket: Ticket, conf: RoutingSettings) -> bool:
    """Assign a waiting ticket (row locked by the caller, team lock held)."""
    at = action_time(ticket)
    outcome = choose(ticket, conf, at)
    if outcome.assignee_id is None:
        _wait(ticket.pk, at, outcome.reason)
        return False
    ticket.assignee_id = outcome.assignee_id
    save_ticket(ticket, at, ["assignee"])
    record(ticket, at, [_assigned_event(ticket, at, outcome)])
    conf.last_assignee_id = outcome.assignee_id
    RoutingSettings.objects.filter(pk=conf.pk).update(last_assignee_id=outcome.assignee_id)
    _stop_waiting(ticket.pk)
    return True


# --- the periodic run --------------------------------------------------------------------------

BATCH = 200


def _unresolved_unassigned(team_id: int):
    return Ticket.objects.filter(
        team_id=team_id, assignee__isnull=True, status__in=engine.LOAD_STATUSES
    )


def adopt_unrouted(team_id: int, now: datetime) -> int:
    """Unassigned new/open tickets of a routed team that are not marked waiting (created
    before routing was switched on, moved in, or unassigned by hand) start waiting now."""
    ids = list(
        _unresolved_unassigned(team_id)
        .exclude(routing__waiting_since__isnull=False)
        .order_by("created_at")
        .values_list("pk", flat=True)[:BATCH]
    )
    for pk in ids:
        _wait(pk, now, "not routed yet")
    return len(ids)


def overflow_team(team_id: int, now: datetime) -> int:
    """Move tickets waiting longer than the team's overflow minutes to the overflow team."""
    conf = _settings(team_id)
    if conf is None or conf.overflow_team_id is None or not conf.overflow_after_minutes:
        return 0
    cutoff = now - timedelta(minutes=conf.overflow_after_minutes)
    moved = 0
    ids = list(
        _unresolved_unassigned(team_id)
        .filter(routing__waiting_since__lte=cutoff)
        .values_list("pk", flat=True)[:BATCH]
    )
    for pk in ids:
        with transaction.atomic():
            ticket = (
                Ticket.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, team_id=team_id, assignee__isnull=True)
                .first()
            )
            if ticket is None:
                continue
            at = action_time(ticket)
            event = events.assigned(ticket, at, None, None, conf.overflow_team_id)
            event.data["reason"] = (
                f"overflow: waited over {conf.overflow_after_minutes} min in {conf.team.name}"
            )
            ticket.team_id = conf.overflow_team_id
            save_ticket(ticket, at, ["team"])
            record(ticket, at, [event])
            _wait(ticket.pk, at, "moved here by overflow", restart=True)
            moved += 1
    return moved


def assign_waiting(team_id: int) -> int:
    """Try each waiting ticket of the team, oldest first, under the team lock."""
    assigned = 0
    with transaction.atomic():
        conf = _locked_settings(team_id)
        if conf is None:
            return 0
        tickets = list(
            _unresolved_unassigned(team_id)
            .filter(routing__waiting_since__isnull=False)
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("routing__waiting_since", "pk")[:BATCH]
        )
        for ticket in tickets:
            assigned += _route_existing(ticket, conf)
    return assigned


def return_untouched(
    user_id: int,
    *,
    team_ids: Iterable[int] | None,
    reason: str,
    skill_filter: set[int] | None = None,
) -> int:
    """Put the person's untouched tickets (status new: no agent has replied or acted) of
    routed teams back in the pool, with an ``assigned`` event naming why. Tickets they
    worked on stay with them."""
    qs = Ticket.objects.filter(assignee_id=user_id, status=Status.NEW)
    if team_ids is not None:
        qs = qs.filter(team_id__in=list(team_ids))
    returned = 0
    for pk in qs.values_list("pk", flat=True)[:BATCH]:
        with transaction.atomic():
            ticket = (
                Ticket.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, assignee_id=user_id, status=Status.NEW)
                .first()
            )
            if ticket is None or _settings(ticket.team_id) is None:
                continue
            if skill_filter is not None:
                needs = set(
                    TicketRouting.required_skills.through.objects.filter(
                        ticketrouting_id=ticket.pk
                    ).values_list("skill_id", flat=True)
                )
                if needs <= skill_filter:
                    continue
            at = action_time(ticket)
            event = events.assigned(ticket, at, None, None, None)
            event.data["reason"] = reason
            ticket.assignee_id = None
            save_ticket(ticket, at, ["assignee"])
            record(ticket, at, [event])
            _wait(ticket.pk, at, "back in the pool", restart=True)
            returned += 1
    return returned


def off_shift(user_ids: Iterable[int], team_id: int, now: datetime, grace_minutes: int) -> set[int]:
    """The people off shift for the team now and ``grace_minutes`` ago: their shift ended
    longer ago than the grace (people without shifts in the team are always on shift)."""
    people = set(user_ids)
    zone = schedule_zone()
    on_now = schedules.on_shift(people, now, team_id=team_id, zone=zone)
    off = people - on_now
    if off and grace_minutes:
        before = now - timedelta(minutes=grace_minutes)
        off -= schedules.on_shift(off, before, team_id=team_id, zone=zone)
    return off


def reroute_team(team_id: int, now: datetime) -> int:
    """Members who are not available, off shift past the team's grace, or (skills mode)
    lost a skill give back untouched tickets of this team."""
    conf = _settings(team_id)
    if conf is None:
        return 0
    member_ids = list(User.objects.filter(teams=team_id).values_list("pk", flat=True))
    holding = set(
        Ticket.objects.filter(team_id=team_id, status=Status.NEW, assignee_id__in=member_ids)
        .values_list("assignee_id", flat=True)
        .distinct()
    )
    if not holding:
        return 0
    status = skills.availability_of(holding)
    gone = off_shift(holding, team_id, now, conf.off_shift_grace_minutes)
    returned = 0
    for user_id in sorted(holding):
        if status[user_id] != AvailabilityStatus.AVAILABLE:
            returned += return_untouched(
                user_id, team_ids=[team_id], reason=f"{_name(user_id)} is {status[user_id]}"
            )
        elif user_id in gone:
            returned += return_untouched(
                user_id, team_ids=[team_id], reason=f"{_name(user_id)} is off shift"
            )
        elif conf.mode == engine.SKILLS:
            valid = skills.valid_skill_ids([user_id], timezone.localdate(now), _all_skill_ids())
            returned += return_untouched(
                user_id,
                team_ids=[team_id],
                reason=f"{_name(user_id)} lacks a required skill",
                skill_filter=valid.get(user_id, set()),
            )
    return returned


def _all_skill_ids() -> list[int]:
    return list(Skill.objects.values_list("pk", flat=True))


def _name(user_id: int) -> str:
    return display_name(User.objects.filter(pk=user_id).first())


def routed_team_ids() -> list[int]:
    return list(
        RoutingSettings.objects.exclude(mode=RoutingMode.MANUAL).values_list("team_id", flat=True)
    )


def route_waiting(now: datetime | None = None) -> dict[str, int]:
    """The periodic run: re-route, overflow, adopt, assign. Idempotent; safe to run twice."""
    now = now or timezone.now()
    totals = {"returned": 0, "overflowed": 0, "adopted": 0, "assigned": 0}
    for team_id in routed_team_ids():
        totals["returned"] += reroute_team(team_id, now)
        totals["overflowed"] += overflow_team(team_id, now)
    for team_id in routed_team_ids():
        totals["adopted"] += adopt_unrouted(team_id, now)
        totals["assigned"] += assign_waiting(team_id)
    return totals


# --- people and settings -----------------------------------------------------------------------


def set_availability(user: User, status: str) -> dict:
    """A person sets their status. Going away or offline returns their untouched tickets to
    the pool at once; becoming available takes waiting tickets of their routed teams."""
    skill_services.set_availability(user, status)
    team_ids = set(user.teams.values_list("pk", flat=True)) & set(routed_team_ids())
    returned = assigned = 0
    if status != AvailabilityStatus.AVAILABLE:
        returned = return_untouched(
            user.pk, team_ids=team_ids, reason=f"{display_name(user)} is {status}"
        )
    for team_id in sorted(team_ids):
        assigned += assign_waiting(team_id)
    return {"status": status, "returned": returned, "assigned": assigned}


def update_settings(team: Team, *, by: User, **fields) -> RoutingSettings:
    """Managers of the team (and directors) change its routing."""
    permissions.ensure_can_manage_routing(by, team.pk)
    errors: dict[str, list[str]] = {}
    mode = fields.get("mode")
    if mode is not None and mode not in RoutingMode.values:
        errors["mode"] = ["Unknown mode."]
    if fields.get("capacity") is not None and fields["capacity"] < 1:
        errors["capacity"] = ["At least 1."]
    overflow = fields.get("overflow_team")
    if overflow is not None and overflow.pk == team.pk:
        errors["overflow_team"] = ["A team cannot overflow to itself."]
    minutes = fields.get("overflow_after_minutes")
    if minutes is not None and minutes < 1:
        errors["overflow_after_minutes"] = ["At least 1 minute."]
    grace = fields.get("off_shift_grace_minutes")
    if grace is not None and not 0 <= grace <= MAX_OFF_SHIFT_GRACE_MINUTES:
        errors["off_shift_grace_minutes"] = [f"From 0 to {MAX_OFF_SHIFT_GRACE_MINUTES} minutes."]
    if errors:
        raise InvalidInput("The routing settings are not valid.", fields=errors)
    with transaction.atomic():
        conf, _ = RoutingSettings.objects.select_for_update().get_or_create(team=team)
        for name, value in fields.items():
            setattr(conf, name, value)
        conf.save()
    return conf


def settings_for(team: Team) -> RoutingSettings:
    return RoutingSettings.objects.filter(team=team).first() or RoutingSettings(team=team)
