"""Bulk work (issue 15): one service call per ticket with the same checks, a summary of what
succeeded and what was refused and why; large selections run as a durable job."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from csops.models import Job
from policies.models import Macro, Tag
from tests.factories import make_ticket
from tickets.bulk import services as bulk
from tickets.bulk.models import BulkAction, BulkResult
from tickets.jobs import run_bulk_action
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


def _refusals(action: BulkAction) -> dict[int, str]:
    return dict(action.results.filter(ok=False).values_list("ticket_id", "error"))


def test_small_selection_runs_at_once_and_reports_refusals(team, other_team, manager, rep):
    mine = [make_ticket(team) for _ in range(3)]
    theirs = make_ticket(other_team)  # not the manager's team
    stale = mine[2]
    versions = {t.pk: 1 for t in mine}
    Ticket.objects.filter(pk=stale.pk).update(version=5)  # changed since the queue was loaded

    action = bulk.start(
        by=manager,
        kind="priority",
        params={"priority": "urgent"},
        ticket_ids=[*(t.pk for t in mine), theirs.pk],
        versions=versions,
    )

    assert (action.state, action.total, action.done, action.succeeded) == ("done", 4, 4, 2)
    assert set(Ticket.objects.filter(priority="urgent").values_list("pk", flat=True)) == {
        mine[0].pk, mine[1].pk,
    }  # fmt: skip
    refused = _refusals(action)
    assert refused[theirs.pk] == f"Ticket #{theirs.pk} does not exist or is not in your teams."
    assert refused[stale.pk].startswith(f"Someone else changed ticket #{stale.pk}")
    assert Ticket.objects.get(pk=theirs.pk).priority == "normal"


@pytest.mark.parametrize(
    ("_case", "kind", "params", "check"),
    [
        ("assign", "assign", {"assignee": "REP"}, lambda t, rep: t.assignee_id == rep.pk),
        ("status", "status", {"status": "pending"}, lambda t, rep: t.status == "pending"),
        ("tags", "add_tags", {"tags": "vip, billing"},
         lambda t, rep: sorted(t.tags.values_list("name", flat=True)) == ["billing", "vip"]),
    ],
)  # fmt: skip
def test_each_action_goes_through_the_ticket_services(
    _case, kind, params, check, team, manager, rep
):
    Tag.objects.create(name="vip")
    Tag.objects.create(name="billing")
    tickets = [make_ticket(team) for _ in range(2)]
    params = {k: (rep.pk if v == "REP" else v) for k, v in params.items()}
    action = bulk.start(by=manager, kind=kind, params=params, ticket_ids=[t.pk for t in tickets])
    assert action.succeeded == 2, _refusals(action)
    for t in tickets:
        assert check(Ticket.objects.get(pk=t.pk), rep)


def test_remove_tags_macro_and_merge(team, manager):
    vip = Tag.objects.create(name="vip")
    a, b, c = make_ticket(team, tags=[vip]), make_ticket(team, tags=[vip]), make_ticket(team)
    bulk.start(by=manager, kind="remove_tags", params={"tags": "vip"}, ticket_ids=[a.pk, b.pk])
    assert not Ticket.objects.filter(tags=vip).exists()

    now = timezone.now()
    macro = Macro.objects.create(
        title="Thanks", body="Thanks {{customer_name}}", set_status="pending",
        created_by=manager, created_at=now, updated_at=now,
    )  # fmt: skip
    action = bulk.start(by=manager, kind="macro", params={"macro": macro.pk}, ticket_ids=[a.pk])
    assert action.succeeded == 1, _refusals(action)
    assert a.events.filter(type="public_reply", body=f"Thanks {a.requester.name}").exists()
    assert Ticket.objects.get(pk=a.pk).status == "pending"

    action = bulk.start(
        by=manager, kind="merge", params={"into": c.pk}, ticket_ids=[a.pk, b.pk, c.pk]
    )
    assert (action.total, action.succeeded) == (2, 2)
    assert set(Ticket.objects.filter(merged_into=c).values_list("pk", flat=True)) == {a.pk, b.pk}


def test_bad_parameters_are_refused_before_any_ticket_is_touched(team, manager):
    t = make_ticket(team)
    with pytest.raises(Exception, match="Choose a priority"):
        bulk.start(by=manager, kind="priority", params={}, ticket_ids=[t.pk])
    with pytest.raises(Exception, match="Unknown tags: nope"):
        bulk.start(by=manager, kind="add_tags", params={"tags": "nope"}, ticket_ids=[t.pk])
    assert not BulkAction.objects.exists()


def test_large_selection_runs_as_a_job_in_batches_and_is_idempotent(team, manager):
    tickets = [make_ticket(team) for _ in range(bulk.INLINE_MAX + 5)]
    action = bulk.start(
        by=manager, kind="priority", params={"priority": "high"}, ticket_ids=[t.pk for t in tickets]
    )
    assert (action.state, action.done) == ("running", 0)
    job = Job.objects.get(key=f"bulk:{action.pk}")
    assert job.payload == {"bulk": action.pk}

    assert bulk.run_batch(action.pk, size=20) is True  # a first batch
    action.refresh_from_db()
    assert (action.done, action.percent) == (20, 66)
    assert run_bulk_action({"bulk": action.pk}) is None  # the rest
    assert run_bulk_action({"bulk": action.pk}) is None  # a duplicate run does nothing twice
    action.refresh_from_db()
    assert (action.state, action.done, action.succeeded) == ("done", 30, 30)
    assert BulkResult.objects.filter(bulk=action).count() == 30
    assert Ticket.objects.filter(priority="high").count() == 30
    assert all(t.events.filter(type="priority_changed").count() == 1 for t in tickets)


def test_queue_form_starts_and_the_page_shows_progress_and_refusals(
    team, other_team, manager, manager_client
):
    mine, theirs = make_ticket(team), make_ticket(other_team)
    queue = manager_client.get(reverse("tickets:queue"), {"view": "teams"}).content.decode()
    assert 'id="select-all"' in queue
    assert f'name="v{mine.pk}" value="1"' in queue

    response = manager_client.post(
        reverse("tickets:bulk-start"),
        {"kind": "priority", "priority": "low", "ticket": [mine.pk, theirs.pk], f"v{mine.pk}": "1"},
    )
    action = BulkAction.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/tickets/bulk/{action.pk}/"
    page = manager_client.get(response["Location"]).content.decode()
    assert (
        "2 of 2 processed (100%): <strong>1 succeeded</strong>, <strong>1 refused</strong>" in page
    )
    assert f'<a href="/tickets/{theirs.pk}/">#{theirs.pk}</a></td><td>Ticket #{theirs.pk}' in page


def test_every_ticket_matching_the_queue_filters_beyond_the_page(
    team, other_team, manager, manager_client
):
    # given: 30 low tickets of the manager's team (two pages), others that do not match
    low = {make_ticket(team, priority="low").pk for _ in range(30)}
    make_ticket(team, priority="urgent")
    make_ticket(other_team, priority="low")  # outside the manager's scope
    queue = manager_client.get(reverse("tickets:queue"), {"view": "teams", "priority": "low"})
    assert 'id="bulk-all-matching"' in queue.content.decode()
    # when
    response = manager_client.post(
        reverse("tickets:bulk-start"),
        {"kind": "priority", "priority": "normal", "all_matching": "1",
         "query": "view=teams&priority=low&page=2"},
    )  # fmt: skip
    # then: one job over exactly the 30 matching tickets
    action = BulkAction.objects.get()
    assert response.status_code == 302
    assert (action.total, set(action.ticket_ids)) == (30, low)


def test_no_ticket_and_no_all_matching_is_a_422(manager_client):
    response = manager_client.post(reverse("tickets:bulk-start"), {"kind": "priority"})
    assert response.status_code == 422
    assert BulkAction.objects.count() == 0


def test_a_bulk_action_is_seen_only_by_its_author(team, manager, rep_client):
    action = bulk.start(
        by=manager, kind="priority", params={"priority": "low"}, ticket_ids=[make_ticket(team).pk]
    )
    assert (
        rep_client.get(reverse("tickets:bulk-detail", kwargs={"pk": action.pk})).status_code == 404
    )


def test_api_bulk(team, manager, manager_client):
    t = make_ticket(team)
    response = manager_client.post(
        "/api/v1/bulk-actions/",
        {"kind": "status", "tickets": [t.pk], "params": {"status": "on_hold"}},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["state"], body["succeeded"], body["refused"], body["refusals"]) == (
        "done", 1, 0, [],
    )  # fmt: skip
    got = manager_client.get(f"/api/v1/bulk-actions/{body['id']}/")
    assert got.json()["id"] == body["id"]
    bad = manager_client.post(
        "/api/v1/bulk-actions/", {"kind": "status", "tickets": [t.pk], "params": {}},
        content_type="application/json",
    )  # fmt: skip
    assert bad.status_code == 422
