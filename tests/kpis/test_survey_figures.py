"""CSAT by the rating's own attribution (KPI_SPEC.md §6, §9.17, §9.25), through the real
services on 2026-03-02 (reporting zone UTC).

All four tickets are created at 09:00 in Tier 1 (email, normal unless said):

- T1: 09:20 rita assigned and solved; rated 2/5 at 10:00; 11:00 the customer reopens; 11:30
  moved to otto / Billing / high; 12:00 solved again.
- T2: 09:20 rita assigned and solved; 10:30 the customer reopens; 11:00 moved to otto /
  Billing; rated 5/5 at 11:30 while open.
- T3: 09:20 one action moves it to otto / Billing, urgent, and solves it; rated 4/5 at 10:00.
- T4 (phone, low): 09:20 solved by rita with nobody assigned; rated 1/5 with NPS 9 at 10:00.

Attribution (§9.17): T1 -> rita, Tier 1, normal (the 09:20 solve; the re-solve is later);
T2 -> rita, Tier 1, normal (the ticket is open when rated); T3 -> otto, Billing, urgent
(same-instant transfer, §9.14); T4 -> unassigned, Tier 1, low.
"""

from __future__ import annotations

import importlib
from datetime import date

import pytest
import time_machine
from django.apps import apps
from django.db import IntegrityError, transaction

from kpis.selectors.filters import DashboardFilter
from kpis.selectors.surveys import rated, survey_figures
from tests.factories import make_ticket
from tests.kpis.engine_helpers import at
from tickets import services
from tickets.models import SurveyInvitation, SurveyResponse
from tickets.services import surveys

pytestmark = pytest.mark.django_db

DAY = date(2026, 3, 2)
QUERY = {"preset": "custom", "start": "2026-03-02", "end": "2026-03-02"}


def _ticket(team, **kw):
    return at("2026-03-02T09:00:00+00:00", lambda: make_ticket(team, **kw))


def _update(when: str, ticket, by, **kw):
    at(when, lambda: services.update_ticket(ticket.pk, by=by, expected_version=None, **kw))


def _reopen(when: str, ticket):
    at(when, lambda: services.customer_reply(ticket.pk, customer=ticket.requester, body="Again"))


def _rate(when: str, invitation: SurveyInvitation, rating: int, **kw) -> SurveyResponse:
    # Stored answers, as history may hold them: the link itself refuses T2's answer after the
    # reopen and one before any solve (tickets.services.surveys.submit_response).
    return at(when, lambda: surveys.record_response(invitation, rating=rating, **kw))


def _invite(ticket) -> SurveyInvitation:
    invitation = surveys.invite_for_solve(ticket.pk)
    assert invitation is not None
    return invitation


@pytest.fixture
def story(team, other_team, rep, rep_other_team, settings):
    settings.CSAT_SURVEY_ASK_NPS = True
    t1, t2, t3 = _ticket(team), _ticket(team), _ticket(team)
    t4 = _ticket(team, channel="phone", priority="low")
    for t in (t1, t2):
        _update("2026-03-02T09:20:00+00:00", t, rep, assignee=rep, status="solved")
    _update(
        "2026-03-02T09:20:00+00:00",
        t3,
        rep,
        team=other_team,
        assignee=rep_other_team,
        priority="urgent",
        status="solved",
    )
    _update("2026-03-02T09:20:00+00:00", t4, rep, status="solved")
    inv = {t.pk: _invite(t) for t in (t1, t2, t3, t4)}
    r1 = _rate("2026-03-02T10:00:00+00:00", inv[t1.pk], 2, comment="Slow")
    r3 = _rate("2026-03-02T10:00:00+00:00", inv[t3.pk], 4, comment="Fine")
    r4 = _rate("2026-03-02T10:00:00+00:00", inv[t4.pk], 1, nps=9, comment="Bad line")
    # T1 is reopened, moved and solved again after its rating
    _reopen("2026-03-02T11:00:00+00:00", t1)
    _update(
        "2026-03-02T11:30:00+00:00",
        t1,
        rep,
        team=other_team,
        assignee=rep_other_team,
        priority="high",
    )
    _update("2026-03-02T12:00:00+00:00", t1, rep_other_team, status="solved")
    # T2 is reopened and moved, and rated while open
    _reopen("2026-03-02T10:30:00+00:00", t2)
    _update("2026-03-02T11:00:00+00:00", t2, rep, team=other_team, assignee=rep_other_team)
    r2 = _rate("2026-03-02T11:30:00+00:00", inv[t2.pk], 5, comment="Thanks")
    return {"t": (t1, t2, t3, t4), "r": (r1, r2, r3, r4)}


def _where(response: SurveyResponse) -> tuple:
    response.refresh_from_db()
    return (response.attributed, response.agent_id, response.team_id, response.priority)


