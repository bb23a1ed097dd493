"""Acknowledgment: who is asked, acknowledging, coverage, reminders (deduplicated), reset."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from csops.errors import InvalidInput, NotAllowed
from csops.models import Notification
from policies import selectors_documents
from policies.models import Acknowledgment
from policies.services import acknowledgments as acks
from policies.services import documents as services
from policies.tasks import send_acknowledgment_reminders
from tests.policies.documents_helpers import publish, published

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 2)


@pytest.fixture
def clock():
    with time_machine.travel("2026-03-02 09:00:00+00:00", tick=False) as traveller:
        yield traveller


@pytest.fixture
def version(clock, manager, director, rep, rep2, rep_other_team, team):
    return published(manager, director, ack_required=True, ack_teams=[team], ack_within_days=3)


def test_publishing_asks_the_team_with_a_due_date(version, rep, rep2, manager, rep_other_team):
    rows = Acknowledgment.objects.filter(version=version).order_by("user__username")
    assert [(a.user.username, a.due_at.isoformat()) for a in rows] == [
        ("maria", "2026-03-05T09:00:00+00:00"),
        ("ralph", "2026-03-05T09:00:00+00:00"),
        ("rita", "2026-03-05T09:00:00+00:00"),
    ]
    assert [a.version_id for a in selectors_documents.to_acknowledge(rep)] == [version.pk]
    assert selectors_documents.to_acknowledge(rep_other_team) == []


def test_roles_are_asked_too(clock, manager, director, rep, rep_other_team):
    version = published(manager, director, ack_required=True, ack_roles=["Rep"])
    users = set(
        Acknowledgment.objects.filter(version=version).values_list("user__username", flat=True)
    )
    assert users == {"rita", "otto"}


def test_acknowledge_records_who_which_version_and_when(version, rep, clock):
    clock.shift(timedelta(hours=2))
    ack = acks.acknowledge(version.pk, by=rep)
    assert (ack.user_id, ack.version_id, ack.acknowledged_at.isoformat()) == (
        rep.pk, version.pk, "2026-03-02T11:00:00+00:00",
    )  # fmt: skip
    assert selectors_documents.to_acknowledge(rep) == []
    # Acknowledging twice keeps the first time.
    clock.shift(timedelta(hours=1))
    assert acks.acknowledge(version.pk, by=rep).acknowledged_at.isoformat() == (
        "2026-03-02T11:00:00+00:00"
    )


def test_acknowledging_a_version_that_does_not_ask_you_is_refused(version, rep_other_team):
    with pytest.raises(InvalidInput, match="does not ask you to acknowledge it"):
        acks.acknowledge(version.pk, by=rep_other_team)


def test_publishing_a_new_version_resets_acknowledgment(version, rep, rep2, manager, director):
    acks.acknowledge(version.pk, by=rep)
    v2 = services.start_draft(version.document_id, by=manager)
    publish(v2, author=manager, approver=director)

    assert [a.version_id for a in selectors_documents.to_acknowledge(rep)] == [v2.pk]
    old = Acknowledgment.objects.get(version=version, user=rep2)
    assert old.superseded_at is not None
    assert old.acknowledged_at is None
    # The acknowledgment of the old version stays on record.
    assert Acknowledgment.objects.get(version=version, user=rep).acknowledged_at is not None


def test_coverage_per_team(version, rep, manager, director, clock):
    acks.acknowledge(version.pk, by=rep)
    clock.shift(timedelta(days=4))
    [row] = [r for r in selectors_documents.coverage(manager, version) if r.team.slug == "tier-1"]
    assert (row.acknowledged, row.pending, row.overdue) == (1, 0, 2)
    assert sorted(u.username for u, _ in row.waiting) == ["maria", "ralph"]
    # A manager sees the teams they manage; a director every team.
    assert [r.team.slug for r in selectors_documents.coverage(manager, version)] == ["tier-1"]
    assert len(selectors_documents.coverage(director, version)) == 2


def test_overdue_reminders_are_sent_once_in_app_and_by_mail(version, rep, clock, mailoutbox):
    acks.acknowledge(version.pk, by=rep)
    mail.outbox.clear()
    Notification.objects.all().delete()
    assert send_acknowledgment_reminders() == 0  # nobody is overdue yet

    clock.shift(timedelta(days=3, seconds=1))
    assert send_acknowledgment_reminders() == 2
    clock.shift(timedelta(hours=1))  # the next beat run
    assert send_acknowledgment_reminders() == 0  # the second run sends nothing

    notes = Notification.objects.filter(key=f"policy-ack-overdue:{version.pk}")
    assert sorted(notes.values_list("user__username", flat=True)) == ["maria", "ralph"]
    assert notes.first().url == reverse("policies:version-detail", args=[version.pk])


def test_reminder_mail_goes_out_on_commit(version, clock, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    clock.shift(timedelta(days=4))
    with django_capture_on_commit_callbacks(execute=True):
        acks.send_overdue_reminders()
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == ["maria@staff.example.com", "ralph@staff.example.com",
                                         "rita@staff.example.com"]  # fmt: skip
    assert (
        mail.outbox[0].subject
        == "[csops] Overdue: please acknowledge Refund procedure v1 (due 2026-03-05)."
    )


def test_manager_reminds_their_team_once_a_day(version, manager, rep_other_team, other_team, clock):
    team_id = version.ack_teams.get().pk
    assert acks.remind_team(version.pk, team_id=team_id, by=manager) == 3
    clock.shift(timedelta(hours=3))
    assert acks.remind_team(version.pk, team_id=team_id, by=manager) == 0
    clock.shift(timedelta(days=1))
    assert acks.remind_team(version.pk, team_id=team_id, by=manager) == 3
    with pytest.raises(NotAllowed, match="You do not manage this team."):
        acks.remind_team(version.pk, team_id=other_team.pk, by=manager)


def test_rep_cannot_remind(version, rep, team):
    with pytest.raises(NotAllowed):
        acks.remind_team(version.pk, team_id=team.pk, by=rep)
