"""Automatic assignment (issue 15): modes, capacity, skills, certification lapse, overflow,
re-routing, and the ``assigned`` events it writes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from csops.models import Notification
from policies.models import OrganizationSettings
from staffing.models import Certification
from staffing.schedules.models import Block, Shift
from staffing.services import certifications
from staffing.skills import services as skill_services
from tests.factories import make_ticket
from tests.tickets import routing_helpers as h
from tickets import services
from tickets.models import Ticket, TicketEvent
from tickets.routing import services as routing
from tickets.routing.models import TicketRouting

pytestmark = pytest.mark.django_db


def _reason(ticket) -> str:
    event = TicketEvent.objects.filter(ticket=ticket, type="assigned").order_by("-pk").first()
    return event.data.get("reason", "") if event else ""


def _waiting(ticket) -> str:
    return TicketRouting.objects.get(ticket=ticket).wait_reason


def test_manual_team_leaves_new_tickets_unassigned(team):
    h.reps(team, 2)
    ticket = make_ticket(team)
    assert ticket.assignee_id is None
    assert not TicketEvent.objects.filter(ticket=ticket, type="assigned").exists()


def test_round_robin_takes_available_members_in_turn(team):
    a, b, c = h.reps(team, 3)
    h.available(b, status="away")
    h.routed(team, "round_robin")
    got = [make_ticket(team).assignee_id for _ in range(4)]
    assert got == [a.pk, c.pk, a.pk, c.pk]


def test_automatic_assignment_is_an_assigned_event_with_reason_by_the_system(team):
    (a,) = h.reps(team, 1)
    h.routed(team, "least_loaded")
    ticket = make_ticket(team)
    event = TicketEvent.objects.get(ticket=ticket, type="assigned")
    assert event.actor_id is None
    assert event.actor_role == "system"
    assert event.data == {"assignee": a.pk, "reason": f"least loaded (0/8): {a.get_full_name()}"}
    assert ticket.status == "new"
    assert Ticket.objects.get(pk=ticket.pk).assignee_id == a.pk


def test_least_loaded_weighs_priority_and_respects_capacity(team):
    a, b = h.reps(team, 2)
    h.routed(team, "least_loaded", capacity=3)
    first = make_ticket(team, priority="urgent")  # weight 3: a is full
    second = make_ticket(team)
    third = make_ticket(team, priority="high")
    fourth = make_ticket(team)
    assert [first.assignee_id, second.assignee_id, third.assignee_id] == [a.pk, b.pk, b.pk]
    assert fourth.assignee_id is None
    assert _waiting(fourth) == "everyone who could take it is at capacity"


def test_skills_mode_gives_german_tickets_only_to_german_speakers(team):
    a, b = h.reps(team, 2)
    german = h.skill("German")
    h.holds(b, german)
    h.rule("German speakers", german, language="de")
    h.routed(team, "skills")
    ticket = make_ticket(team, language="de")
    plain = make_ticket(team)
    assert ticket.assignee_id == b.pk
    assert _reason(ticket) == f"holds German; least loaded (0/8): {b.get_full_name()}"
    assert plain.assignee_id == a.pk  # b has one already
    assert set(TicketRouting.objects.get(ticket=ticket).required_skills.all()) == {german}


def test_ticket_nobody_can_take_waits_with_the_missing_skill(team):
    h.reps(team, 2)
    h.rule("French", h.skill("French"), language="fr")
    h.routed(team, "skills")
    ticket = make_ticket(team, language="fr")
    assert ticket.assignee_id is None
    assert _waiting(ticket) == "no one with skill French is available on shift"


def test_nobody_available_waits_and_is_assigned_when_someone_becomes_available(team):
    (a,) = h.reps(team, 1, status="offline")
    h.routed(team, "round_robin")
    ticket = make_ticket(team)
    assert _waiting(ticket) == "no one in the team is available"
    outcome = routing.set_availability(a, "available")
    assert outcome == {"status": "available", "returned": 0, "assigned": 1}
    assert Ticket.objects.get(pk=ticket.pk).assignee_id == a.pk
    assert TicketRouting.objects.get(ticket=ticket).waiting_since is None


def test_certification_lapse_stops_tickets_and_renewal_restores(team, manager):
    (greta,) = h.reps(team, 1, prefix="greta")
    gdpr = Certification.objects.create(name="Data protection", validity_months=12)
    h.certify(greta, gdpr, date(2026, 1, 10), date(2027, 1, 10))
    skill = h.skill("Privacy requests", kind="category", cert=gdpr)
    h.holds(greta, skill)
    h.rule("Privacy", skill, channel="web")
    h.routed(team, "skills")

    with time_machine.travel("2027-01-09 12:00Z", tick=False):
        before = make_ticket(team, channel="web")
        assert skill_services.notify_lapsed_skills() == 0
    assert before.assignee_id == greta.pk

    with time_machine.travel("2027-01-10 12:00Z", tick=False):
        after = make_ticket(team, channel="web")
        assert after.assignee_id is None
        assert _waiting(after) == "no one with skill Privacy requests is available on shift"
        # The daily check tells Greta and her manager, once.
        assert skill_services.notify_lapsed_skills() == 2
        assert skill_services.notify_lapsed_skills() == 0
        # Her untouched ticket needing the skill goes back to the pool.
        routing.route_waiting()
    notes = Notification.objects.filter(key__startswith="skill-lapse:")
    assert {n.user_id for n in notes} == {greta.pk, manager.pk}
    assert "no longer has the skill Privacy requests" in notes.first().text
    assert Ticket.objects.get(pk=before.pk).assignee_id is None
    assert _reason(before) == f"{greta.get_full_name()} lacks a required skill"

    with time_machine.travel("2027-01-11 12:00Z", tick=False):
        renewal = certifications.record_certification(
            user=greta, certification=gdpr, issued_on=date(2027, 1, 11), by=manager
        )
        assert renewal.state(date(2027, 1, 11)) == "valid"
        totals = routing.route_waiting()
    assert totals["assigned"] == 2
    assert Ticket.objects.get(pk=after.pk).assignee_id == greta.pk


def test_overflow_moves_a_waiting_ticket_to_the_named_team_after_the_minutes(team, other_team):
    h.reps(team, 1, status="away")
    (otto,) = h.reps(other_team, 1, prefix="otto")
    h.routed(team, "least_loaded", overflow_team=other_team, overflow_after_minutes=10)
    h.routed(other_team, "least_loaded")
    with time_machine.travel("2026-06-01 09:00Z", tick=False):
        ticket = make_ticket(team)
    with time_machine.travel("2026-06-01 09:09Z", tick=False):
        assert routing.route_waiting()["overflowed"] == 0
    with time_machine.travel("2026-06-01 09:11Z", tick=False):
        totals = routing.route_waiting()
    assert totals["overflowed"] == 1
    assert totals["assigned"] == 1
    ticket.refresh_from_db()
    assert (ticket.team_id, ticket.assignee_id) == (other_team.pk, otto.pk)
    moves = list(TicketEvent.objects.filter(ticket=ticket, type="assigned").order_by("pk"))
    assert moves[0].data == {
        "assignee": None,
        "team": other_team.pk,
        "reason": "overflow: waited over 10 min in Tier 1",
    }
    assert moves[1].data["assignee"] == otto.pk


def test_going_offline_returns_untouched_tickets_but_keeps_replied_ones(team):
    a, b = h.reps(team, 2)
    h.routed(team, "round_robin")
    h.available(b, status="away")
    untouched = make_ticket(team)
    replied = make_ticket(team)
    assert untouched.assignee_id == replied.assignee_id == a.pk
    services.reply(replied.pk, by=a, body="Looking into it.")
    h.available(b)

    outcome = routing.set_availability(a, "offline")

    assert outcome == {"status": "offline", "returned": 1, "assigned": 1}
    assert Ticket.objects.get(pk=untouched.pk).assignee_id == b.pk
    assert Ticket.objects.get(pk=replied.pk).assignee_id == a.pk
    reasons = [
        e.data["reason"]
        for e in TicketEvent.objects.filter(ticket=untouched, type="assigned").order_by("pk")
    ]
    assert reasons[1:] == [
        f"{a.get_full_name()} is offline",
        f"round-robin: {b.get_full_name()}",
    ]


def test_waiting_tickets_created_before_routing_are_adopted(team):
    (a,) = h.reps(team, 1)
    old = make_ticket(team)
    h.routed(team, "least_loaded")
    totals = routing.route_waiting(timezone.now())
    assert totals["adopted"] == 1
    assert totals["assigned"] == 1
    assert Ticket.objects.get(pk=old.pk).assignee_id == a.pk


def test_kpis_attribute_an_automatically_assigned_ticket_to_its_assignee(team):
    from kpis.models.ticket_metrics import TicketMetricsRow as TicketMetrics
    from kpis.refresh import refresh_tickets

    (a,) = h.reps(team, 1)
    h.routed(team, "least_loaded")
    ticket = make_ticket(team)
    services.reply(ticket.pk, by=a, body="Done.", new_status="solved")
    refresh_tickets([ticket.pk])
    m = TicketMetrics.objects.get(ticket_id=ticket.pk)
    assert m.assignee_stations == 1
    assert (m.current_agent_id, m.resolved_agent_id) == (a.pk, a.pk)


def test_capacity_override_per_member(team):
    from tickets.routing.models import MemberCapacity

    a, b = h.reps(team, 2)
    h.routed(team, "least_loaded", capacity=5)
    MemberCapacity.objects.create(team=team, user=a, capacity=0)
    got = {make_ticket(team).assignee_id for _ in range(3)}
    assert got == {b.pk}


def _shift(user, team, weekday: int, start: str, end: str) -> None:
    Shift.objects.create(
        user=user, team=team, weekday=weekday, start=time.fromisoformat(start),
        end=time.fromisoformat(end),
    )  # fmt: skip


@time_machine.travel(datetime(2026, 12, 7, 10, 0, tzinfo=UTC), tick=False)  # Monday 10:00 UTC
def test_routing_gives_tickets_only_to_people_on_shift_per_the_schedule(team, other_team):
    # given: a off shift (works afternoons), b on shift, c on time off, d on shift for
    # another team only (unscheduled in this one: on shift)
    a, b, c, d = h.reps(team, 4)
    _shift(a, team, 0, "14:00", "22:00")
    _shift(b, team, 0, "08:00", "16:00")
    _shift(c, team, 0, "08:00", "16:00")
    _shift(d, other_team, 0, "14:00", "22:00")
    Block.objects.create(
        user=c, kind="time_off", starts_at=timezone.now() - timedelta(hours=1),
        ends_at=timezone.now() + timedelta(hours=8),
    )  # fmt: skip
    h.routed(team, "round_robin")
    # when / then: only b and d take tickets
    assert {make_ticket(team).assignee_id for _ in range(4)} == {b.pk, d.pk}


@time_machine.travel(datetime(2026, 12, 7, 6, 0, tzinfo=UTC), tick=False)  # Monday 06:00 UTC
def test_nobody_on_shift_waits_and_the_board_says_so(team, manager_client):
    (a,) = h.reps(team, 1)
    _shift(a, team, 0, "08:00", "16:00")
    h.routed(team, "least_loaded")
    ticket = make_ticket(team)
    assert ticket.assignee_id is None
    assert _waiting(ticket) == "no one available is on shift"
    html = manager_client.get(reverse("tickets:routing-board")).content.decode()
    assert "off shift" in html
    assert "0 of 1 available" in html


@time_machine.travel(datetime(2026, 12, 7, 8, 30, tzinfo=UTC), tick=False)  # 09:30 in Berlin
def test_shift_times_follow_the_organisation_reporting_zone(team):
    (a,) = h.reps(team, 1)
    _shift(a, team, 0, "09:00", "17:00")
    h.routed(team, "least_loaded")
    assert make_ticket(team).assignee_id is None  # 08:30 UTC: before 09:00
    OrganizationSettings.objects.update_or_create(
        pk=1, defaults={"reporting_time_zone": "Europe/Berlin"}
    )
    assert make_ticket(team).assignee_id == a.pk


# --- going off shift (issue 15: re-routing when a person goes offline) ---------------------


def _worked_shift_then(team, *, grace: int):
    """a works Monday 08:00-16:00 and gets two tickets at 10:00 (b is away then), replies to
    one; b, unscheduled (always on shift), becomes available."""
    a, b = h.reps(team, 2)
    _shift(a, team, 0, "08:00", "16:00")
    h.routed(team, "round_robin", off_shift_grace_minutes=grace)
    h.available(b, status="away")
    untouched, replied = make_ticket(team), make_ticket(team)
    assert untouched.assignee_id == replied.assignee_id == a.pk
    services.reply(replied.pk, by=a, body="Looking into it.")
    h.available(b)
    return a, b, untouched, replied


def test_going_off_shift_returns_untouched_tickets_after_the_grace(team):
    with time_machine.travel(datetime(2026, 12, 7, 10, 0, tzinfo=UTC), tick=False) as clock:
        a, b, untouched, replied = _worked_shift_then(team, grace=15)
        # 16:10: the shift ended 10 minutes ago, within the grace: nothing moves
        clock.move_to(datetime(2026, 12, 7, 16, 10, tzinfo=UTC))
        assert routing.route_waiting(timezone.now())["returned"] == 0
        assert Ticket.objects.get(pk=untouched.pk).assignee_id == a.pk
        # 16:20: past the grace: the untouched ticket goes to b, the replied one stays
        clock.move_to(datetime(2026, 12, 7, 16, 20, tzinfo=UTC))
        totals = routing.route_waiting(timezone.now())
    assert (totals["returned"], totals["assigned"]) == (1, 1)
    assert Ticket.objects.get(pk=untouched.pk).assignee_id == b.pk
    assert Ticket.objects.get(pk=replied.pk).assignee_id == a.pk
    reasons = [
        e.data["reason"]
        for e in TicketEvent.objects.filter(ticket=untouched, type="assigned").order_by("pk")
    ]
    assert reasons[1:] == [f"{a.get_full_name()} is off shift", f"round-robin: {b.get_full_name()}"]
    # a second run changes nothing
    with time_machine.travel(datetime(2026, 12, 7, 16, 25, tzinfo=UTC), tick=False):
        assert routing.route_waiting(timezone.now())["returned"] == 0


def test_no_grace_returns_them_as_the_shift_ends_and_unscheduled_people_keep_theirs(team):
    with time_machine.travel(datetime(2026, 12, 7, 10, 0, tzinfo=UTC), tick=False) as clock:
        a, b, untouched, _ = _worked_shift_then(team, grace=0)
        b_ticket = make_ticket(team)
        assert b_ticket.assignee_id == b.pk
        clock.move_to(datetime(2026, 12, 7, 16, 1, tzinfo=UTC))
        assert routing.route_waiting(timezone.now())["returned"] == 1
    assert Ticket.objects.get(pk=untouched.pk).assignee_id == b.pk
    assert Ticket.objects.get(pk=b_ticket.pk).assignee_id == b.pk  # b has no shifts: on shift


def test_off_shift_tickets_wait_when_nobody_is_on_shift(team):
    with time_machine.travel(datetime(2026, 12, 7, 10, 0, tzinfo=UTC), tick=False) as clock:
        a, b, untouched, _ = _worked_shift_then(team, grace=15)
        _shift(b, team, 0, "08:00", "16:00")
        clock.move_to(datetime(2026, 12, 7, 17, 0, tzinfo=UTC))
        totals = routing.route_waiting(timezone.now())
    assert (totals["returned"], totals["assigned"]) == (1, 0)
    assert Ticket.objects.get(pk=untouched.pk).assignee_id is None
    assert _waiting(untouched) == "no one available is on shift"