def _figures(teams=None, **kw) -> dict:
    f = DashboardFilter(start=DAY, end=DAY, **kw)
    return survey_figures({"cur": f, "prev": f.previous()}, teams)["cur"]


def test_submission_stores_the_attribution_at_the_last_solve_before_it(
    story, team, other_team, rep, rep_other_team
):
    r1, r2, r3, r4 = story["r"]
    assert _where(r1) == (True, rep.pk, team.pk, "normal")  # not the 12:00 re-solve
    assert _where(r2) == (True, rep.pk, team.pk, "normal")  # open when rated
    assert _where(r3) == (True, rep_other_team.pk, other_team.pk, "urgent")
    assert _where(r4) == (True, None, team.pk, "low")


def test_a_newer_answer_replaces_the_old_one_with_its_own_attribution(
    story, team, other_team, rep_other_team
):
    # given T1 was re-solved at 12:00 by otto in Billing (high); the customer answers again
    t1 = story["t"][0]
    second = _invite(t1)
    newer = _rate("2026-03-02T13:00:00+00:00", second, 5)
    # then the new answer is current and goes to the re-solve; the old one is history
    assert _where(newer) == (True, rep_other_team.pk, other_team.pk, "high")
    assert SurveyResponse.objects.filter(ticket=t1, is_current=True).get() == newer
    # Tier 1 keeps T2 (5) and T4 (1); Billing has T3 (4) and now T1 (5)
    assert _figures(frozenset({team.pk})) == (50.0, 2, None, 0)
    assert _figures(frozenset({other_team.pk})) == (100.0, 2, None, 0)


def test_figures_follow_the_stored_attribution(story, team, other_team, rep, rep_other_team):
    # all teams: 4 ratings, positive T2 (5) and T3 (4); NPS from T4's one answer (9: promoter)
    assert _figures() == (50.0, 4, 100.0, 1)
    # Tier 1: T1 (2), T2 (5), T4 (1) -> 1 of 3 positive; NPS has no team (§9.25)
    assert _figures(frozenset({team.pk})) == pytest.approx((100 / 3, 3, None, 0))
    # Billing: T3 only, though T1 and T2 are in Billing now
    assert _figures(frozenset({other_team.pk})) == (100.0, 1, None, 0)
    # agents: rita T1 + T2; otto T3; unassigned T4
    assert _figures(agent=rep.pk) == (50.0, 2, None, 0)
    assert _figures(agent=rep_other_team.pk) == (100.0, 1, None, 0)
    assert _figures(agent="unassigned") == (0.0, 1, None, 0)
    # priority at the solve: normal T1 + T2, urgent T3, none high (T1 is high only later)
    assert _figures(priority="normal") == (50.0, 2, None, 0)
    assert _figures(priority="urgent") == (100.0, 1, None, 0)
    assert _figures(priority="high") == (None, 0, None, 0)
    # creation channel: phone is T4 alone, and NPS still counts (not a team dimension)
    assert _figures(channel="phone") == (0.0, 1, 100.0, 1)
    assert _figures(channel="email") == (pytest.approx(200 / 3), 3, None, 0)


def test_unattributed_ratings_count_only_in_the_unscoped_view(story, team, rep):
    # given an answer stored before any solve of its ticket (unattributed)
    t = _ticket(team)
    invitation = SurveyInvitation.objects.create(
        ticket=t,
        solve_event=t.events.get(type="created"),
        email=t.requester.email,
        created_at=t.created_at,
    )
    loose = _rate("2026-03-02T09:30:00+00:00", invitation, 5, comment="Quick")
    assert _where(loose) == (False, None, None, "")
    # then all teams count it (3 of 5 positive), with the email channel filter too
    assert _figures() == (60.0, 5, 100.0, 1)
    assert _figures(channel="email") == (75.0, 4, None, 0)
    # and no team, agent (not even "unassigned") or priority view does
    assert _figures(frozenset({team.pk})) == pytest.approx((100 / 3, 3, None, 0))
    assert _figures(agent="unassigned") == (0.0, 1, None, 0)
    assert _figures(agent=rep.pk) == (50.0, 2, None, 0)
    assert _figures(priority="normal") == (50.0, 2, None, 0)


def test_voice_labels_an_unattributed_answer(story, director_client, team):
    t = _ticket(team)
    invitation = SurveyInvitation.objects.create(
        ticket=t,
        solve_event=t.events.get(type="created"),
        email=t.requester.email,
        created_at=t.created_at,
    )
    _rate("2026-03-02T09:30:00+00:00", invitation, 5, comment="Quick")
    with time_machine.travel("2026-03-02T15:00:00+00:00", tick=False):
        page = director_client.get("/kpis/voice/", {**QUERY, "q": "Quick"}).context["page"]
    assert [(r.ticket_id, r.credited_team, r.credited_agent) for r in page] == [
        (t.pk, "Unattributed", "Unattributed")
    ]


