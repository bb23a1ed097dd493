"""Home shows each person the work that waits for them, with counts and links; an approver
is notified when a version is submitted for their approval."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from csops import waiting
from csops.models import Notification
from policies.services import documents
from tests.factories import make_ticket
from tests.policies.documents_helpers import draft
from tests.staffing import builders
from tickets.services import escalations
from tickets.services import tickets as ticket_services

pytestmark = pytest.mark.django_db


def _by_key(user) -> dict[str, waiting.Waiting]:
    return {item.key: item for item in waiting.for_user(user)}


def test_a_named_approver_is_notified_and_sees_it_waiting(manager, director):
    version = draft(manager, approver=director)
    documents.submit(version.pk, by=manager)
    note = Notification.objects.get(user=director)
    assert "waits for your approval" in note.text
    assert note.url == f"/policies/versions/{version.pk}/"
    item = _by_key(director)["policies.approve"]
    assert (item.count, item.url) == (1, "/policies/documents/?state=in_review")
    assert "policies.approve" not in _by_key(manager)  # the author waits for nobody's work


def test_a_rep_sees_reviews_courses_certifications_and_own_tickets(team, rep, manager):
    today = timezone.localdate()
    builders.record(rep, due_date=today - timedelta(days=1))
    builders.record(rep, builders.course("Security"), due_date=today + timedelta(days=9))
    builders.held(rep, issued_on=date(2020, 1, 1), expires_on=today + timedelta(days=20))
    builders.submitted_review(team, rep, manager)  # QA review awaiting acknowledgment
    items = _by_key(rep)
    assert (items["staffing.courses"].count, items["staffing.courses"].overdue) == (2, 1)
    assert items["staffing.certifications"].count == 1
    assert items["staffing.reviews"].count == 1
    assert items["tickets.mine"].count == 1  # the reviewed ticket the rep claimed


def test_a_manager_sees_escalations_to_accept(team, rep, manager, other_team):
    other_team.tier = 2
    other_team.save()
    other_team.managers.add(manager)
    ticket = make_ticket(team)
    ticket_services.claim(ticket.pk, by=rep)
    escalations.escalate(
        ticket.pk,
        by=rep,
        target="manager",
        category="refund_approval",
        reason="Needs a refund approval",
    )
    assert _by_key(manager)["tickets.escalations"].count == 1
    assert "tickets.escalations" not in _by_key(rep)


def test_home_lists_what_waits_with_links(rep_client, rep, team):
    ticket = make_ticket(team)
    ticket_services.claim(ticket.pk, by=rep)
    page = rep_client.get("/").content.decode()
    assert 'id="waiting-ticketsmine"' in page
    assert "Your unsolved tickets" in page
    assert "/tickets/?view=mine" in page


def test_home_says_when_nothing_waits(director_client):
    page = director_client.get("/").content.decode()
    assert 'id="nothing-waiting"' in page


def test_the_policy_list_shows_each_document_state(manager, director, manager_client):
    version = draft(manager, title="Refund procedure", approver=director)
    documents.submit(version.pk, by=manager)
    page = manager_client.get("/policies/documents/").content.decode()
    assert "<th>State</th>" in page
    assert '<span class="state state-in_review">In review</span>' in page
