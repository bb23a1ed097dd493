"""Hiring pages: the board moves a candidate in place (htmx) and without JS, the hire shows the
new rep's onboarding plan, forms answer 422 with the error beside the field, and personal
data stays with the hiring team."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from csops.people import display_name
from staffing.hiring import services
from staffing.hiring.models import Candidate, Competency, Requisition, Stage
from staffing.models import OnboardingPlan
from tests.factories import UserFactory
from tests.staffing import hiring_builders as hb

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def req(team, manager, director):
    return hb.open_requisition(team, manager, director)


def test_home_shows_figures_pending_approvals_and_the_form(director_client, manager, team):
    services.open_requisition(
        by=manager, team=team, role="Rep", title="Night rep", count=2, reason="Nights uncovered"
    )
    r = director_client.get(reverse("staffing:hiring"))
    body = r.content.decode()
    assert r.status_code == 200
    assert "Night rep × 2" in body
    assert "Nights uncovered" in body
    assert 'name="approve" value="1"' in body  # a director approves here
    assert 'id="requisition-form"' in body


def test_a_manager_sees_no_approve_button(manager_client, manager, team):
    services.open_requisition(
        by=manager, team=team, role="Rep", title="Night rep", count=1, reason="Nights"
    )
    body = manager_client.get(reverse("staffing:hiring")).content.decode()
    assert "Night rep × 1" in body
    assert 'value="1" class="primary">Approve' not in body


def test_requisition_form_errors_are_422_beside_the_field(manager_client, team):
    r = manager_client.post(
        reverse("staffing:hiring-requisition-new"),
        {"team": team.pk, "role": "Rep", "title": "x", "count": 0, "reason": "y"},
    )
    assert r.status_code == 422
    assert 'id="count-errors"' in r.content.decode()
    assert not Requisition.objects.exists()


def test_board_move_swaps_the_board_in_place(manager_client, manager, req):
    c = hb.candidate(req, manager)
    r = manager_client.post(
        reverse("staffing:hiring-candidate-move", args=[c.pk]),
        {"to": "screen", "version": c.version, "from": "board"},
        HTTP_HX_REQUEST="true",
    )
    body = r.content.decode()
    assert r.status_code == 200
    assert body.lstrip().startswith('<section id="board"')
    assert 'id="col-screen"><h2>Screen <span class="muted">1</span>' in body
    assert "Nora Quinn moved to Screen." in body  # the confirmation, out of band
    assert Candidate.objects.get(pk=c.pk).stage == Stage.SCREEN


def test_a_stale_board_move_is_409_and_changes_nothing(manager_client, manager, director, req):
    c = hb.candidate(req, manager)
    services.move_candidate(c.pk, by=director, to=Stage.SCREEN)
    r = manager_client.post(
        reverse("staffing:hiring-candidate-move", args=[c.pk]),
        {"to": "rejected", "reason": "x", "version": 0, "from": "board"},
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 409
    assert "moved by someone else" in r.content.decode()
    assert Candidate.objects.get(pk=c.pk).stage == Stage.SCREEN


def test_hire_from_the_candidate_page_links_the_onboarding_plan(manager_client, manager, req):
    hb.onboarding_template()
    c = hb.to_offer(hb.candidate(req, manager), manager)
    r = manager_client.post(
        reverse("staffing:hiring-candidate-move", args=[c.pk]),
        {"to": "hired", "reason": "Great chat sample", "version": c.version},
    )
    assert r.status_code == 302
    plan = OnboardingPlan.objects.get(user__username="nora.quinn")
    body = manager_client.get(r["Location"]).content.decode()
    assert reverse("staffing:onboarding-plan", args=[plan.pk]) in body
    assert f"Hire by {display_name(manager)}" in body
    assert "Great chat sample" in body


def test_candidate_page_shows_scorecard_form_then_hides_until_submitted(
    team, manager_client, manager, director, req
):
    c = services.move_candidate(hb.candidate(req, manager).pk, by=manager, to=Stage.SCREEN)
    ratings = {
        comp.pk: 2
        for comp in c.scorecards.model._meta.apps.get_model(
            "staffing", "Competency"
        ).objects.filter(stage="screen")
    }
    services.submit_scorecard(c.pk, by=director, stage="screen", ratings=ratings, notes="Secret")
    url = reverse("staffing:hiring-candidate", args=[c.pk])
    body = manager_client.get(url).content.decode()
    assert "1 other scorecard submitted" in body
    assert "Secret" not in body
    # when: the manager submits theirs
    form = {"stage": "screen", **{f"c{pk}": 4 for pk in ratings}}
    r = manager_client.post(reverse("staffing:hiring-scorecard-submit", args=[c.pk]), form)
    assert r.status_code == 302
    body = manager_client.get(url).content.decode()
    assert "Secret" in body
    assert "average 2.0" in body
    assert "average 4.0" in body


def test_an_incomplete_scorecard_is_422(manager_client, manager, req):
    c = services.move_candidate(hb.candidate(req, manager).pk, by=manager, to=Stage.SCREEN)
    r = manager_client.post(
        reverse("staffing:hiring-scorecard-submit", args=[c.pk]), {"stage": "screen"}
    )
    assert r.status_code == 422
    assert "This field is required." in r.content.decode()
    assert not c.scorecards.exists()


def test_personal_data_is_hidden_from_other_teams_managers(other_team, manager, req):
    c = hb.candidate(req, manager, phone="+1 555 0199")
    outsider = UserFactory(username="olga", role="Manager")
    other_team.managers.add(outsider)
    client = Client()
    client.force_login(outsider)
    r = client.get(reverse("staffing:hiring-candidate", args=[c.pk]))
    assert r.status_code == 404
    assert "Nora" not in r.content.decode()
    assert "555 0199" not in r.content.decode()
    r = client.get(reverse("staffing:hiring"))
    assert r.status_code == 200
    assert "Support rep" not in r.content.decode()
    api = client.get(reverse("staffing-api:hiring-candidate-list"))
    assert api.json()["count"] == 0


def test_api_lists_scorecards_hidden_until_submitted(team, manager, director, req):
    c = services.move_candidate(hb.candidate(req, manager).pk, by=manager, to=Stage.SCREEN)
    api = Client()
    api.force_login(manager)
    url = reverse("staffing-api:hiring-candidate-scorecards", args=[c.pk])
    ratings = {str(pk): 3 for pk in _screen_ids()}
    api_d = Client()
    api_d.force_login(director)
    r = api_d.post(url, {"stage": "screen", "ratings": ratings}, content_type="application/json")
    assert r.status_code == 201
    assert api.get(url).json() == [{"stage": "screen", "mine": None, "others": [], "hidden": 1}]
    r = api.post(url, {"stage": "screen", "ratings": {"x": 1}}, content_type="application/json")
    assert r.status_code == 422
    assert r.json()["fields"] == {"ratings": ["Not an id."]}


def _screen_ids():
    return list(Competency.objects.filter(stage="screen").values_list("pk", flat=True))


def test_api_pipeline_from_requisition_to_hire(team, manager, director):
    hb.onboarding_template()
    boss, chief = Client(), Client()
    boss.force_login(manager)
    chief.force_login(director)
    # a manager asks, the director approves
    r = boss.post(
        reverse("staffing-api:hiring-requisition-list"),
        {"team": team.pk, "role": "Rep", "title": "Chat rep", "count": 1, "reason": "Peak"},
        content_type="application/json",
    )
    assert (r.status_code, r.json()["status"]) == (201, "pending")
    req = r.json()["id"]
    url = reverse("staffing-api:hiring-requisition-decide", args=[req])
    r = boss.post(url, {"approve": True}, content_type="application/json")
    assert r.status_code == 403
    assert r.json()["detail"] == "Only a director approves requisitions."
    r = chief.post(url, {"approve": True}, content_type="application/json")
    assert r.json()["status"] == "open"
    # a candidate with a CV (multipart), moved to the offer, then hired
    cv = SimpleUploadedFile("cv.pdf", PDF, content_type="application/pdf")
    r = boss.post(
        reverse("staffing-api:hiring-candidate-list"),
        {"requisition": req, "name": "Ida Park", "email": "ida@example.com", "source": "agency",
         "cv": cv},
    )  # fmt: skip
    assert (r.status_code, r.json()["has_cv"], r.json()["stage"]) == (201, True, "applied")
    pk = r.json()["id"]
    move = reverse("staffing-api:hiring-candidate-move", args=[pk])
    for version, stage in enumerate(["screen", "interview", "offer"]):
        r = boss.post(move, {"to": stage, "version": version}, content_type="application/json")
        assert r.json()["stage"] == stage
    r = boss.post(move, {"to": "hired", "version": 0}, content_type="application/json")
    assert r.status_code == 409
    r = boss.post(move, {"to": "hired", "version": 3}, content_type="application/json")
    assert r.status_code == 422
    assert r.json()["fields"] == {"reason": ["Give a reason."]}
    r = boss.post(
        move,
        {"to": "hired", "version": 3, "reason": "Great", "start_date": "2027-02-01"},
        content_type="application/json",
    )
    assert r.status_code == 200
    hired = r.json()["hired_user"]
    assert OnboardingPlan.objects.get(user_id=hired).start_date.isoformat() == "2027-02-01"


def test_board_page_queries_do_not_grow_with_candidates(
    manager_client, manager, req, django_assert_max_num_queries
):
    for n in range(8):
        hb.candidate(req, manager, name=f"Person {n}", email=f"p{n}@example.com")
    with django_assert_max_num_queries(25):
        r = manager_client.get(reverse("staffing:hiring-requisition", args=[req.pk]))
    assert r.content.decode().count('class="card board-card"') == 8


def test_director_declines_with_a_note_and_not_without(director_client, manager, team):
    req = services.open_requisition(
        by=manager, team=team, role="Rep", title="Night rep", count=1, reason="Nights"
    )
    url = reverse("staffing:hiring-requisition-decide", args=[req.pk])
    r = director_client.post(url, {"approve": "0", "note": ""})
    assert r.status_code == 422
    assert "Say why the requisition is declined." in r.content.decode()
    assert Requisition.objects.get(pk=req.pk).status == "pending"
    r = director_client.post(url, {"approve": "0", "note": "No budget until Q3"})
    assert r.status_code == 302
    req.refresh_from_db()
    assert (req.status, req.decision_note) == ("declined", "No budget until Q3")
    r = director_client.post(url, {"approve": "1"})
    assert r.status_code == 422
    assert "already declined" in r.content.decode()


def test_the_candidate_page_offers_no_move_to_the_current_stage(manager_client, manager, req):
    c = services.move_candidate(hb.candidate(req, manager).pk, by=manager, to=Stage.SCREEN)
    body = manager_client.get(reverse("staffing:hiring-candidate", args=[c.pk])).content.decode()
    assert '<option value="interview">' in body
    assert '<option value="screen">' not in body
