"""Policy and first-ticket onboarding steps tick themselves from the other apps' records."""

from __future__ import annotations

from datetime import date

import pytest

from policies.services import acknowledgments as acks
from staffing.selectors import plan_progress
from staffing.services.onboarding import create_plan
from tests.factories import make_ticket
from tests.policies.documents_helpers import published
from tests.staffing.builders import template
from tickets import services

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 24)


def _plan(rep, manager, steps):
    return create_plan(user=rep, template=template(steps=steps), start_date=TODAY, by=manager)


def test_policy_step_is_done_once_the_hire_acknowledges(rep, manager, director, time_machine):
    time_machine.move_to("2026-11-24 10:00:00+00:00", tick=False)
    version = published(manager, director, ack_required=True, ack_roles=["Rep"])
    plan = _plan(rep, manager, [{"kind": "policy", "title": "Read", "policy": version.document}])
    assert plan_progress(plan, TODAY).done == 0
    acks.acknowledge(version.pk, by=rep)
    progress = plan_progress(plan, TODAY)
    assert (progress.done, progress.steps[0].done_on) == (1, TODAY)


def test_first_ticket_step_is_done_when_the_hire_solves_one(rep, manager, team, time_machine):
    time_machine.move_to("2026-11-24 10:00:00+00:00", tick=False)
    plan = _plan(rep, manager, [{"kind": "first_ticket", "title": "First solve"}])
    ticket = make_ticket(team)
    services.reply(ticket.pk, by=rep, body="Sorted", expected_version=1)
    assert plan_progress(plan, TODAY).done == 0
    services.update_ticket(ticket.pk, by=rep, expected_version=2, status="solved")
    progress = plan_progress(plan, TODAY)
    assert (progress.done, progress.steps[0].done_on) == (1, TODAY)
