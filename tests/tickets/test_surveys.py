"""CSAT surveys: invitation on solve, signed links, the public page, latest answer wins."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from tests.tickets.survey_helpers import forged_token, invite, solved_ticket
from tickets import services
from tickets.models import SurveyInvitation, SurveyResponse
from tickets.services import surveys

pytestmark = pytest.mark.django_db


def _link_path(invitation) -> str:
    return f"/survey/{surveys.make_token(invitation)}/"


# --- Invitations ---------------------------------------------------------------------------


def test_solving_a_ticket_invites_its_requester_once(team, rep, django_capture_on_commit_callbacks):
    # when a rep solves a ticket (the receiver runs on commit)
    with django_capture_on_commit_callbacks(execute=True):
        ticket = solved_ticket(team, rep, email="casey@example.org")
    # then one invitation exists for that solve, to the requester
    invitation = SurveyInvitation.objects.get(ticket=ticket)
    assert invitation.email == "casey@example.org"
    assert invitation.solve_event.data == {"from": "open", "to": "solved"}
    assert invitation.sent_at is None
    # and a second change signal for the same solve adds nothing
    assert surveys.invite_for_solve(ticket.pk) is None
    assert SurveyInvitation.objects.filter(ticket=ticket).count() == 1


def test_unsolved_ticket_gets_no_invitation(team, rep):
    from tests.factories import make_ticket

    ticket = make_ticket(team)
    assert surveys.invite_for_solve(ticket.pk) is None
    assert SurveyInvitation.objects.count() == 0


def test_a_second_solve_after_reopen_gets_a_new_invitation(team, rep):
    invitation = invite(team, rep)
    services.update_ticket(invitation.ticket_id, by=rep, expected_version=None, status="open")
    services.update_ticket(invitation.ticket_id, by=rep, expected_version=None, status="solved")
    second = surveys.invite_for_solve(invitation.ticket_id)
    assert second is not None
    assert second.solve_event_id > invitation.solve_event_id
    assert SurveyInvitation.objects.filter(ticket_id=invitation.ticket_id).count() == 2


def test_send_mails_the_signed_link_once(team, rep):
    invitation = invite(team, rep)
    assert surveys.send_invitation(invitation.pk) is True
    assert surveys.send_invitation(invitation.pk) is False  # already sent
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["casey@example.org"]
    assert message.subject == f"How did we do on request #{invitation.ticket_id}?"
    path = re.search(r"http://127\.0\.0\.1:8000(/survey/\S+/)", message.body).group(1)
    assert Client().get(path).status_code == 200


def test_send_is_skipped_when_the_ticket_was_reopened(team, rep):
    invitation = invite(team, rep)
    services.update_ticket(invitation.ticket_id, by=rep, expected_version=None, status="open")
    assert surveys.send_invitation(invitation.pk) is False
    assert mail.outbox == []


# --- Tokens --------------------------------------------------------------------------------


def test_public_page_needs_no_login_and_shows_only_that_ticket(team, rep):
    invitation = invite(team, rep)
    response = Client().get(_link_path(invitation))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Your request #{invitation.ticket_id}" in html
    assert "Cannot log in" in html
    assert 'name="rating"' in html
    assert 'name="nps"' not in html  # NPS off by default


@pytest.mark.parametrize(
    ("_case", "token_for"),
    [
        ("garbage", lambda inv: "not-a-token"),
        ("bad signature", lambda inv: surveys.make_token(inv)[:-2] + "xx"),
        ("other salt", lambda inv: forged_token({"i": inv.pk, "t": inv.ticket_id}, salt="other")),
        ("other key", lambda inv: forged_token({"i": inv.pk, "t": inv.ticket_id}, key="k" * 50)),
        ("retargeted ticket", lambda inv: forged_token({"i": inv.pk, "t": inv.ticket_id + 1})),
        ("unknown invitation", lambda inv: forged_token({"i": inv.pk + 99, "t": inv.ticket_id})),
        ("not a dict", lambda inv: forged_token([inv.pk, inv.ticket_id])),
    ],
)
def test_forged_or_retargeted_tokens_are_refused_with_400(team, rep, _case, token_for):
    invitation = invite(team, rep)
    token = token_for(invitation)
    # when someone opens or posts to it
    got = Client().get(f"/survey/{token}/")
    posted = Client().post(f"/survey/{token}/", {"rating": 1})
    # then a clear page, no ticket detail, and nothing is recorded
    for response in (got, posted):
        assert response.status_code == 400
        html = response.content.decode()
        assert "This link is not valid" in html
        assert "Cannot log in" not in html
    assert SurveyResponse.objects.count() == 0


def test_expired_token_is_refused_with_410(team, rep, settings):
    settings.CSAT_SURVEY_MAX_AGE_SECONDS = 3600
    invitation = invite(team, rep)
    with time_machine.travel(timezone.now() - timedelta(seconds=3601), tick=False):
        token = surveys.make_token(invitation)
    response = Client().post(f"/survey/{token}/", {"rating": 5})
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()
    assert SurveyResponse.objects.count() == 0


def test_token_within_its_age_is_accepted(team, rep, settings):
    settings.CSAT_SURVEY_MAX_AGE_SECONDS = 3600
    invitation = invite(team, rep)
    with time_machine.travel(timezone.now() - timedelta(seconds=3500), tick=False):
        token = surveys.make_token(invitation)
    assert Client().get(f"/survey/{token}/").status_code == 200


# --- Answers -------------------------------------------------------------------------------


def test_latest_answer_wins(team, rep, django_capture_on_commit_callbacks):
    invitation = invite(team, rep)
    client = Client()
    with time_machine.travel("2026-03-02 10:00:00Z", tick=False):
        first = client.post(_link_path(invitation), {"rating": 2, "comment": "Slow."})
    with time_machine.travel("2026-03-03 09:30:00Z", tick=False):
        second = client.post(_link_path(invitation), {"rating": 5, "comment": " Sorted now. "})
    assert (first.status_code, second.status_code) == (200, 200)
    rows = list(
        SurveyResponse.objects.order_by("pk").values_list(
            "rating", "positive", "comment", "is_current"
        )
    )
    assert rows == [(2, False, "Slow.", False), (5, True, "Sorted now.", True)]
    current = surveys.current_response(invitation.ticket_id)
    assert current.submitted_at.isoformat() == "2026-03-03T09:30:00+00:00"


def test_good_bad_scale_and_nps(team, rep, settings):
    settings.CSAT_SURVEY_SCALE = "good_bad"
    settings.CSAT_SURVEY_ASK_NPS = True
    invitation = invite(team, rep)
    assert (invitation.scale, invitation.ask_nps) == ("good_bad", True)
    response = Client().post(_link_path(invitation), {"rating": 0, "nps": 6, "comment": ""})
    assert response.status_code == 200
    answer = SurveyResponse.objects.get()
    assert (answer.rating, answer.positive, answer.nps, answer.rating_label) == (0, False, 6, "bad")


@pytest.mark.parametrize(
    ("_case", "data", "field"),
    [
        ("no rating", {"comment": "hi"}, "rating"),
        ("rating 6", {"rating": 6}, "rating"),
        ("rating 0 on 1-5", {"rating": 0}, "rating"),
    ],
)
def test_invalid_answers_show_errors_with_422(team, rep, _case, data, field):
    invitation = invite(team, rep)
    response = Client().post(_link_path(invitation), data)
    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert SurveyResponse.objects.count() == 0


def test_nps_is_refused_when_not_asked(team, rep):
    invitation = invite(team, rep)
    with pytest.raises(surveys.InvalidInput):
        surveys.submit_response(invitation, rating=4, nps=9)


@pytest.mark.parametrize(
    ("scale", "rating", "positive"),
    [
        ("five", 5, True),
        ("five", 4, True),
        ("five", 3, False),
        ("five", 1, False),
        ("good_bad", 1, True),
        ("good_bad", 0, False),
    ],
)
def test_positive_follows_the_spec(scale, rating, positive):
    assert surveys.is_positive(scale, rating) is positive


def test_negative_rating_runs_the_negative_csat_escalation_rules(
    team, rep, manager, django_capture_on_commit_callbacks
):
    from csops.models import Notification
    from tickets.models.escalations import EscalationRule

    # given a rule that tells the team's managers about negative ratings
    EscalationRule.objects.create(
        name="Unhappy customer",
        trigger="negative_csat",
        notify="team_managers",
        created_at=timezone.now(),
        updated_at=timezone.now(),
    )
    invitation = invite(team, rep)
    # when the customer answers 2/5, then 5/5
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(_link_path(invitation), {"rating": 2, "comment": "Rude."})
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(_link_path(invitation), {"rating": 5})
    # then the manager got exactly one notice, for the negative answer
    texts = list(Notification.objects.filter(user=manager).values_list("text", flat=True))
    assert texts == [
        f"Rule “Unhappy customer” fired on ticket #{invitation.ticket_id}: Cannot log in"
    ]
