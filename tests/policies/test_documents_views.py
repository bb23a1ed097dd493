"""Policy pages: drafting through the forms, search and filters, the diff, audit, home."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from policies.models import PolicyDocument, PolicyVersion
from policies.services import acknowledgments as acks
from policies.services import documents as services
from policies.services import macros as macro_services
from tests.policies.documents_helpers import category, draft, publish, published

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel("2026-03-02 09:00:00+00:00", tick=True):
        yield


def _form(**kw) -> dict:
    data = {
        "title": "Complaints protocol",
        "kind": "protocol",
        "body": "Listen first.",
        "checklist": "Apologise\n\nLog the complaint",
        "change_summary": "First version",
        "effective_date": "2026-03-02",
        "ack_within_days": "5",
    }
    return data | kw


def test_manager_creates_a_policy_through_the_form(manager_client, manager):
    response = manager_client.post(reverse("policies:document-new"), _form())
    version = PolicyVersion.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("policies:version-detail", args=[version.pk])
    assert (version.document.title, version.checklist, version.author_id) == (
        "Complaints protocol", ["Apologise", "Log the complaint"], manager.pk,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("_case", "data", "message"),
    [
        ("empty body", {"body": ""}, "The body is empty: write the policy text."),
        ("past date", {"effective_date": "2026-03-01"},
         "The effective date is in the past: use today or later."),
    ],
)  # fmt: skip
def test_bad_input_shows_errors_next_to_fields(_case, data, message, manager_client):
    response = manager_client.post(reverse("policies:document-new"), _form(**data))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert PolicyDocument.objects.count() == 0


def test_rep_reads_published_versions_only(rep_client, manager, director):
    v1 = published(manager, director)
    v2 = services.start_draft(v1.document_id, by=manager)
    assert rep_client.get(reverse("policies:version-detail", args=[v1.pk])).status_code == 200
    assert rep_client.get(reverse("policies:version-detail", args=[v2.pk])).status_code == 404
    only_draft = draft(manager, title="Secret draft")
    assert (
        rep_client.get(
            reverse("policies:document-detail", args=[only_draft.document_id])
        ).status_code
        == 404
    )
    listing = rep_client.get(reverse("policies:document-list")).content.decode()
    assert "Refund procedure" in listing
    assert "Secret draft" not in listing


def test_published_body_is_sanitized_on_the_page(rep_client, manager, director):
    version = published(
        manager, director, body="Hello <script>alert(1)</script>**bold** [x](javascript:alert(1))"
    )
    html = rep_client.get(reverse("policies:version-detail", args=[version.pk])).content.decode()
    assert "<script>alert(1)" not in html
    assert "javascript:" not in html
    assert "<strong>bold</strong>" in html


def test_editing_a_published_version_is_refused(manager_client, manager, director):
    version = published(manager, director)
    response = manager_client.post(
        reverse("policies:version-edit", args=[version.pk]), _form(body="New")
    )
    assert response.status_code == 422
    assert (
        "Version 1 is published and cannot be edited; start a new draft instead."
        in response.content.decode()
    )
    assert PolicyVersion.objects.get(pk=version.pk).body == "# Refunds\n\nCheck the order first."
    assert (
        manager_client.get(reverse("policies:version-edit", args=[version.pk])).status_code == 422
    )


def test_transitions_through_the_pages(manager_client, director_client, manager):
    version = draft(manager)
    assert (
        manager_client.post(reverse("policies:version-submit", args=[version.pk])).status_code
        == 302
    )
    response = director_client.post(
        reverse("policies:version-send-back", args=[version.pk]), {"comment": ""}
    )
    assert response.status_code == 422
    assert "Say what to change." in response.content.decode()
    director_client.post(reverse("policies:version-approve", args=[version.pk]), {"comment": "OK"})
    director_client.post(reverse("policies:version-publish", args=[version.pk]))
    assert PolicyVersion.objects.get(pk=version.pk).state == "published"


@pytest.mark.parametrize(
    ("_case", "query", "titles"),
    [
        ("title word", {"q": "complaints"}, ["Complaints protocol"]),
        ("body word", {"q": "refund window"}, ["Refund procedure"]),
        ("kind", {"kind": "protocol"}, ["Complaints protocol"]),
        ("state", {"state": "draft"}, ["Complaints protocol"]),
        ("category", {"category": "CAT"}, ["Refund procedure"]),
    ],
)
def test_search_and_filters(_case, query, titles, manager_client, manager, director):
    refunds = category("Refunds")
    published(manager, director, categories=[refunds], body="Mind the refund window.")
    draft(manager, title="Complaints protocol", kind="protocol", body="Listen first.")
    if query.get("category") == "CAT":
        query = {"category": refunds.pk}
    response = manager_client.get(reverse("policies:document-list"), query)
    assert [d.title for d in response.context["documents"]] == titles


def test_diff_between_two_versions_highlights_changes_escaped(rep_client, manager, director):
    v1 = published(manager, director, body="Line one\n<b>old</b>")
    v2 = services.start_draft(v1.document_id, by=manager)
    services.update_draft(
        v2.pk, by=manager, body="Line one\nnew line", checklist=["Verify the order"],
        change_summary="Clearer", effective_date=v1.effective_date, ack_required=False,
        ack_roles=[], ack_teams=[], ack_within_days=7,
    )  # fmt: skip
    publish(v2, author=manager, approver=director)
    response = rep_client.get(
        reverse("policies:document-diff", args=[v1.document_id]), {"a": 1, "b": 2}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "&lt;b&gt;old&lt;/b&gt;" in html
    assert "<b>old</b>" not in html
    assert 'class="diff_sub"' in html or 'class="diff_chg"' in html
    # Added: the summary and "new line"; removed: the summary, "<b>old</b>" and one step.
    assert response.context["added_removed"] == (2, 3)


def test_audit_history_for_directors_only(director_client, manager_client, manager, director):
    version = published(manager, director)
    response = director_client.get(reverse("policies:policy-audit"))
    entries = response.context["entries"]
    assert response.status_code == 200
    assert {(e.model, e.change) for e in entries} >= {
        ("Policy document", "created"),
        ("Policy version", "changed"),
        ("Version transition", "created"),
    }
    publish_change = [e for e in entries if e.model == "Policy version" and "state" in e.fields]
    assert {e.user.username for e in publish_change} == {"maria", "diane"}
    assert manager_client.get(reverse("policies:policy-audit")).status_code == 403
    assert version.history.count() == 4  # created, submitted, approved, published


def test_home_lists_policies_to_acknowledge_and_links_the_queue(
    rep_client, rep, manager, director, team
):
    version = published(manager, director, ack_required=True, ack_teams=[team])
    html = rep_client.get(reverse("home")).content.decode()
    assert "Policies to acknowledge" in html
    assert reverse("policies:version-detail", args=[version.pk]) in html
    assert reverse("tickets:queue") in html
    rep_client.post(reverse("policies:version-acknowledge", args=[version.pk]), {"next": "/"})
    assert "Nothing to acknowledge" in rep_client.get(reverse("home")).content.decode()
    assert acks.acknowledge(version.pk, by=rep).acknowledged_at is not None


def test_coverage_page_and_remind(manager_client, manager, director, team, rep):
    version = published(manager, director, ack_required=True, ack_teams=[team])
    response = manager_client.get(reverse("policies:version-coverage", args=[version.pk]))
    [row] = response.context["rows"]
    assert (row.team.slug, row.acknowledged, row.pending, row.overdue) == ("tier-1", 0, 2, 0)
    response = manager_client.post(
        reverse("policies:version-remind", args=[version.pk]), {"team": team.pk}
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    "model", ["policydocument", "policyversion", "versiontransition", "acknowledgment", "macro"]
)
def test_admin_lists_and_history_pages(model, client_for, admin_user, manager, director):
    version = published(manager, director, ack_required=True, ack_roles=["Manager"])
    macro_pk = macro_services.create_macro(by=manager, title="Hi", body="Hi").pk
    pk = {
        "policydocument": version.document_id,
        "policyversion": version.pk,
        "versiontransition": version.transitions.first().pk,
        "acknowledgment": version.acknowledgments.first().pk,
        "macro": macro_pk,
    }[model]
    client = client_for(admin_user)
    assert client.get(reverse(f"admin:policies_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:policies_{model}_change", args=[pk])).status_code == 200
    assert client.get(reverse(f"admin:policies_{model}_history", args=[pk])).status_code == 200
