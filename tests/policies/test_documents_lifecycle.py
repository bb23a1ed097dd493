"""The review → approve → publish → retire lifecycle, its roles and its bad input."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine

from csops.errors import Conflict, InvalidInput, InvalidTransition, NotAllowed
from policies.models import PolicyVersion, VersionTransition
from policies.services import documents as services
from tests.factories import UserFactory
from tests.policies.documents_helpers import draft, publish, published

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel("2026-03-02 09:00:00+00:00", tick=False):
        yield


def test_manager_drafts_director_approves_and_publishes_with_every_transition_recorded(
    manager, director
):
    version = draft(manager, body="Refunds **within** 30 days.<script>alert(1)</script>")
    assert (version.number, version.state) == (1, "draft")
    assert version.body_html == "<p>Refunds <strong>within</strong> 30 days.</p>"

    services.submit(version.pk, by=manager, comment="Ready")
    services.approve(version.pk, by=director, comment="Looks right")
    version = services.publish(version.pk, by=director)

    assert version.state == "published"
    assert version.published_at.isoformat() == "2026-03-02T09:00:00+00:00"
    trail = list(
        VersionTransition.objects.filter(version=version).values_list(
            "from_state", "to_state", "by__username", "comment"
        )
    )
    assert trail == [
        ("", "draft", "maria", "Created."),
        ("draft", "in_review", "maria", "Ready"),
        ("in_review", "approved", "diane", "Looks right"),
        ("approved", "published", "diane", ""),
    ]


def test_rep_cannot_draft(rep):
    with pytest.raises(NotAllowed, match="Your role may not write policies."):
        draft(rep)
    assert PolicyVersion.objects.count() == 0


def test_manager_cannot_approve_or_publish(manager):
    other = UserFactory(username="mona", role="Manager")
    version = draft(other)
    services.submit(version.pk, by=other)
    with pytest.raises(NotAllowed, match="Only a director or this document's named approver"):
        services.approve(version.pk, by=manager)
    version.state = "approved"
    version.save()
    with pytest.raises(NotAllowed, match="Your role may not publish policies."):
        services.publish(version.pk, by=manager)
    assert PolicyVersion.objects.get(pk=version.pk).state == "approved"


def test_named_approver_may_approve_but_not_publish(manager, rep):
    with pytest.raises(InvalidInput) as exc:
        draft(manager, approver=rep)
    assert exc.value.fields == {"approver": ["The approver must be a manager, director or admin."]}
    lead = UserFactory(username="lena", role="Manager")
    version = draft(manager, title="Complaints", approver=lead)
    services.submit(version.pk, by=manager)
    assert services.approve(version.pk, by=lead).state == "approved"
    with pytest.raises(NotAllowed):
        services.publish(version.pk, by=lead)


def test_approving_own_draft_is_refused_unless_the_document_allows_it(director):
    version = draft(director)
    services.submit(version.pk, by=director)
    with pytest.raises(InvalidTransition, match="You wrote this version"):
        services.approve(version.pk, by=director)
    assert PolicyVersion.objects.get(pk=version.pk).state == "in_review"

    allowed = draft(director, title="Tone guide", allow_self_approval=True)
    services.submit(allowed.pk, by=director)
    assert services.approve(allowed.pk, by=director).state == "approved"


def test_send_back_needs_a_comment_and_returns_to_draft(manager, director):
    version = draft(manager)
    services.submit(version.pk, by=manager)
    with pytest.raises(InvalidInput, match="Say what to change."):
        services.send_back(version.pk, by=director, comment="  ")
    version = services.send_back(version.pk, by=director, comment="Add the 30-day rule")
    assert version.state == "draft"
    last = VersionTransition.objects.filter(version=version).last()
    assert (last.from_state, last.to_state, last.comment) == (
        "in_review",
        "draft",
        "Add the 30-day rule",
    )


def test_published_version_is_immutable_and_editing_starts_a_new_draft(manager, director):
    v1 = published(manager, director)
    with pytest.raises(InvalidTransition, match="Version 1 is published and cannot be edited"):
        services.update_draft(
            v1.pk, by=manager, body="Changed", checklist=[], change_summary="",
            effective_date=TODAY, ack_required=False, ack_roles=[], ack_teams=[],
            ack_within_days=7,
        )  # fmt: skip
    v1.refresh_from_db()
    assert v1.body == "# Refunds\n\nCheck the order first."

    v2 = services.start_draft(v1.document_id, by=manager)
    assert (v2.number, v2.state, v2.body, v2.checklist) == (
        2, "draft", v1.body, ["Verify the order", "Check the refund window"],
    )  # fmt: skip
    with pytest.raises(Conflict, match="Version 2 is already draft"):
        services.start_draft(v1.document_id, by=manager)


def test_publishing_retires_the_previous_version(manager, director):
    v1 = published(manager, director)
    v2 = services.start_draft(v1.document_id, by=manager)
    services.update_draft(
        v2.pk, by=manager, body="New text", checklist=["One"], change_summary="Shorter",
        effective_date=TODAY, ack_required=False, ack_roles=[], ack_teams=[], ack_within_days=7,
    )  # fmt: skip
    publish(v2, author=manager, approver=director)
    v1.refresh_from_db()
    assert (v1.state, v1.retired_at.isoformat()) == ("retired", "2026-03-02T09:00:00+00:00")
    assert VersionTransition.objects.filter(version=v1).last().comment == "Replaced by version 2."


def test_future_effective_version_replaces_the_current_one_on_its_day(manager, director):
    v1 = published(manager, director)
    v2 = services.start_draft(v1.document_id, by=manager)
    services.update_draft(
        v2.pk, by=manager, body="From next week", checklist=[], change_summary="",
        effective_date=TODAY + timedelta(days=7), ack_required=False, ack_roles=[], ack_teams=[],
        ack_within_days=7,
    )  # fmt: skip
    publish(v2, author=manager, approver=director)
    assert PolicyVersion.objects.get(pk=v1.pk).state == "published"

    assert services.retire_superseded(today=TODAY + timedelta(days=6)) == 0
    assert services.retire_superseded(today=TODAY + timedelta(days=7)) == 1
    assert services.retire_superseded(today=TODAY + timedelta(days=7)) == 0
    assert PolicyVersion.objects.get(pk=v1.pk).state == "retired"


@pytest.mark.parametrize(
    ("_case", "body", "effective", "field", "message"),
    [
        ("empty body", "   ", TODAY, "body", "The body is empty: write the policy text."),
        ("past date", "Text", TODAY - timedelta(days=1), "effective_date",
         "The effective date is in the past: use today or later."),
    ],
)  # fmt: skip
def test_bad_version_input_is_refused_with_field_errors(
    _case, body, effective, field, message, manager
):
    with pytest.raises(InvalidInput) as exc:
        draft(manager, body=body, effective=effective)
    assert exc.value.fields == {field: [message]}
    assert PolicyVersion.objects.count() == 0


def test_transition_from_the_wrong_state_is_refused(manager, director):
    version = draft(manager)
    with pytest.raises(InvalidTransition, match="Version 1 is draft; it cannot go to approved"):
        services.approve(version.pk, by=director)
    with pytest.raises(InvalidTransition, match="cannot go to published"):
        services.publish(version.pk, by=director)


def test_director_retires_a_published_version(manager, director):
    version = published(manager, director)
    assert services.retire(version.pk, by=director, comment="Withdrawn").state == "retired"
    with pytest.raises(NotAllowed):
        services.retire(version.pk, by=manager)
