"""Acknowledgment follows a person's role: when the admin's user form changes someone's groups
(or whether they are active), they are asked for the current versions published to their new
role, and their open requests that only the old role was asked for are withdrawn. Requests
addressed to their teams, and acknowledgments already given, stay."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from csops.models import Notification
from csops.roles import Role
from policies import selectors_documents
from policies.models import Acknowledgment
from policies.services import acknowledgments as acks
from tests.factories import UserFactory
from tests.policies.documents_helpers import published
from tests.staffing.builders import user_admin_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock():
    with time_machine.travel("2026-03-02 09:00:00+00:00", tick=False) as traveller:
        yield traveller


@pytest.fixture
def versions(clock, manager, director, rep, team):
    # Published on Monday 2 March: one for Tier 1 (rita, maria), one for Reps (rita), one
    # for Managers (maria, 5 days), and one for Reps that rita acknowledged at once.
    by_team = published(manager, director, title="Refund procedure", ack_required=True,
                        ack_teams=[team], ack_within_days=3)  # fmt: skip
    for_reps = published(manager, director, title="Rep code", ack_required=True,
                         ack_roles=["Rep"])  # fmt: skip
    for_managers = published(manager, director, title="Manager handbook", ack_required=True,
                             ack_roles=["Manager"], ack_within_days=5)  # fmt: skip
    read = published(manager, director, title="Tone of voice", ack_required=True,
                     ack_roles=["Rep"])  # fmt: skip
    acks.acknowledge(read.pk, by=rep)
    return {"team": by_team, "reps": for_reps, "managers": for_managers, "read": read}


def _save_user(client, user, **form):
    url = reverse("admin:auth_user_change", args=[user.pk])
    return client.post(url, user_admin_form(user, **form))


def _requests(user) -> dict[str, tuple]:
    """Per version title: (requested, due, acknowledged, superseded) as ISO strings."""

    def iso(value):
        return value.isoformat() if value else None

    rows = Acknowledgment.objects.filter(user=user).select_related("version__document")
    return {
        a.version.document.title: (
            iso(a.requested_at),
            iso(a.due_at),
            iso(a.acknowledged_at),
            iso(a.superseded_at),
        )
        for a in rows
    }


MONDAY = "2026-03-02T09:00:00+00:00"


def test_promotion_asks_the_new_role_and_withdraws_what_only_the_old_role_asked(
    versions, rep, admin_user, client_for, clock
):
    # given rita, a Rep of Tier 1, asked on Monday for three versions (one acknowledged)
    assert sorted(_requests(rep)) == ["Refund procedure", "Rep code", "Tone of voice"]
    # when on Wednesday the admin makes her a Manager
    clock.move_to("2026-03-04 10:00:00+00:00")
    response = _save_user(client_for(admin_user), rep, roles=[Role.MANAGER])
    assert response.status_code == 302, response.content[:500]
    # then she is asked for the Managers' version, due 5 days from now; the Reps' request is
    # withdrawn; Tier 1's stays; her acknowledgment stays on record
    wednesday = "2026-03-04T10:00:00+00:00"
    assert _requests(rep) == {
        "Refund procedure": (MONDAY, "2026-03-05T09:00:00+00:00", None, None),
        "Rep code": (MONDAY, "2026-03-09T09:00:00+00:00", None, wednesday),
        "Manager handbook": (wednesday, "2026-03-09T10:00:00+00:00", None, None),
        "Tone of voice": (MONDAY, "2026-03-09T09:00:00+00:00", MONDAY, None),
    }
    assert [a.version_id for a in selectors_documents.to_acknowledge(rep)] == [
        versions["team"].pk,
        versions["managers"].pk,
    ]
    # and she is told about the new one, once
    [note] = Notification.objects.filter(
        user=rep, key=f"policy-ack-requested:{versions['managers'].pk}"
    )
    assert note.text == "Please read and acknowledge Manager handbook v1 by 2026-03-09."


def test_going_back_reopens_the_old_request_without_a_duplicate_or_a_second_notice(
    versions, rep, admin_user, client_for, clock
):
    client = client_for(admin_user)
    clock.move_to("2026-03-04 10:00:00+00:00")
    assert _save_user(client, rep, roles=[Role.MANAGER]).status_code == 302
    # when on Friday she is a Rep again
    clock.move_to("2026-03-06 12:00:00+00:00")
    assert _save_user(client, rep, roles=[Role.REP]).status_code == 302
    # then the Reps' request opens again from now and the Managers' one is withdrawn
    friday = "2026-03-06T12:00:00+00:00"
    got = _requests(rep)
    assert got["Rep code"] == (friday, "2026-03-13T12:00:00+00:00", None, None)
    assert got["Manager handbook"] == (
        "2026-03-04T10:00:00+00:00", "2026-03-09T10:00:00+00:00", None, friday,
    )  # fmt: skip
    assert Acknowledgment.objects.filter(user=rep).count() == 4
    # told once per version: on Monday for the three, on Wednesday for the Managers' one
    keys = sorted(Notification.objects.filter(user=rep).values_list("key", flat=True))
    assert keys == sorted(f"policy-ack-requested:{v.pk}" for v in versions.values())


def test_adding_a_role_keeps_the_requests_of_the_role_kept(versions, rep, admin_user, client_for):
    response = _save_user(client_for(admin_user), rep, roles=[Role.REP, Role.MANAGER])
    assert response.status_code == 302
    assert sorted(a.version_id for a in selectors_documents.to_acknowledge(rep)) == sorted(
        [versions["team"].pk, versions["reps"].pk, versions["managers"].pk]
    )


def test_saving_again_or_following_again_changes_nothing(
    versions, rep, admin_user, client_for, clock
):
    client = client_for(admin_user)
    assert _save_user(client, rep, roles=[Role.MANAGER]).status_code == 302
    before = _requests(rep)
    clock.shift(3600)
    # the same form again (nothing changed), and the listener run again directly
    assert _save_user(client, rep, roles=[Role.MANAGER]).status_code == 302
    assert acks.follow_role_change(rep, by=None) == (0, 0)
    assert _requests(rep) == before
    assert Acknowledgment.objects.filter(user=rep).count() == 4
    assert Notification.objects.filter(user=rep).count() == 4


def test_deactivating_closes_open_requests_and_reactivating_reopens_them(
    versions, rep, admin_user, client_for, clock
):
    client = client_for(admin_user)
    clock.move_to("2026-03-03 09:00:00+00:00")
    assert _save_user(client, rep, roles=[Role.REP], active=False).status_code == 302
    assert Acknowledgment.objects.filter(user=rep, superseded_at__isnull=True).count() == 1
    assert _requests(rep)["Tone of voice"][2] == MONDAY  # given, kept
    # nothing is left on her list
    assert selectors_documents.to_acknowledge(rep) == []
    clock.move_to("2026-03-04 09:00:00+00:00")
    assert _save_user(client, rep, roles=[Role.REP]).status_code == 302
    assert sorted(a.version.document.title for a in selectors_documents.to_acknowledge(rep)) == [
        "Refund procedure",
        "Rep code",
    ]


def test_only_the_admin_changes_roles(versions, rep, director, manager, client_for):
    for someone in (director, manager, rep):
        response = _save_user(client_for(someone), rep, roles=[Role.MANAGER])
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    assert list(rep.groups.values_list("name", flat=True)) == ["Rep"]
    assert not Acknowledgment.objects.filter(user=rep, version=versions["managers"]).exists()
    assert Acknowledgment.objects.get(user=rep, version=versions["reps"]).superseded_at is None


def test_someone_given_a_role_in_the_admin_is_asked_for_it(versions, admin_user, client_for):
    # given nina, a new login without a role yet
    nina = UserFactory(username="nina")
    # when the admin makes her a Rep
    assert _save_user(client_for(admin_user), nina, roles=[Role.REP]).status_code == 302
    # then the Reps' versions ask her (the one rita read too)
    assert sorted(a.version.document.title for a in selectors_documents.to_acknowledge(nina)) == [
        "Rep code",
        "Tone of voice",
    ]


def test_member_added_on_the_admin_team_form_is_asked_once(
    versions, team, rep, manager, admin_user, client_for
):
    # given nina, without a role, put on Tier 1 in the admin's team form, saved twice
    nina = UserFactory(username="nina")
    client = client_for(admin_user)
    form = {
        "name": team.name,
        "slug": team.slug,
        "tier": team.tier,
        "description": "",
        "members": [rep.pk, nina.pk],
        "managers": [manager.pk],
    }
    url = reverse("admin:staffing_team_change", args=[team.pk])
    assert client.post(url, form).status_code == 302
    assert client.post(url, form).status_code == 302
    # then Tier 1's version asked her, once
    [ack] = Acknowledgment.objects.filter(user=nina)
    assert (ack.version_id, ack.superseded_at) == (versions["team"].pk, None)
    assert Notification.objects.filter(user=nina).count() == 1
