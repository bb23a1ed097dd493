"""Saved views of the queue (issue 15): personal and team views, who may share and change
them, their counts, the sidebar and the API."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from csops.errors import InvalidInput, NotAllowed, NotFound
from tests.factories import make_ticket
from tickets.columns import COLUMNS, KEYS
from tickets.models import SavedView
from tickets.saved_views import selectors, services
from tickets.saved_views.views import view_url

pytestmark = pytest.mark.django_db


def _tickets(team, **by_priority: int) -> None:
    for priority, n in by_priority.items():
        for _ in range(n):
            make_ticket(team, priority=priority)


def test_a_rep_saves_a_personal_view_that_only_they_see(team, rep, rep2):
    view = services.save_view(
        by=rep, name=" Urgent first ", query={"priority": ["urgent", "high"], "page": ["3"]}
    )
    assert (view.name, view.team_id) == ("Urgent first", None)
    assert view.query == {"priority": ["urgent", "high"]}  # the page is not a filter
    assert list(selectors.visible_views(rep)) == [view]
    assert list(selectors.visible_views(rep2)) == []


def test_a_manager_shares_a_view_with_the_team_and_its_members_see_it(
    team, manager, rep, rep_other_team
):
    view = services.save_view(
        by=manager, name="Breached", query={"sla": ["breached"]}, team_id=team.pk
    )
    assert list(selectors.visible_views(rep)) == [view]
    assert list(selectors.visible_views(rep_other_team)) == []


def test_a_rep_cannot_share_and_a_manager_cannot_share_with_another_team(
    team, other_team, rep, manager
):
    with pytest.raises(NotAllowed, match="Only the team's managers or a director"):
        services.save_view(by=rep, name="Mine", query={}, team_id=team.pk)
    with pytest.raises(NotAllowed):
        services.save_view(by=manager, name="Theirs", query={}, team_id=other_team.pk)
    assert SavedView.objects.count() == 0


def test_only_the_teams_managers_change_a_team_view_and_only_the_owner_a_personal_one(
    team, manager, rep, rep2, director
):
    shared = services.save_view(by=manager, name="Team", query={}, team_id=team.pk)
    personal = services.save_view(by=rep, name="Mine", query={})
    with pytest.raises(NotAllowed):
        services.delete_view(shared.pk, by=rep)
    with pytest.raises(NotFound):  # another person's personal view is not even seen
        services.delete_view(personal.pk, by=rep2)
    services.update_view(shared.pk, by=director, name="Team (renamed)")
    services.delete_view(personal.pk, by=rep)
    assert list(SavedView.objects.values_list("name", flat=True)) == ["Team (renamed)"]


def test_bad_filters_and_names_are_refused_with_the_fields(team, rep):
    with pytest.raises(InvalidInput) as bad:
        services.save_view(by=rep, name="Odd", query={"status": ["sleeping"]})
    assert list(bad.value.fields) == ["status"]
    with pytest.raises(InvalidInput, match="Give the view a name"):
        services.save_view(by=rep, name="  ", query={})
    services.save_view(by=rep, name="Twice", query={})
    with pytest.raises(InvalidInput, match="You already have a view named “Twice”"):
        services.save_view(by=rep, name="Twice", query={})
    assert SavedView.objects.count() == 1


def test_counts_use_the_queue_filters_in_each_persons_scope(team, other_team, manager, director):
    _tickets(team, urgent=3, low=2)
    _tickets(other_team, urgent=4)
    view = services.save_view(by=director, name="Urgent", query={"priority": ["urgent"]})
    mine = services.save_view(by=manager, name="Urgent here", query={"priority": ["urgent"]})
    assert selectors.view_counts(director, [view])[view.pk] == selectors.ViewCount(7, False)
    assert selectors.view_counts(manager, [mine])[mine.pk] == selectors.ViewCount(3, False)


def test_count_is_capped_like_the_queues_total(team, director, monkeypatch):
    monkeypatch.setattr(selectors, "COUNT_CAP", 2)
    _tickets(team, normal=3)
    view = services.save_view(by=director, name="All", query={})
    got = selectors.view_counts(director, [view])[view.pk]
    assert (got.count, got.capped, str(got)) == (2, True, "2+")


def test_saving_from_the_queue_keeps_the_live_filters_and_opens_the_view(team, manager_client):
    response = manager_client.post(
        reverse("tickets:saved-view-create"),
        {"save-name": "Urgent", "save-team": team.pk, "priority": "urgent", "view": "teams",
         "query": "priority=low"},
    )  # fmt: skip
    view = SavedView.objects.get()
    assert (view.name, view.team_id) == ("Urgent", team.pk)
    assert view.query == {"view": ["teams"], "priority": ["urgent"]}  # the live form wins
    assert response.status_code == 302
    assert response["Location"] == f"/tickets/?view=teams&priority=urgent&saved={view.pk}"


def test_saving_without_js_uses_the_pages_query(team, rep_client):
    rep_client.post(
        reverse("tickets:saved-view-create"),
        {"save-name": "Low", "query": "priority=low&sort=created_at&page=2"},
    )
    assert SavedView.objects.get().query == {"priority": ["low"], "sort": ["created_at"]}


def test_queue_lists_the_views_and_the_counts_fragment_shows_each_count(team, manager, rep_client):
    _tickets(team, urgent=2, normal=1)
    view = services.save_view(
        by=manager, name="Urgent", query={"priority": ["urgent"], "view": ["teams"]},
        team_id=team.pk,
    )  # fmt: skip
    page = rep_client.get(reverse("tickets:queue")).content.decode()
    assert f'data-saved-view="{view.pk}"' in page
    assert reverse("tickets:saved-view-counts") in page  # counts load after the page
    fragment = rep_client.get(reverse("tickets:saved-view-counts"), {"saved": view.pk})
    html = fragment.content.decode()
    assert f'<span class="count" data-count="{view.pk}">2</span>' in html
    assert 'aria-current="page"' in html


def test_a_refused_share_in_the_page_is_a_422_with_the_reason(team, rep_client):
    response = rep_client.post(
        reverse("tickets:saved-view-create"), {"save-name": "X", "save-team": team.pk}
    )
    assert response.status_code == 422
    assert SavedView.objects.count() == 0


def test_api_lists_creates_updates_and_deletes_views(team, manager, rep_client, manager_client):
    _tickets(team, urgent=1)
    created = manager_client.post(
        "/api/v1/views/",
        {"name": "Urgent", "team": team.pk, "query": {"priority": ["urgent"]}},
        content_type="application/json",
    )
    assert created.status_code == 201
    body = created.json()
    assert body == {
        "id": body["id"], "name": "Urgent", "team": team.pk, "team_name": team.name,
        "owner": manager.pk, "query": {"priority": ["urgent"]}, "columns": KEYS, "count": 1,
        "count_capped": False,
    }  # fmt: skip
    listed = rep_client.get("/api/v1/views/").json()
    assert [(v["name"], v["count"]) for v in listed] == [("Urgent", 1)]
    refused = rep_client.patch(
        f"/api/v1/views/{body['id']}/", {"name": "Mine now"}, content_type="application/json"
    )
    assert refused.status_code == 403
    bad = manager_client.patch(
        f"/api/v1/views/{body['id']}/",
        {"query": {"sort": ["sideways"]}},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert list(bad.json()["fields"]) == ["sort"]
    assert manager_client.delete(f"/api/v1/views/{body['id']}/").status_code == 204
    assert manager_client.get(f"/api/v1/views/{body['id']}/").status_code == 404


# --- columns (issue 15: "personal and team views (filters, columns, sort)") ---------------


def _headers(html: str) -> list[str]:
    table = html[html.index('id="queue-table"') : html.index("</thead>")]
    return re.findall(r"<th[^>]*>(?:<a[^>]*>)?([^<]+)", table)


def test_a_view_keeps_its_columns_in_the_queues_order_and_all_is_stored_as_default(team, rep):
    view = services.save_view(
        by=rep, name="Lean", query={"sort": ["-priority_rank"]}, columns=["updated", "status"]
    )
    assert view.columns == ["status", "updated"]
    every = services.save_view(by=rep, name="All", query={}, columns=list(reversed(KEYS)))
    assert every.columns == []  # all: columns added later show too
    with pytest.raises(InvalidInput) as refused:
        services.save_view(by=rep, name="Odd", query={}, columns=["status", "mood"])
    assert "mood" in refused.value.fields["columns"][0]
    assert services.update_view(view.pk, by=rep, columns=["team"]).columns == ["team"]


def test_the_queue_shows_the_views_columns_and_only_those(team, rep, rep_client):
    make_ticket(team, subject="Printer on fire", priority="urgent")
    view = services.save_view(
        by=rep, name="Lean", query={"view": ["teams"]}, columns=["priority", "status"]
    )
    url = view_url(view)
    assert url == f"/tickets/?view=teams&columns=status&columns=priority&saved={view.pk}"
    html = rep_client.get(url).content.decode()
    assert _headers(html) == ["#", "Subject", "Status", "Priority"]
    assert 'class="badge prio-urgent"' in html
    assert 'data-label="Requester"' not in html
    # the column boxes of the filter form show the choice
    assert '<input type="checkbox" name="columns" value="status" checked>' in html
    assert '<input type="checkbox" name="columns" value="team">' in html
    # an unknown column in a link is left out; none chosen shows every column
    odd = rep_client.get(reverse("tickets:queue"), {"view": "teams", "columns": ["mood", "team"]})
    assert _headers(odd.content.decode()) == ["#", "Subject", "Team"]
    plain = rep_client.get(reverse("tickets:queue"), {"view": "teams"}).content.decode()
    assert _headers(plain)[2:] == [label for _, label in COLUMNS]


def test_saving_from_the_queue_keeps_the_ticked_columns(team, rep_client):
    rep_client.post(
        reverse("tickets:saved-view-create"),
        {"save-name": "Mine lean", "view": "mine", "columns": ["assignee", "requester"]},
    )
    assert SavedView.objects.get().columns == ["requester", "assignee"]


def test_api_carries_columns_and_refuses_an_unknown_one_with_400(team, rep, rep2, rep_client):
    created = rep_client.post(
        "/api/v1/views/",
        {"name": "Lean", "query": {}, "columns": ["updated", "priority"]},
        content_type="application/json",
    )
    assert created.status_code == 201
    body = created.json()
    assert body["columns"] == ["priority", "updated"]
    unknown = rep_client.post(
        "/api/v1/views/",
        {"name": "Odd", "columns": ["priority", "mood"]},
        content_type="application/json",
    )
    assert unknown.status_code == 400
    assert unknown["Content-Type"] == "application/json"
    assert unknown.json()["fields"] == {"columns.1": ['"mood" is not a valid choice.']}
    assert SavedView.objects.filter(name="Odd").count() == 0
    patched = rep_client.patch(
        f"/api/v1/views/{body['id']}/", {"columns": []}, content_type="application/json"
    )
    assert patched.status_code == 200
    assert patched.json()["columns"] == KEYS  # empty: every column
    # another rep can neither see nor change the personal view's columns
    other = APIClient()
    other.force_authenticate(rep2)
    refused = other.patch(f"/api/v1/views/{body['id']}/", {"columns": ["team"]}, format="json")
    assert refused.status_code == 404
    assert SavedView.objects.get(pk=body["id"]).columns == []


def test_a_malformed_stored_column_list_shows_every_column(team, rep, rep_client):
    make_ticket(team)
    view = services.save_view(by=rep, name="Lean", query={"view": ["teams"]})
    SavedView.objects.filter(pk=view.pk).update(columns={"not": "a list"})
    view.refresh_from_db()
    html = rep_client.get(view_url(view)).content.decode()
    assert _headers(html)[2:] == [label for _, label in COLUMNS]
    with pytest.raises(ValidationError):
        view.full_clean()
