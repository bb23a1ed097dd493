"""A manager watches a bulk action that runs in the background fill its progress bar."""

from __future__ import annotations

import threading

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.factories import make_ticket
from tickets.bulk.models import BulkAction
from tickets.jobs import run_bulk_action

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_progress_bar_follows_a_background_bulk_action(new_page, manager, team, settings):
    # given: a bulk action over 60 tickets, running as a job (more than INLINE_MAX)
    from tickets.bulk import services as bulk

    ids = [make_ticket(team).pk for _ in range(60)]
    action = bulk.start(by=manager, kind="priority", params={"priority": "high"}, ticket_ids=ids)
    assert action.state == BulkAction.State.RUNNING
    page = new_page()
    login(page, manager.username)
    page.goto(f"/tickets/bulk/{action.pk}/")
    expect(page.locator("#bulk-counts")).to_contain_text("0 of 60 processed (0%)")

    # when: a worker runs the job (here: this thread, batch by batch, as the job runner does)
    def work() -> None:
        bulk.run_batch(action.pk, size=30)
        run_bulk_action({"bulk": action.pk})

    worker = threading.Thread(target=work)
    worker.start()
    worker.join(timeout=60)

    # then: the page, polling every second, shows the end without a reload
    expect(page.locator("#bulk-counts")).to_contain_text(
        "60 of 60 processed (100%): 60 succeeded, 0 refused. Finished."
    )
    expect(page.locator("#bulk-progress")).to_have_attribute("data-state", "done")
