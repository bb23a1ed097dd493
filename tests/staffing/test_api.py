"""The staff development API: same rules as the pages, exact error bodies."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from staffing.models import StaffCertification, TrainingRecord
from tests.staffing import builders

pytestmark = pytest.mark.django_db
NOW = "2026-03-10 09:00Z"


def _post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_lists_are_scoped_to_own_team_and_all(
    client_for, rep, rep2, rep_other_team, manager, director
):
    for person in (rep, rep2, rep_other_team):
        builders.record(person, builders.course(f"Course for {person.username}"))
    counts = {
        u.username: client_for(u).get("/api/v1/training-records/").json()["count"]
        for u in (rep, manager, director)
    }
    assert counts == {"rita": 1, "maria": 2, "diane": 3}


def test_rep_may_not_create_courses(rep_client):
    response = _post(rep_client, "/api/v1/courses/", {"title": "X", "hours": "1"})
    assert (response.status_code, response.json()) == (
        403,
        {
            "error": "not_allowed",
            "detail": "Only managers and directors edit the training catalog.",
            "fields": {},
        },
    )


@time_machine.travel(NOW, tick=False)
def test_manager_assigns_through_the_api_and_rep_completes(manager_client, rep_client, rep, team):
    course = builders.course()
    response = _post(
        manager_client,
        "/api/v1/training-records/",
        {"course": course.pk, "user": rep.pk, "due_date": "2026-04-01"},
    )
    assert response.status_code == 201
    pk = response.json()["id"]
    bad = _post(
        rep_client,
        f"/api/v1/training-records/{pk}/complete/",
        {"completed_on": "2026-03-09", "hours": "-2"},
    )
    assert (bad.status_code, bad.json()) == (
        422,
        {
            "error": "invalid",
            "detail": "The completion is not valid.",
            "fields": {
                "completed_on": ["The completion cannot be before the assignment (2026-03-10)."],
                "hours": ["Hours cannot be negative."],
            },
        },
    )
    ok = _post(
        rep_client,
        f"/api/v1/training-records/{pk}/complete/",
        {"completed_on": "2026-03-10", "score": "88"},
    )
    assert (ok.status_code, ok.json()["completed_on"], ok.json()["hours"]) == (
        200,
        "2026-03-10",
        "2.50",
    )
    assert TrainingRecord.objects.get(pk=pk).score == 88


@time_machine.travel(NOW, tick=False)
def test_staff_certification_errors(manager_client, rep):
    cert = builders.certification()
    url = "/api/v1/staff-certifications/"
    bad = _post(
        manager_client,
        url,
        {
            "user": rep.pk,
            "certification": cert.pk,
            "issued_on": "2026-03-01",
            "expires_on": "2026-02-01",
        },
    )
    assert (bad.status_code, bad.json()["fields"]) == (
        422,
        {"expires_on": ["Must be after the issue date."]},
    )
    assert (
        _post(
            manager_client,
            url,
            {"user": rep.pk, "certification": cert.pk, "issued_on": "2026-03-01"},
        ).status_code
        == 201
    )
    dup = _post(
        manager_client, url, {"user": rep.pk, "certification": cert.pk, "issued_on": "2026-03-02"}
    )
    assert (dup.status_code, dup.json()["fields"]) == (
        422,
        {"certification": ["Duplicate active certification."]},
    )
    malformed = _post(
        manager_client, url, {"user": rep.pk, "certification": cert.pk, "issued_on": "yesterday"}
    )
    assert malformed.status_code == 400
    assert StaffCertification.objects.count() == 1


def test_qa_review_through_the_api(
    manager_client, rep_client, team, rep, manager, rep_other_team, client_for
):
    card = builders.scorecard(manager)
    ticket = builders.assigned_ticket(team, rep)
    created = _post(
        manager_client, "/api/v1/qa-reviews/", {"ticket": ticket.pk, "scorecard": card.pk}
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    criteria = list(card.current_version.criteria.order_by("order"))
    out_of_range = _post(
        manager_client,
        f"/api/v1/qa-reviews/{pk}/score/",
        {
            "scores": [
                {"criterion": c.pk, "score": s} for c, s in zip(criteria, (5, 4, 2), strict=True)
            ]
        },
    )
    assert (out_of_range.status_code, out_of_range.json()["fields"]) == (
        422,
        {f"criterion_{criteria[2].pk}": ["Policy followed is scored from 0 to 1."]},
    )
    scored = _post(
        manager_client,
        f"/api/v1/qa-reviews/{pk}/score/",
        {
            "scores": [
                {"criterion": c.pk, "score": s, "comment": "ok"}
                for c, s in zip(criteria, (5, 4, 1), strict=True)
            ]
        },
    )
    assert (scored.status_code, scored.json()["score"], scored.json()["state"]) == (
        200,
        "90.00",
        "submitted",
    )
    assert client_for(rep_other_team).get(f"/api/v1/qa-reviews/{pk}/").status_code == 404
    ack = _post(rep_client, f"/api/v1/qa-reviews/{pk}/acknowledge/", {})
    assert (ack.status_code, ack.json()["state"]) == (200, "acknowledged")
    again = _post(rep_client, f"/api/v1/qa-reviews/{pk}/dispute/", {"comment": "late"})
    assert (again.status_code, again.json()["error"]) == (422, "invalid_transition")


@time_machine.travel(NOW, tick=False)
def test_onboarding_plan_api_shows_progress(manager_client, manager, rep):
    course = builders.course()
    t = builders.template(steps=[{"kind": "course", "title": "Course", "course": course}])
    response = _post(
        manager_client,
        "/api/v1/onboarding-plans/",
        {"user": rep.pk, "template": t.pk, "start_date": "2026-03-10"},
    )
    assert response.status_code == 201
    body = manager_client.get(f"/api/v1/onboarding-plans/{response.json()['id']}/").json()
    assert (
        body["percent"],
        [(s["title"], s["done_on"], s["due_date"]) for s in body["steps"]],
    ) == (0, [("Course", None, str(date(2026, 3, 17)))])
