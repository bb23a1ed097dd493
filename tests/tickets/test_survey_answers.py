"""Survey answers (issue 13, section 3): an invitation belongs to one solve; its answer may be
changed for CSAT_ANSWER_CHANGE_SECONDS, the negative-CSAT rules fire once per solve, and a
reopened or re-solved ticket's old link shows "This survey has closed" and changes nothing."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from csops.models import Notification
from tests.tickets.survey_helpers import invite
from tickets import services
from tickets.models import SurveyResponse
from tickets.models.escalations import EscalationRule, RuleFiring
from tickets.services import surveys

pytestmark = pytest.mark.django_db
T0 = "2026-03-02 09:00:00Z"


def _path(invitation) -> str:
    return f"/survey/{surveys.make_token(invitation)}/"


def _answer(invitation, rating: int, at: str, **extra):
    with time_machine.travel(at, tick=False):
        return Client().post(_path(invitation), {"rating": rating, **extra})


def _ratings(ticket_id: int) -> list[tuple[int, bool]]:
    rows = SurveyResponse.objects.filter(ticket_id=ticket_id).order_by("pk")
    return list(rows.values_list("rating", "is_current"))


def _reopen(ticket_id: int, rep) -> None:
    services.update_ticket(ticket_id, by=rep, expected_version=None, status="open")


def _solve(ticket_id: int, rep) -> None:
    services.update_ticket(ticket_id, by=rep, expected_version=None, status="solved")


@pytest.fixture
def invitation(team, rep):
    with time_machine.travel(T0, tick=False):
        return invite(team, rep)


def test_an_answer_may_be_changed_within_the_window_then_is_final(invitation, settings):
    settings.CSAT_ANSWER_CHANGE_SECONDS = 7 * 24 * 3600
    assert _answer(invitation, 2, "2026-03-02 10:00Z").status_code == 200
    changed = _answer(invitation, 4, "2026-03-09 09:59Z")
    assert changed.status_code == 200
    assert "until 2026-03-09 10:00 UTC" in changed.content.decode()

    late = _answer(invitation, 5, "2026-03-09 10:00Z")
    assert late.status_code == 410
    page = late.content.decode()
    assert "This survey has closed" in page
    assert "Your answer is final" in page
    assert "We kept your answer (4/5)" in page
    assert _ratings(invitation.ticket_id) == [(2, False), (4, True)]
    with time_machine.travel("2026-03-10 09:00Z", tick=False):
        assert Client().get(_path(invitation)).status_code == 410


def test_the_window_comes_from_settings(invitation, settings):
    settings.CSAT_ANSWER_CHANGE_SECONDS = 3600
    _answer(invitation, 2, "2026-03-02 10:00Z")
    assert _answer(invitation, 3, "2026-03-02 10:59Z").status_code == 200
    assert _answer(invitation, 4, "2026-03-02 11:00Z").status_code == 410
    assert _ratings(invitation.ticket_id) == [(2, False), (3, True)]


def test_a_reopened_tickets_old_link_is_closed_and_changes_nothing(invitation, rep):
    _answer(invitation, 5, "2026-03-02 10:00Z")
    with time_machine.travel("2026-03-02 11:00Z", tick=False):
        _reopen(invitation.ticket_id, rep)
        page = Client().get(_path(invitation))
    assert page.status_code == 410
    assert "Your request was reopened, so this survey has closed." in page.content.decode()
    posted = _answer(invitation, 1, "2026-03-02 11:05Z")
    assert (posted.status_code, _ratings(invitation.ticket_id)) == (410, [(5, True)])
    invitation.refresh_from_db()
    with pytest.raises(surveys.SurveyClosed, match="reopened"):
        surveys.submit_response(invitation, rating=1)


def test_a_new_solve_opens_a_new_survey_and_closes_the_old_link(invitation, rep):
    _answer(invitation, 5, "2026-03-02 10:00Z")
    with time_machine.travel("2026-03-02 11:00Z", tick=False):
        _reopen(invitation.ticket_id, rep)
        _solve(invitation.ticket_id, rep)
        second = surveys.invite_for_solve(invitation.ticket_id)
    old = _answer(invitation, 1, "2026-03-02 11:05Z")
    assert old.status_code == 410
    assert "solved again since" in old.content.decode()
    assert _answer(second, 3, "2026-03-02 11:10Z").status_code == 200
    assert _ratings(invitation.ticket_id) == [(5, False), (3, True)]


def test_negative_csat_rules_fire_once_per_solve(
    invitation, team, rep, manager, django_capture_on_commit_callbacks
):
    EscalationRule.objects.create(
        name="Unhappy customer",
        trigger="negative_csat",
        notify="team_managers",
        created_at=timezone.now(),
        updated_at=timezone.now(),
    )

    def firings() -> int:
        return RuleFiring.objects.filter(rule__trigger="negative_csat").count()

    # one solve: negative, changed to negative again, positive, negative again → one firing
    for minute, rating in ((0, 2), (1, 1), (2, 5), (3, 2)):
        with django_capture_on_commit_callbacks(execute=True):
            response = _answer(invitation, rating, f"2026-03-02 10:0{minute}Z")
        assert response.status_code == 200
    assert firings() == 1
    assert Notification.objects.filter(user=manager).count() == 1

    # a later solve of the same ticket is a new survey: its negative answer fires again
    with time_machine.travel("2026-03-03 09:00Z", tick=False):
        _reopen(invitation.ticket_id, rep)
        _solve(invitation.ticket_id, rep)
        second = surveys.invite_for_solve(invitation.ticket_id)
    with django_capture_on_commit_callbacks(execute=True):
        _answer(second, 1, "2026-03-03 10:00Z")
    assert firings() == 2


def test_first_answer_positive_then_negative_fires_once(
    invitation, manager, django_capture_on_commit_callbacks
):
    EscalationRule.objects.create(
        name="Unhappy customer",
        trigger="negative_csat",
        notify="team_managers",
        created_at=timezone.now(),
        updated_at=timezone.now(),
    )
    for minute, rating in ((0, 5), (1, 2), (2, 1)):
        with django_capture_on_commit_callbacks(execute=True):
            _answer(invitation, rating, f"2026-03-02 10:0{minute}Z")
    assert RuleFiring.objects.count() == 1
    assert Notification.objects.filter(user=manager).count() == 1
