"""Self-approval is a control on managers: only a director or admin may switch it on or off,
or rename the approver of a document where it is on (issue 13, section 3)."""

from __future__ import annotations

import pytest
import time_machine

from csops.errors import InvalidTransition, NotAllowed
from policies.models import PolicyDocument, PolicyVersion
from policies.services import documents as services
from tests.policies.documents_helpers import category, draft

pytestmark = pytest.mark.django_db
J = "application/json"
REFUSED = "Only a director or admin may let authors approve their own drafts."


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel("2026-03-02 09:00:00+00:00", tick=True):
        yield


def _create(client, **kw):
    category("Refunds")
    body = {
        "title": "Refund procedure",
        "kind": "procedure",
        "body": "Check the order.",
        "effective_date": "2026-03-02",
    } | kw
    return client.post("/api/v1/policies/", body, content_type=J)


def _edit(document, by, **kw):
    fields = {
        "title": document.title,
        "kind": document.kind,
        "owner": document.owner,
        "approver": document.approver,
        "categories": [],
        "tags": [],
    } | kw
    return services.update_document(document.pk, by=by, **fields)


# --- Service ------------------------------------------------------------------------------


def test_manager_cannot_create_a_document_allowing_self_approval(manager):
    with pytest.raises(NotAllowed, match=REFUSED) as exc:
        draft(manager, approver=manager, allow_self_approval=True)
    assert exc.value.fields == {"allow_self_approval": ["Ask a director or admin to change this."]}
    assert PolicyDocument.objects.count() == 0


def test_manager_named_approver_cannot_approve_own_draft(manager):
    version = draft(manager, approver=manager)
    services.submit(version.pk, by=manager)
    with pytest.raises(InvalidTransition, match="You wrote this version"):
        services.approve(version.pk, by=manager)
    assert PolicyVersion.objects.get(pk=version.pk).state == "in_review"


def test_manager_cannot_switch_self_approval_on_by_edit(manager):
    version = draft(manager, approver=manager)
    with pytest.raises(NotAllowed, match=REFUSED):
        _edit(version.document, manager, allow_self_approval=True)
    assert PolicyDocument.objects.get(pk=version.document_id).allow_self_approval is False


def test_manager_cannot_switch_self_approval_off_either(manager, director):
    document = draft(director, allow_self_approval=True).document
    with pytest.raises(NotAllowed, match=REFUSED):
        _edit(document, manager, allow_self_approval=False)
    assert PolicyDocument.objects.get(pk=document.pk).allow_self_approval is True


def test_manager_cannot_name_themselves_approver_where_self_approval_is_on(manager, director):
    document = draft(director, allow_self_approval=True, approver=director).document
    with pytest.raises(NotAllowed, match="only a director or admin may change its approver"):
        _edit(document, manager, approver=manager)
    assert PolicyDocument.objects.get(pk=document.pk).approver == director
    # An edit that leaves both alone is fine and keeps the setting.
    edited = _edit(document, manager, title="Refunds v2")
    assert (edited.title, edited.allow_self_approval, edited.approver) == (
        "Refunds v2",
        True,
        director,
    )


def test_director_and_admin_may_set_self_approval(director, admin_user, manager):
    document = draft(manager).document
    assert _edit(document, director, allow_self_approval=True).allow_self_approval is True
    assert _edit(document, admin_user, allow_self_approval=False).allow_self_approval is False


# --- API ----------------------------------------------------------------------------------


def test_api_manager_post_with_self_approval_is_403_and_submit_approve_refused(
    manager_client, manager
):
    response = _create(manager_client, approver=manager.username, allow_self_approval=True)
    assert response.status_code == 403
    assert response.json() == {
        "error": "not_allowed",
        "detail": REFUSED,
        "fields": {"allow_self_approval": ["Ask a director or admin to change this."]},
    }
    assert PolicyDocument.objects.count() == 0

    v = _create(manager_client, approver=manager.username).json()
    base = f"/api/v1/policies/{v['document']}/versions/{v['id']}"
    assert manager_client.post(f"{base}/submit/", {}, content_type=J).status_code == 200
    approve = manager_client.post(f"{base}/approve/", {}, content_type=J)
    assert approve.status_code == 422
    assert approve.json()["detail"] == "You wrote this version: someone else must approve it."
    assert PolicyVersion.objects.get(pk=v["id"]).state == "in_review"


def test_api_manager_patch_with_self_approval_is_403(manager_client, manager):
    v = _create(manager_client, approver=manager.username).json()
    url = f"/api/v1/policies/{v['document']}/"
    body = {"title": "Refunds", "kind": "procedure", "owner": manager.username,
            "approver": manager.username, "allow_self_approval": True}  # fmt: skip
    response = manager_client.patch(url, body, content_type=J)
    assert (response.status_code, response.json()["detail"]) == (403, REFUSED)
    assert PolicyDocument.objects.get(pk=v["document"]).allow_self_approval is False


def test_api_manager_patch_without_the_field_keeps_the_directors_setting(
    manager_client, manager, director
):
    document = draft(director, allow_self_approval=True, approver=director).document
    url = f"/api/v1/policies/{document.pk}/"
    body = {"title": "Refunds", "kind": "procedure", "owner": manager.username,
            "approver": director.username}  # fmt: skip
    response = manager_client.patch(url, body, content_type=J)
    assert response.status_code == 200
    assert response.json()["allow_self_approval"] is True
    body["approver"] = manager.username
    response = manager_client.patch(url, body, content_type=J)
    assert response.status_code == 403
    assert PolicyDocument.objects.get(pk=document.pk).approver == director


def test_api_director_may_allow_self_approval(director_client, director):
    v = _create(director_client, allow_self_approval=True).json()
    base = f"/api/v1/policies/{v['document']}/versions/{v['id']}"
    director_client.post(f"{base}/submit/", {}, content_type=J)
    assert director_client.post(f"{base}/approve/", {}, content_type=J).json()["state"] == (
        "approved"
    )


# --- Page ---------------------------------------------------------------------------------


def test_page_ignores_a_posted_self_approval_from_a_manager(manager_client, manager):
    response = manager_client.post(
        "/policies/documents/new/",
        {"title": "Tone", "kind": "policy", "body": "Be kind.", "effective_date": "2026-03-02",
         "approver": manager.pk, "allow_self_approval": "on", "ack_within_days": 7},
    )  # fmt: skip
    assert response.status_code == 302
    document = PolicyDocument.objects.get(title="Tone")
    assert (document.allow_self_approval, document.approver) == (False, manager)
    page = manager_client.get(f"/policies/documents/{document.pk}/edit/").content.decode()
    assert '<input type="checkbox" name="allow_self_approval" disabled' in page
