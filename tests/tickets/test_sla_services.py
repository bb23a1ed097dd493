"""Ticket SLA against PostgreSQL: versions chosen at creation, policy order, instances stored
after every action, breach records (KPI_SPEC §5, §9.4, §9.5, §9.19, §9.20)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from csops.errors import InvalidInput
from policies.services import calendars as calendar_services
from policies.services import sla as sla_services
from policies.services.sla import PolicySpec
from tests.factories import CustomerFactory, OrganizationFactory, make_ticket
from tests.policies.sla_builders import make_calendar, make_policy, targets
from tickets import services
from tickets.models import Ticket, TicketSlaBreach, TicketSlaInstance

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def rows(ticket: Ticket) -> dict[tuple[str, int], tuple]:
    """(metric, index) -> (ended_at, due_at, at_risk_at, breached_at, outcome, state)."""
    return {
        (r.metric, r.index): (r.ended_at, r.due_at, r.at_risk_at, r.breached_at, r.outcome, r.state)
        for r in TicketSlaInstance.objects.filter(ticket=ticket)
    }


# --- version selection at creation ----------------------------------------------------------


def test_ticket_keeps_the_versions_in_force_at_its_creation(director, team):
    # given a calendar and a policy, both version 1, saved at T0
    with time_machine.travel(T0, tick=False):
        cal_v1 = make_calendar(director)
        pol_v1 = make_policy(director, calendar=cal_v1.calendar)
    with time_machine.travel(at(60), tick=False):
        first = make_ticket(team)
    # when, at T0+2h, the calendar changes now and the policy changes from T0+3h
    with time_machine.travel(at(120), tick=False):
        cal_v2 = calendar_services.revise_calendar(
            cal_v1.calendar_id, by=director, time_zone="Europe/Berlin", weekly={0: [(480, 960)]}
        )
        pol_v2 = sla_services.revise_policy(
            pol_v1.policy_id,
            by=director,
            spec=PolicySpec(
                targets=targets({"normal": {"first_reply": 30}}),
                calendar=cal_v1.calendar,
                effective_from=at(180),
            ),
        )
    with time_machine.travel(at(150), tick=False):
        between = make_ticket(team)
    with time_machine.travel(at(180), tick=False):
        after = make_ticket(team)
    # then each ticket uses the versions in force at its creation, for good
    first.refresh_from_db()
    assert (first.sla_policy_version, first.calendar_version) == (pol_v1, cal_v1)
    assert (between.sla_policy_version, between.calendar_version) == (pol_v1, cal_v2)
    assert (after.sla_policy_version, after.calendar_version) == (pol_v2, cal_v2)
    assert (pol_v2.number, cal_v2.number) == (2, 2)
    # and the first ticket's clock still runs on version 1's 60-minute target
    assert rows(first)[("first_reply", 1)][1] == at(120)
    assert rows(after)[("first_reply", 1)][1] == at(210)


def test_a_version_cannot_take_effect_in_the_past(director):
    with time_machine.travel(T0, tick=False):
        version = make_policy(director)
        with pytest.raises(InvalidInput) as exc:
            sla_services.revise_policy(
                version.policy_id,
                by=director,
                spec=PolicySpec(
                    targets=targets({"normal": {"first_reply": 5}}), effective_from=at(-1)
                ),
            )
    assert exc.value.fields == {
        "effective_from": ["Choose a time from now on, or leave it empty for now."]
    }
    assert version.policy.versions.count() == 1


def test_org_default_calendar_applies_when_the_policy_names_none(director, team):
    with time_machine.travel(T0, tick=False):
        default = make_calendar(director, "Head office", time_zone="America/New_York")
        calendar_services.update_organization_settings(
            by=director, default_calendar=default.calendar, reporting_time_zone="America/New_York"
        )
        make_policy(director, business=True)
        ticket = make_ticket(team)
    assert ticket.calendar_version == default
    # 09:00Z Monday is 04:00 in New York: the 60 business minutes end at 10:00 local = 15:00Z
    assert rows(ticket)[("first_reply", 1)][1] == datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


# --- policy order -------------------------------------------------------------------------


def test_first_matching_active_policy_by_position_applies(director, team, other_team):
    org = OrganizationFactory(name="Acme")
    with time_machine.travel(T0, tick=False):
        inactive = make_policy(director, "Switched off", position=1, active=False)
        other = make_policy(director, "Billing only", position=2, teams=[other_team.pk])
        urgent = make_policy(director, "Urgent", position=10, priorities=["urgent"])
        acme = make_policy(director, "Acme", position=20, organizations=[org.pk])
        phone = make_policy(director, "Phone", position=30, channels=["phone"])
        fallback = make_policy(director, "Everyone else", position=40)
        acme_customer = CustomerFactory(organization=org)
        cases = {
            "urgent acme": make_ticket(team, requester=acme_customer, priority="urgent"),
            "normal acme": make_ticket(team, requester=acme_customer),
            "phone": make_ticket(team, channel="phone"),
            "other team": make_ticket(other_team),
            "plain": make_ticket(team),
        }
    chosen = {name: t.sla_policy_version for name, t in cases.items()}
    assert chosen == {
        "urgent acme": urgent,
        "normal acme": acme,
        "phone": phone,
        "other team": other,
        "plain": fallback,
    }
    assert inactive not in chosen.values()


def test_no_matching_policy_means_no_clocks(director, team):
    with time_machine.travel(T0, tick=False):
        make_policy(director, priorities=["urgent"])
        ticket = make_ticket(team)
    assert ticket.sla_policy_version is None
    assert rows(ticket) == {}
    assert ticket.next_sla_due_at is None


# --- instances after each action ------------------------------------------------------------


def test_instances_follow_reply_pause_reopen_priority_change_and_solve(director, rep, team):
    # given calendar-hour targets for normal and high priority
    with time_machine.travel(T0, tick=False):
        make_policy(
            director,
            spec={
                "normal": {"first_reply": 60, "next_reply": 30, "requester_wait": 240},
                "high": {"first_reply": 15, "next_reply": 10, "requester_wait": 120},
            },
        )
        ticket = make_ticket(team)
    # then creation starts first reply and requester wait
    assert rows(ticket) == {
        ("first_reply", 1): (None, at(60), at(45), None, "in_progress", "active"),
        ("requester_wait", 1): (None, at(240), at(180), None, "in_progress", "active"),
    }
    assert ticket.next_sla_due_at == at(60)

    # when the rep replies at +10
    with time_machine.travel(at(10), tick=False):
        services.reply(ticket.pk, by=rep, body="Looking into it.")
    ticket.refresh_from_db()
    assert rows(ticket)[("first_reply", 1)] == (at(10), None, None, None, "achieved", "fulfilled")
    assert ticket.next_sla_due_at == at(240)

    # when the customer answers at +20: next reply starts
    with time_machine.travel(at(20), tick=False):
        services.customer_reply(ticket.pk, customer=ticket.requester, body="Still broken.")
    assert rows(ticket)[("next_reply", 1)] == (
        None,
        at(50),
        at(42.5),
        None,
        "in_progress",
        "active",
    )

    # when the rep replies and sets pending at +30: requester wait pauses (no due while paused)
    with time_machine.travel(at(30), tick=False):
        services.reply(ticket.pk, by=rep, body="Please try again.", new_status="pending")
    ticket.refresh_from_db()
    current = rows(ticket)
    assert current[("next_reply", 1)] == (at(30), None, None, None, "achieved", "fulfilled")
    assert current[("requester_wait", 1)] == (None, None, None, None, "in_progress", "paused")
    assert ticket.next_sla_due_at is None

    # when the customer's answer at +60 reopens it: next reply 2 starts, the wait resumes
    with time_machine.travel(at(60), tick=False):
        services.customer_reply(ticket.pk, customer=ticket.requester, body="Tried, no luck.")
    ticket.refresh_from_db()
    current = rows(ticket)
    assert current[("next_reply", 2)] == (None, at(90), at(82.5), None, "in_progress", "active")
    assert current[("requester_wait", 1)] == (None, at(270), at(210), None, "in_progress", "active")
    assert ticket.next_sla_due_at == at(90)

    # when the priority goes high at +70: next reply 2 has 10 elapsed >= 10, due at the change
    with time_machine.travel(at(70), tick=False):
        services.update_ticket(ticket.pk, by=rep, expected_version=None, priority="high")
    ticket.refresh_from_db()
    current = rows(ticket)
    assert current[("next_reply", 2)][:2] == (None, at(70))
    assert current[("requester_wait", 1)][:2] == (None, at(150))
    assert ticket.next_sla_due_at == at(70)

    # when the rep solves it with a reply at +80: next reply 2 ends breached and is recorded
    with time_machine.travel(at(80), tick=False):
        services.reply(ticket.pk, by=rep, body="Fixed.", new_status="solved")
    ticket.refresh_from_db()
    current = rows(ticket)
    assert current[("next_reply", 2)] == (at(80), at(70), None, at(70), "breached", "fulfilled")
    assert current[("requester_wait", 1)] == (at(80), None, None, None, "achieved", "fulfilled")
    assert list(TicketSlaBreach.objects.values_list("metric", "index", "breached_at")) == [
        ("next_reply", 2, at(70))
    ]
    assert ticket.next_sla_due_at is None

    # when the customer writes again at +100: the ticket reopens and the wait resumes
    with time_machine.travel(at(100), tick=False):
        services.customer_reply(ticket.pk, customer=ticket.requester, body="It is back.")
    current = rows(ticket)
    assert current[("requester_wait", 1)] == (None, at(170), at(140), None, "in_progress", "active")
    assert current[("next_reply", 3)][:2] == (None, at(110))


def test_business_hours_clock_starts_at_the_next_business_instant(director, team):
    # given Berlin 09:00-17:00 on weekdays and a 60 business-minute first reply
    with time_machine.travel(datetime(2026, 3, 7, 22, 0, tzinfo=UTC), tick=False):  # Saturday
        calendar = make_calendar(director)
        make_policy(director, calendar=calendar.calendar, business=True)
        ticket = make_ticket(team)
    # then it is due Monday 10:00 Berlin (09:00Z), at risk from 09:45 Berlin
    instance = TicketSlaInstance.objects.get(ticket=ticket, metric="first_reply")
    assert (instance.due_at, instance.at_risk_at) == (
        datetime(2026, 3, 9, 9, 0, tzinfo=UTC),
        datetime(2026, 3, 9, 8, 45, tzinfo=UTC),
    )
    assert instance.calendar_version == calendar
    assert instance.trail == [
        {"at": "2026-03-07T22:00:00+00:00", "action": "start", "reason": "created"}
    ]
