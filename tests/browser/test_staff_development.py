"""A manager trains, certifies and reviews a rep; the rep completes and acknowledges."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from staffing.models import QAReview, StaffCertification, TrainingRecord
from tests.browser.conftest import login
from tests.staffing import builders

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_trains_certifies_and_reviews_and_rep_follows_up(
    new_page, manager, rep, rep2, team
):
    course = builders.course("Refund policy training")
    cert = builders.certification("Certified Support Pro")
    card = builders.scorecard(manager)
    ticket = builders.assigned_ticket(team, rep, subject="Refund for order 1042")
    today = timezone.localdate()
    due = today + timedelta(days=14)

    # The manager assigns the course to the whole team from the team page.
    boss = new_page()
    login(boss, manager.username)
    boss.goto("/staff/")
    boss.click(f"text={team.name}")
    boss.select_option("#assign-form select[name=course]", str(course.pk))
    boss.fill("#assign-form input[name=due_date]", due.isoformat())
    boss.click("#assign-form button[type=submit]")
    expect(boss.locator("#flash")).to_contain_text(
        "Refund policy training assigned to Tier 1: 2 new."
    )

    # The rep finds it on their training page and completes it.
    page = new_page()
    login(page, rep.username)
    page.goto("/staff/")
    page.click("#my-page")
    row = page.locator('tr[data-course="Refund policy training"]')
    expect(row).to_have_attribute("data-state", "due")
    row.locator("text=Complete").click()
    page.fill("input[name=completed_on]", today.isoformat())
    page.fill("input[name=score]", "95")
    page.click("#complete-form button[type=submit]")
    expect(page.locator('tr[data-course="Refund policy training"]')).to_have_attribute(
        "data-state", "completed"
    )
    expect(page.locator("#hours-this-year")).to_have_text("2.50")

    # The manager records a certification expiring in 20 days and sees it flagged.
    boss.goto(f"/staff/people/{rep.pk}/")
    boss.click("#record-certification summary")
    boss.select_option("#record-certification select[name=certification]", str(cert.pk))
    boss.fill(
        "#record-certification input[name=issued_on]", (today - timedelta(days=700)).isoformat()
    )
    expires = today + timedelta(days=20)
    boss.fill("#record-certification input[name=expires_on]", expires.isoformat())
    boss.click("#record-certification button[type=submit]")
    expect(boss.locator('#flags [data-flag="due_soon"]')).to_have_text(
        f"Certified Support Pro: expires {expires.isoformat()}"
    )
    boss.goto(f"/staff/teams/{team.pk}/")
    expect(boss.locator('tr[data-person="rita"]')).to_have_attribute("data-status", "due_soon")

    # The manager reviews one of the rep's tickets.
    boss.click("nav[aria-label='Staff development'] >> text=QA reviews")
    boss.fill("#start-review input[name=ticket]", str(ticket.pk))
    boss.select_option("#start-review select[name=scorecard]", str(card.pk))
    boss.click("#start-review button[type=submit]")
    criteria = list(card.current_version.criteria.order_by("order"))
    for criterion, value in zip(criteria, (5, 4, 1), strict=True):
        boss.fill(f"input[name=criterion_{criterion.pk}]", str(value))
    boss.fill(f"input[name=comment_{criteria[1].pk}]", "Quote the order number.")
    boss.click("#score-form button[type=submit]")
    expect(boss.locator("#review-score")).to_have_text("90.00%")
    expect(boss.locator("#review-state")).to_have_text("Awaiting acknowledgment")

    # The rep opens it from their notifications and acknowledges it.
    page.goto("/notifications/")
    page.click("text=QA review of ticket")
    expect(page.locator("td", has_text="Quote the order number.")).to_be_visible()
    page.click("#acknowledge")
    expect(page.locator("#review-state")).to_have_text("Acknowledged")

    record = TrainingRecord.objects.get(user=rep, course=course)
    assert (record.completed_on, str(record.score)) == (today, "95.00")
    assert TrainingRecord.objects.filter(course=course).count() == 2
    assert StaffCertification.objects.get(user=rep).expires_on == expires
    review = QAReview.objects.get()
    assert (review.ticket_id, review.state, str(review.score)) == (
        ticket.pk,
        "acknowledged",
        "90.00",
    )
