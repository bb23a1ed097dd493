"""Acknowledgment follows team membership: people who join a team after a version addressed
to it was published are asked too (with the notice, counted in coverage, once), and people
who leave it stop being asked unless they are still in the audience."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from csops.errors import NotAllowed
from csops.models import Notification
from csops.roles import Role
from policies import selectors_documents
from policies.models import Acknowledgment
from policies.services import acknowledgments as acks
from policies.services import documents as services
from policies.tasks import send_acknowledgment_reminders
from staffing.services import teams
from tests.factories import UserFactory
from tests.policies.documents_helpers import publish, published

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock():
    with time_machine.travel("2026-03-02 09:00:00+00:00", tick=False) as traveller:
        yield traveller


@pytest.fixture
def version(clock, manager, director, rep, rep2, team):
    # Published on Monday 2 March for Tier 1 (rita, ralph, and maria its manager), 3 days.
    return published(manager, director, ack_required=True, ack_teams=[team], ack_within_days=3)


@pytest.fixture
def nina(db):
    return UserFactory(username="nina", role=Role.REP)


@pytest.fixture
def billing_manager(other_team):
    user = UserFactory(username="bill", role=Role.MANAGER)
    other_team.managers.add(user)
    return user


def _row(user, version, slug: str):
    return next(r for r in selectors_documents.coverage(user, version) if r.team.slug == slug)


def _requested(version) -> list[tuple[str, str, str]]:
    rows = Acknowledgment.objects.filter(version=version).order_by("user__username")
    return [(a.user.username, a.requested_at.isoformat(), a.due_at.isoformat()) for a in rows]


def test_newcomer_is_asked_notified_and_counted(version, nina, team, manager, clock):
    # given the version published on Monday, and the coverage of Tier 1 before
    assert _row(manager, version, "tier-1").pending == 3
    # when nina joins Tier 1 on Wednesday
    clock.move_to("2026-03-04 10:00:00+00:00")
    teams.add_member(team, nina, by=manager)
    # then she is asked, due within the version's 3 days from her joining
    [ack] = Acknowledgment.objects.filter(version=version, user=nina)
    assert (ack.requested_at.isoformat(), ack.due_at.isoformat(), ack.acknowledged_at) == (
        "2026-03-04T10:00:00+00:00", "2026-03-07T10:00:00+00:00", None,
    )  # fmt: skip
    assert [a.version_id for a in selectors_documents.to_acknowledge(nina)] == [version.pk]
    # and told so, once, in the app
    [note] = Notification.objects.filter(user=nina)
    assert (note.key, note.text, note.url) == (
        f"policy-ack-requested:{version.pk}",
        "Please read and acknowledge Refund procedure v1 by 2026-03-07.",
        reverse("policies:version-detail", args=[version.pk]),
    )
    # and Tier 1's coverage counts her
    row = _row(manager, version, "tier-1")
    assert (row.acknowledged, row.pending, row.overdue) == (0, 4, 0)
    assert sorted(u.username for u, _ in row.waiting) == ["maria", "nina", "ralph", "rita"]
    # and she can acknowledge it
    clock.shift(timedelta(hours=1))
    assert acks.acknowledge(version.pk, by=nina).acknowledged_at.isoformat() == (
        "2026-03-04T11:00:00+00:00"
    )
    assert _row(manager, version, "tier-1").acknowledged == 1


def test_newcomer_gets_the_overdue_reminder_on_their_own_due_date(version, nina, team, clock):
    clock.move_to("2026-03-04 10:00:00+00:00")
    teams.add_member(team, nina, by=None)
    # Friday 09:00: the others (due Thursday 09:00) are overdue, nina (due Saturday) is not.
    clock.move_to("2026-03-06 09:00:00+00:00")
    assert send_acknowledgment_reminders() == 3
    assert not Notification.objects.filter(user=nina, key__startswith="policy-ack-overdue")
    row = _row(UserFactory(username="dora", role=Role.DIRECTOR), version, "tier-1")
    assert (row.pending, row.overdue) == (1, 3)


def test_re_adding_a_member_never_asks_twice(version, nina, team, manager, clock):
    teams.add_member(team, nina, by=manager)
    clock.shift(timedelta(hours=5))
    teams.add_member(team, nina, by=manager)  # already a member: the hook runs again
    assert acks.request_for_joiners(team, [nina], by=None) == 0
    assert _requested(version)[1] == (
        "nina", "2026-03-02T09:00:00+00:00", "2026-03-05T09:00:00+00:00",
    )  # fmt: skip
    assert Acknowledgment.objects.filter(version=version, user=nina).count() == 1
    assert Notification.objects.filter(user=nina).count() == 1


def test_someone_already_asked_through_another_team_keeps_their_request(
    clock, manager, director, team, other_team, rep, rep_other_team
):
    version = published(manager, director, ack_required=True, ack_teams=[team, other_team])
    acks.acknowledge(version.pk, by=rep_other_team)
    clock.shift(timedelta(days=1))
    teams.add_member(team, rep_other_team, by=manager)
    [ack] = Acknowledgment.objects.filter(version=version, user=rep_other_team)
    assert (ack.requested_at.isoformat(), ack.acknowledged_at.isoformat()) == (
        "2026-03-02T09:00:00+00:00", "2026-03-02T09:00:00+00:00",
    )  # fmt: skip


def test_only_the_current_published_versions_that_ask_the_team(
    clock, manager, director, team, other_team, nina
):
    # given: a document whose v1 was replaced by v2 (both asking Tier 1), one that asks no
    # acknowledgment, one that asks Billing only, one retired, and a draft
    v1 = published(manager, director, ack_required=True, ack_teams=[team])
    v2 = publish(
        services.start_draft(v1.document_id, by=manager), author=manager, approver=director
    )
    published(manager, director, title="Tone of voice", ack_teams=[team])
    published(manager, director, title="Billing refunds", ack_required=True,
              ack_teams=[other_team])  # fmt: skip
    old = published(manager, director, title="Fax policy", ack_required=True, ack_teams=[team])
    services.retire(old.pk, by=director)
    future = published(manager, director, title="Chat etiquette", ack_required=True,
                       ack_teams=[team], ack_within_days=5,
                       effective=date(2026, 3, 10))  # fmt: skip
    # when nina joins Tier 1
    teams.add_member(team, nina, by=manager)
    # then she is asked for v2 of the first document, and for the version coming into force
    # on 10 March, due 5 days after that
    got = Acknowledgment.objects.filter(user=nina).order_by("version_id")
    assert [(a.version_id, a.due_at.isoformat()) for a in got] == [
        (v2.pk, "2026-03-09T09:00:00+00:00"),
        (future.pk, "2026-03-15T00:00:00+00:00"),
    ]


def test_inactive_people_are_not_asked(version, team, manager):
    gone = UserFactory(username="gus", role=Role.REP, is_active=False)
    teams.add_member(team, gone, by=manager)
    assert not Acknowledgment.objects.filter(user=gone).exists()


def test_managers_added_in_the_admin_are_asked_as_members_are(
    version, team, admin_user, client_for, manager, rep, rep2, nina
):
    # given a new manager for Tier 1, and nina as a new member, through the admin's team form
    boss = UserFactory(username="boris", role=Role.MANAGER)
    response = client_for(admin_user).post(
        reverse("admin:staffing_team_change", args=[team.pk]),
        {
            "name": team.name,
            "slug": team.slug,
            "tier": team.tier,
            "description": "",
            "members": [rep.pk, rep2.pk, nina.pk],
            "managers": [manager.pk, boss.pk],
        },
    )
    assert response.status_code == 302, response.content[:500]
    # then both are asked, once
    assert [u for u, _, _ in _requested(version)] == ["boris", "maria", "nina", "ralph", "rita"]
    assert Notification.objects.filter(key=f"policy-ack-requested:{version.pk}").count() == 5


def test_leaving_the_team_withdraws_the_request_and_the_coverage_count(
    version, team, other_team, manager, director, rep, rep2, clock
):
    # given rita acknowledged, ralph did not; both move from Tier 1 to Billing (not asked)
    acks.acknowledge(version.pk, by=rep)
    for person in (rep, rep2):
        teams.remove_member(team, person, by=director)
        teams.add_member(other_team, person, by=director)
    # then ralph's open request is closed: off his home page and off every team's coverage
    ralph = Acknowledgment.objects.get(version=version, user=rep2)
    assert (ralph.acknowledged_at, ralph.superseded_at.isoformat()) == (
        None, "2026-03-02T09:00:00+00:00",
    )  # fmt: skip
    assert selectors_documents.to_acknowledge(rep2) == []
    tier1, billing = _row(director, version, "tier-1"), _row(director, version, "billing")
    assert (tier1.acknowledged, tier1.pending, tier1.overdue) == (0, 1, 0)  # maria
    assert (billing.acknowledged, billing.pending, billing.overdue) == (1, 0, 0)  # rita's ack
    # and the overdue reminders pass him by
    clock.shift(timedelta(days=4))
    assert send_acknowledgment_reminders() == 1
    assert not Notification.objects.filter(user=rep2, key__startswith="policy-ack-overdue")
    # and rita's acknowledgment stays on record
    assert Acknowledgment.objects.get(version=version, user=rep).acknowledged_at is not None


def test_leaving_one_of_two_asked_teams_or_asked_by_role_keeps_the_request(
    clock, manager, director, team, other_team, rep, rep2
):
    version = published(manager, director, ack_required=True, ack_teams=[team, other_team])
    by_role = published(manager, director, title="Rep code", ack_required=True,
                        ack_roles=["Rep"], ack_teams=[team])  # fmt: skip
    teams.add_member(other_team, rep, by=director)
    teams.remove_member(team, rep, by=director)
    teams.remove_member(team, rep2, by=director)
    assert sorted(a.version_id for a in selectors_documents.to_acknowledge(rep)) == sorted(
        [version.pk, by_role.pk]
    )
    # ralph is no longer in the first version's audience, still in the second's (a Rep)
    assert [a.version_id for a in selectors_documents.to_acknowledge(rep2)] == [by_role.pk]


def test_coming_back_opens_the_request_again_without_a_duplicate(
    version, team, manager, rep2, clock
):
    teams.remove_member(team, rep2, by=manager)
    clock.move_to("2026-03-06 12:00:00+00:00")
    teams.add_member(team, rep2, by=manager)
    assert _requested(version)[1] == (
        "ralph", "2026-03-06T12:00:00+00:00", "2026-03-09T12:00:00+00:00",
    )  # fmt: skip
    assert Acknowledgment.objects.get(version=version, user=rep2).superseded_at is None
    assert [a.version_id for a in selectors_documents.to_acknowledge(rep2)] == [version.pk]
    # told once when the version was published: the same notice is not sent again
    assert Notification.objects.filter(user=rep2).count() == 1


def test_only_managers_of_the_team_change_its_membership(
    version, team, rep, rep2, nina, billing_manager
):
    for outsider in (rep, billing_manager):
        with pytest.raises(NotAllowed, match="You do not manage this team."):
            teams.add_member(team, nina, by=outsider)
        with pytest.raises(NotAllowed, match="You do not manage this team."):
            teams.remove_member(team, rep2, by=outsider)
    assert not Acknowledgment.objects.filter(user=nina).exists()
    assert Acknowledgment.objects.get(version=version, user=rep2).superseded_at is None
    assert sorted(team.members.values_list("username", flat=True)) == ["ralph", "rita"]


def test_team_page_adds_and_removes_members_end_to_end(
    version, team, manager_client, client_for, rep, rep2, nina
):
    # a manager adds nina on the team page: she is asked
    response = manager_client.post(reverse("staffing:team-member-add", args=[team.pk]),
                                   {"user": nina.pk})  # fmt: skip
    assert response.status_code == 302
    assert [a.version_id for a in selectors_documents.to_acknowledge(nina)] == [version.pk]
    page = manager_client.get(reverse("staffing:team", args=[team.pk])).content.decode()
    remove = reverse("staffing:team-member-remove", args=[team.pk, rep2.pk])
    assert f'action="{remove}"' in page
    # a rep of the team cannot take someone off it
    assert client_for(rep).post(remove).status_code == 404
    assert team.members.filter(pk=rep2.pk).exists()
    # the manager can: ralph's request is withdrawn
    response = manager_client.post(remove)
    assert response.status_code == 302
    assert not team.members.filter(pk=rep2.pk).exists()
    assert selectors_documents.to_acknowledge(rep2) == []
    # someone who is not a member is a 404
    assert manager_client.post(remove).status_code == 404
