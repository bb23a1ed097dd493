"""Browser journeys of issue 15: a certification lapse takes a rep out of skill routing; a
manager bulk-updates 50 tickets (every one matching the queue's filters) and watches the
progress; keyboard shortcuts move through the queue and into the reply box."""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from csops.jobs.runner import run_due
from csops.roles import Role
from staffing.models import Certification
from staffing.skills import services as skill_services
from tests.browser.conftest import login
from tests.factories import UserFactory, make_ticket
from tests.tickets import routing_helpers as h
from tickets.bulk.models import BulkAction
from tickets.models import Ticket
from tickets.routing import services as routing

CURRENT = re.compile(r"\bkbd-current\b")
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _page(new_page):
    """A page with room for a loaded machine (the shared CI box runs at load 10 and more)."""
    page = new_page()
    page.set_default_timeout(30_000)
    return page


def test_certification_lapse_sends_the_reps_tickets_to_a_qualified_colleague(
    new_page, team, manager
):
    # given: Greta's data-protection certification ends tomorrow, Ben's is valid for a year;
    # both hold "Privacy requests" (which needs it); web tickets need the skill; Ben is away
    today = timezone.localdate()
    greta = UserFactory(username="greta", first_name="Greta", last_name="Lind", role=Role.REP)
    ben = UserFactory(username="ben", first_name="Ben", last_name="Okafor", role=Role.REP)
    team.members.add(greta, ben)
    h.available(greta)
    h.available(ben, status="away")
    gdpr = Certification.objects.create(name="Data protection", validity_months=12)
    h.certify(greta, gdpr, today - timedelta(days=364), today + timedelta(days=1))
    h.certify(ben, gdpr, today, today + timedelta(days=365))
    privacy = h.skill("Privacy requests", kind="category", cert=gdpr)
    h.holds(greta, privacy)
    h.holds(ben, privacy)
    h.rule("Privacy", privacy, channel="web")
    h.routed(team, "skills")
    first = make_ticket(team, channel="web", subject="Delete my account data")
    assert first.assignee_id == greta.pk
    page = _page(new_page)
    login(page, "greta")
    expect(page.locator("#queue-table")).to_contain_text("Delete my account data")

    # when: two days later the certification has expired; Ben is back; the daily lapse check
    # and the routing run (beat) happen, and another privacy ticket arrives
    with time_machine.travel(timezone.now() + timedelta(days=2), tick=True):
        routing.set_availability(ben, "available")
        assert skill_services.notify_lapsed_skills() == 2  # Greta and her manager
        routing.route_waiting()
        second = make_ticket(team, channel="web", subject="Export my data")

        # then: both tickets are Ben's; Greta's queue no longer has hers and she is told why
        assert Ticket.objects.get(pk=first.pk).assignee_id == ben.pk
        assert second.assignee_id == ben.pk
        page.goto("/tickets/")
        expect(page.locator("#results")).not_to_contain_text("Delete my account data")
        page.goto("/notifications/")
        expect(page.locator("body")).to_contain_text(
            "Greta Lind no longer has the skill Privacy requests"
        )
        # and the manager's routing page shows the lapse beside her name
        boss = _page(new_page)
        login(boss, manager.username)
        boss.goto("/tickets/routing/")
        row = boss.locator(f"tr[data-person='{greta.pk}']")
        expect(row).to_contain_text("Privacy requests (lapsed)")
        expect(boss.locator(f"tr[data-person='{ben.pk}']")).to_contain_text("2/8")


def test_manager_bulk_updates_50_matching_tickets_and_watches_the_progress(new_page, team, manager):
    # given: 50 low-priority tickets in the manager's team (two pages of the queue)
    ids = {make_ticket(team, priority="low").pk for _ in range(50)}
    page = _page(new_page)
    login(page, manager.username)
    page.goto("/tickets/?view=teams&priority=low")
    expect(page.locator("#results")).to_contain_text("Showing 1–25 of 50 tickets")

    # when: every matching ticket, priority to high
    page.check("#bulk-all-matching")
    page.select_option("#bulk-kind", "priority")
    page.select_option("#bulk-priority", "high")
    page.click("#bulk-submit")
    page.wait_for_url("**/tickets/bulk/*/")
    expect(page.locator("#bulk-counts")).to_contain_text("of 50 processed")
    action = BulkAction.objects.get()
    assert set(action.ticket_ids) == ids

    # and a worker runs the job (here a thread, as the worker's beat would)
    worker = threading.Thread(target=lambda: run_due(budget_seconds=120))
    worker.start()

    # then: the page fills its bar without a reload and ends with the summary
    expect(page.locator("#bulk-counts")).to_contain_text(
        "50 of 50 processed (100%): 50 succeeded, 0 refused. Finished.", timeout=90_000
    )
    worker.join(timeout=120)
    assert Ticket.objects.filter(pk__in=ids, priority="high").count() == 50


def test_keyboard_moves_through_the_queue_and_into_the_reply(new_page, team, rep):
    # given: three of the rep's tickets, newest first in the queue
    subjects = ["Printer on fire", "VPN drops", "Refund please"]
    tickets = [make_ticket(team, subject=s) for s in subjects]
    for t in tickets:
        Ticket.objects.filter(pk=t.pk).update(assignee=rep)
    order = [t.pk for t in reversed(tickets)]  # recently updated first
    page = _page(new_page)
    login(page, rep.username)
    rows = page.locator("#queue-table tbody tr")
    expect(rows).to_have_count(3)

    # when / then: j, j, k mark rows; Enter opens the marked one
    page.keyboard.press("j")
    expect(rows.nth(0)).to_have_class(CURRENT)
    page.keyboard.press("j")
    expect(rows.nth(1)).to_have_class(CURRENT)
    page.keyboard.press("k")
    expect(rows.nth(0)).to_have_class(CURRENT)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/tickets/{order[0]}/")
    # j goes to the queue's next ticket, k back
    page.keyboard.press("j")
    page.wait_for_url(f"**/tickets/{order[1]}/")
    page.keyboard.press("k")
    page.wait_for_url(f"**/tickets/{order[0]}/")
    # r focuses the reply box; typed keys go into it, not to the shortcuts
    page.keyboard.press("r")
    reply = page.locator("#reply-form textarea[name=body]")
    expect(reply).to_be_focused()
    page.keyboard.type("jk")
    expect(reply).to_have_value("jk")
    expect(page).to_have_url(re.compile(rf"/tickets/{order[0]}/$"))
    # Escape leaves the box; ? opens the list of shortcuts
    page.keyboard.press("Escape")
    expect(reply).not_to_be_focused()
    page.keyboard.press("?")
    expect(page.locator("#shortcuts-help")).to_be_visible()