def test_previous_period_is_counted_by_submission_day(story, team):
    # the story's ratings are all on 2026-03-02: the next day sees them as its previous period
    f = DashboardFilter(start=date(2026, 3, 3), end=date(2026, 3, 3))
    figures = survey_figures({"cur": f, "prev": f.previous()}, frozenset({team.pk}))
    assert figures["cur"] == (None, 0, None, 0)
    assert figures["prev"] == pytest.approx((100 / 3, 3, None, 0))


def test_rated_lists_the_answers_behind_the_tile(story, team, rep):
    t1, t2, _t3, t4 = story["t"]

    def tickets(teams=None, **kw) -> list[int]:
        f = DashboardFilter(start=DAY, end=DAY, **kw)
        return sorted(rated(f, teams).values_list("ticket_id", flat=True))

    assert tickets(frozenset({team.pk})) == [t1.pk, t2.pk, t4.pk]
    assert tickets(agent=rep.pk) == [t1.pk, t2.pk]
    assert tickets(agent="unassigned") == [t4.pk]


def test_manager_dashboard_and_voice_use_the_rating_attribution(
    story, manager_client, director_client, rep, rep_other_team
):
    t1, t2, t3, t4 = story["t"]
    with time_machine.travel("2026-03-02T15:00:00+00:00", tick=False):
        tile = manager_client.get("/kpis/", QUERY).context["summary"].tiles["csat"]
        mine = manager_client.get("/kpis/voice/", {**QUERY, "with_comment": "on"})
        everyone = director_client.get("/kpis/voice/", {**QUERY, "with_comment": "on"})
        urgent = director_client.get("/kpis/voice/", {**QUERY, "priority": "urgent"})
    # the manager's tile counts T1, T2 and T4 (all attributed to Tier 1)
    assert (tile.value, tile.count) == (pytest.approx(100 / 3), 3)
    # the voice list shows the manager the ones on tickets they may still open: T4 only
    # (T1 and T2 moved to Billing); the director sees every answer
    assert [r.ticket_id for r in mine.context["page"]] == [t4.pk]
    assert [r.ticket_id for r in everyone.context["page"]] == [t2.pk, t4.pk, t3.pk, t1.pk]
    # each answer names the team and agent its rating counts for, not the ticket's current ones
    assert [(r.credited_team, r.credited_agent) for r in everyone.context["page"]] == [
        ("Tier 1", rep.get_full_name()),
        ("Tier 1", "Unassigned"),
        ("Billing", rep_other_team.get_full_name()),
        ("Tier 1", rep.get_full_name()),
    ]
    assert [r.ticket_id for r in urgent.context["page"]] == [t3.pk]


def test_voice_refuses_another_team_filter_for_a_manager(story, manager_client, other_team):
    response = manager_client.get("/kpis/voice/", {**QUERY, "team": other_team.pk})
    # the form only offers the manager's teams: an error, and no answers
    assert response.status_code == 200
    assert "team" in response.context["form"].errors
    assert list(response.context["page"]) == []


def test_incomplete_attribution_is_refused_by_the_database(story):
    r1 = story["r"][0]
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyResponse.objects.filter(pk=r1.pk).update(priority="")
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyResponse.objects.filter(pk=r1.pk).update(attributed=False)


def test_backfill_migration_restores_every_attribution(story, team, rep):
    # given answers whose attribution was never computed (as before migration 0008)
    before = {r.pk: _where(r) for r in story["r"]}
    SurveyResponse.objects.update(attributed=False, agent_id=None, team_id=None, priority="")
    migration = importlib.import_module("tickets.migrations.0008_survey_attribution")
    # when the backfill runs in batches of 3 (so over two batches)
    migration.BATCH = 3
    try:
        migration.backfill(apps, None)
    finally:
        migration.BATCH = 500
    # then every answer is attributed as at submission
    assert {r.pk: _where(r) for r in story["r"]} == before
    assert before[story["r"][0].pk] == (True, rep.pk, team.pk, "normal")


def test_admin_shows_the_attribution_read_only(story, client_for, admin_user, team):
    r1 = story["r"][0]
    response = client_for(admin_user).get(f"/admin/tickets/surveyresponse/{r1.pk}/change/")
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("attributed", "agent_id", "team_id", "priority"):
        assert f'name="{name}"' not in html  # no input: read-only
        assert f"field-{name}" in html
    listing = client_for(admin_user).get("/admin/tickets/surveyresponse/?attributed__exact=1")
    assert listing.status_code == 200
    assert listing.context["cl"].result_count == 4
