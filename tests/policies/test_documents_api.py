"""The policy API mirrors the pages: same services, same rules, JSON errors."""

from __future__ import annotations

import pytest
import time_machine

from policies.models import Acknowledgment, Macro, PolicyVersion
from tests.policies.documents_helpers import category, published

pytestmark = pytest.mark.django_db
J = "application/json"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel("2026-03-02 09:00:00+00:00", tick=True):
        yield


def _create(client, **kw):
    category("Refunds")
    body = {
        "title": "Refund procedure",
        "kind": "procedure",
        "categories": ["refunds"],
        "body": "Check the order.",
        "checklist": ["Verify the order"],
        "effective_date": "2026-03-02",
        "ack_required": True,
        "ack_roles": ["Rep"],
        "ack_within_days": 3,
    } | kw
    return client.post("/api/v1/policies/", body, content_type=J)


def test_api_journey_draft_submit_approve_publish_acknowledge(
    manager_client, director_client, rep_client, rep
):
    created = _create(manager_client)
    assert created.status_code == 201
    v = created.json()
    assert (v["number"], v["state"], v["checklist"]) == (1, "draft", ["Verify the order"])
    base = f"/api/v1/policies/{v['document']}/versions/{v['id']}"
    assert manager_client.post(f"{base}/submit/", {}, content_type=J).json()["state"] == "in_review"
    assert (
        director_client.post(f"{base}/approve/", {"comment": "ok"}, content_type=J).json()["state"]
        == "approved"
    )
    published_v = director_client.post(f"{base}/publish/", {}, content_type=J).json()
    assert published_v["state"] == "published"
    assert [t["to_state"] for t in published_v["transitions"]] == [
        "draft",
        "in_review",
        "approved",
        "published",
    ]

    ack = rep_client.post(f"{base}/acknowledge/", {}, content_type=J)
    assert ack.status_code == 200
    assert (ack.json()["user"], ack.json()["version"]) == ("rita", v["id"])
    mine = rep_client.get("/api/v1/acknowledgments/").json()
    assert [(a["user"], a["acknowledged_at"] is not None) for a in mine["results"]] == [
        ("rita", True)
    ]


def test_api_bad_input_gets_clear_errors(manager_client):
    response = _create(manager_client, body="", effective_date="2026-03-01")
    assert response.status_code == 422
    assert response.json() == {
        "error": "invalid",
        "detail": "The version has errors.",
        "fields": {
            "body": ["The body is empty: write the policy text."],
            "effective_date": ["The effective date is in the past: use today or later."],
        },
    }
    assert _create(manager_client, kind="memo").status_code == 400


def test_api_patch_of_a_published_version_is_refused(manager_client, manager, director):
    version = published(manager, director)
    url = f"/api/v1/policies/{version.document_id}/versions/{version.pk}/"
    response = manager_client.patch(
        url, {"body": "Changed", "effective_date": "2026-03-02"}, content_type=J
    )
    assert response.status_code == 422
    assert response.json()["detail"] == (
        "Version 1 is published and cannot be edited; start a new draft instead."
    )
    assert PolicyVersion.objects.get(pk=version.pk).body == "# Refunds\n\nCheck the order first."
    new = manager_client.post(f"/api/v1/policies/{version.document_id}/versions/", content_type=J)
    assert (new.status_code, new.json()["number"], new.json()["state"]) == (201, 2, "draft")


def test_api_approving_own_draft_is_refused(director_client):
    v = _create(director_client).json()
    base = f"/api/v1/policies/{v['document']}/versions/{v['id']}"
    director_client.post(f"{base}/submit/", {}, content_type=J)
    response = director_client.post(f"{base}/approve/", {}, content_type=J)
    assert response.status_code == 422
    assert response.json()["detail"] == "You wrote this version: someone else must approve it."


def test_api_reps_list_published_only_and_cannot_write(rep_client, manager, director):
    published(manager, director)
    from tests.policies.documents_helpers import draft

    draft(manager, title="Draft only")
    titles = [d["title"] for d in rep_client.get("/api/v1/policies/").json()["results"]]
    assert titles == ["Refund procedure"]
    assert _create(rep_client).status_code == 403
    assert (
        rep_client.post("/api/v1/macros/", {"title": "A", "body": "B"}, content_type=J).status_code
        == 403
    )
    assert Macro.objects.count() == 0


def test_api_search_filters(manager_client, manager, director):
    published(manager, director, body="Mind the refund window.")
    assert [
        d["title"] for d in manager_client.get("/api/v1/policies/?q=window").json()["results"]
    ] == ["Refund procedure"]
    assert manager_client.get("/api/v1/policies/?q=nothing-like-this").json()["count"] == 0


def test_api_macros_managed_by_managers(manager_client, rep_client):
    response = manager_client.post(
        "/api/v1/macros/", {"title": "Hi", "body": "Hi {{customer_name}}", "set_status": "pending"},
        content_type=J,
    )  # fmt: skip
    assert response.status_code == 201
    pk = response.json()["id"]
    assert rep_client.get(f"/api/v1/macros/{pk}/").json()["body"] == "Hi {{customer_name}}"
    bad = manager_client.patch(
        f"/api/v1/macros/{pk}/", {"title": "Hi", "body": "{{x}}"}, content_type=J
    )
    assert (bad.status_code, bad.json()["fields"]) == (422, {"body": ["Unknown placeholders: x."]})


def test_api_acknowledgments_scoped(
    rep_client, client_for, rep_other_team, manager, director, team
):
    version = published(manager, director, ack_required=True, ack_teams=[team])
    mine = rep_client.get("/api/v1/acknowledgments/").json()["results"]
    assert [a["user"] for a in mine] == ["rita"]
    assert client_for(rep_other_team).get("/api/v1/acknowledgments/").json()["count"] == 0
    assert client_for(manager).get("/api/v1/acknowledgments/").json()["count"] == 2
    assert Acknowledgment.objects.filter(version=version).count() == 2
