"""The staff development pages: forms, errors next to fields, what each role sees."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from staffing.models import QAReview, Scorecard, StaffCertification, TrainingRecord
from staffing.services import onboarding
from tests.factories import UserFactory
from tests.staffing import builders

pytestmark = pytest.mark.django_db
NOW = "2026-03-10 09:00Z"


@time_machine.travel(NOW, tick=False)
def test_rep_sees_own_training_page_and_not_a_colleagues(rep_client, rep, rep2):
    builders.record(rep, builders.course("Privacy"), due_date=date(2026, 3, 1))
    response = rep_client.get(f"/staff/people/{rep.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-course="Privacy" data-state="overdue"' in page
    assert "Record a certification" not in page
    assert rep_client.get(f"/staff/people/{rep2.pk}/").status_code == 404


@time_machine.travel(NOW, tick=False)
def test_rep_completes_a_course_with_an_evidence_file(rep_client, rep, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    record = builders.record(rep)
    response = rep_client.post(
        f"/staff/training/{record.pk}/complete/",
        {
            "completed_on": "2026-03-10",
            "hours": "3",
            "evidence_file": SimpleUploadedFile(
                "cert.pdf", b"%PDF-1.4 done", content_type="application/pdf"
            ),
        },
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.completed_on, str(record.hours)) == (date(2026, 3, 10), "3.00")
    download = rep_client.get(f"/staff/training/{record.pk}/evidence/")
    assert b"".join(download.streaming_content) == b"%PDF-1.4 done"


@time_machine.travel(NOW, tick=False)
def test_completion_before_assignment_shows_the_error_next_to_the_field(rep_client, rep):
    record = builders.record(rep)
    response = rep_client.post(
        f"/staff/training/{record.pk}/complete/", {"completed_on": "2026-03-01", "hours": "-1"}
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="completed_on-errors"' in page
    assert "The completion cannot be before the assignment (2026-03-10)." in page
    assert "Hours cannot be negative." in page
    assert TrainingRecord.objects.get(pk=record.pk).completed_on is None


@time_machine.travel(NOW, tick=False)
def test_manager_assigns_a_course_to_the_team_from_the_team_page(manager_client, team, rep, rep2):
    course = builders.course()
    response = manager_client.post(
        "/staff/courses/assign/",
        {
            "course": course.pk,
            "team": team.pk,
            "due_date": "2026-04-01",
            "next": f"/staff/teams/{team.pk}/",
        },
    )
    assert (response.status_code, response["Location"]) == (302, f"/staff/teams/{team.pk}/")
    assert TrainingRecord.objects.filter(course=course).count() == 2


@time_machine.travel(NOW, tick=False)
def test_manager_records_a_certification_expiring_soon_and_sees_it_flagged(
    manager_client, rep, team
):
    cert = builders.certification()
    response = manager_client.post(
        f"/staff/people/{rep.pk}/certifications/",
        {"certification": cert.pk, "issued_on": "2024-03-30", "expires_on": "2026-03-30"},
    )
    assert response.status_code == 302
    team_page = manager_client.get(f"/staff/teams/{team.pk}/").content.decode()
    assert 'data-person="rita" data-status="due_soon"' in team_page
    assert "Certified Support Pro: expires 2026-03-30" in team_page
    # a duplicate is refused next to the field
    again = manager_client.post(
        f"/staff/people/{rep.pk}/certifications/",
        {"certification": cert.pk, "issued_on": "2026-03-01"},
    )
    assert again.status_code == 422
    assert "Duplicate active certification." in again.content.decode()
    assert StaffCertification.objects.count() == 1


@time_machine.travel(NOW, tick=False)
def test_qa_review_scored_in_the_page_and_acknowledged_by_the_rep(
    manager_client, rep_client, team, rep, manager
):
    card = builders.scorecard(manager)
    ticket = builders.assigned_ticket(team, rep)
    start = manager_client.post("/staff/qa/start/", {"ticket": ticket.pk, "scorecard": card.pk})
    review = QAReview.objects.get()
    assert start["Location"] == f"/staff/qa/{review.pk}/"
    criteria = list(review.scorecard_version.criteria.order_by("order"))
    bad = {f"criterion_{c.pk}": 9 for c in criteria}
    response = manager_client.post(f"/staff/qa/{review.pk}/", bad)
    assert response.status_code == 422
    assert "Greeting is scored from 0 to 5." in response.content.decode()
    good = {f"criterion_{c.pk}": v for c, v in zip(criteria, (5, 4, 1), strict=True)}
    assert manager_client.post(f"/staff/qa/{review.pk}/", good).status_code == 302
    # the rep acknowledges through htmx: the review region comes back
    ack = rep_client.post(f"/staff/qa/{review.pk}/acknowledge/", HTTP_HX_REQUEST="true")
    assert ack.status_code == 200
    assert 'id="review-state">Acknowledged<' in ack.content.decode()


def test_qa_start_with_a_ticket_outside_the_managers_teams_is_404(
    manager_client, manager, other_team, rep_other_team
):
    card = builders.scorecard(manager)
    ticket = builders.assigned_ticket(other_team, rep_other_team)
    response = manager_client.post("/staff/qa/start/", {"ticket": ticket.pk, "scorecard": card.pk})
    assert response.status_code == 404
    assert QAReview.objects.count() == 0


@time_machine.travel(NOW, tick=False)
def test_onboarding_page_shows_late_steps_to_the_manager(manager_client, manager, rep):
    t = builders.template(steps=[{"kind": "shadowing", "title": "Shadow Sam", "due_after_days": 2}])
    onboarding.create_plan(user=rep, template=t, start_date=date(2026, 3, 1), by=manager)
    page = manager_client.get("/staff/onboarding/").content.decode()
    assert "Shadow Sam (due 2026-03-03)" in page


@time_machine.travel(NOW, tick=False)
def test_manager_adds_a_member_who_gets_the_required_courses(manager_client, team, rep_other_team):
    builders.course("Tier 1 tools").required_for_teams.add(team)
    response = manager_client.post(f"/staff/teams/{team.pk}/members/", {"user": rep_other_team.pk})
    assert response.status_code == 302
    assert team.members.filter(pk=rep_other_team.pk).exists()
    assert list(
        TrainingRecord.objects.filter(user=rep_other_team).values_list("course__title", "source")
    ) == [("Tier 1 tools", "required")]


@time_machine.travel(NOW, tick=False)
def test_team_page_query_count_does_not_grow_with_members(
    manager_client, team, django_assert_max_num_queries
):
    cert = builders.certification(required_for_roles=["Rep"])
    for n in range(12):
        person = UserFactory(username=f"member{n}", role="Rep")
        team.members.add(person)
        builders.record(person, builders.course(f"Course {n}"), due_date=date(2026, 3, 1))
        if n % 2:
            builders.held(person, cert, issued_on=date(2025, 1, 1), expires_on=date(2026, 4, 1))
    with django_assert_max_num_queries(25):
        response = manager_client.get(f"/staff/teams/{team.pk}/")
    assert response.content.decode().count('data-status="overdue"') == 12


def test_compliance_is_for_managers_and_directors(rep_client, director_client, team):
    assert rep_client.get("/staff/compliance/").status_code == 403
    assert director_client.get("/staff/compliance/").status_code == 200


@time_machine.travel(NOW, tick=False)
def test_admin_adding_team_members_assigns_required_courses(client, team):
    admin = UserFactory(username="adam", role="Admin")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    required = builders.course("Tier 1 tools")
    required.required_for_teams.add(team)
    newcomer = UserFactory(username="nina", role="Rep")
    client.force_login(admin)
    response = client.post(
        f"/admin/staffing/team/{team.pk}/change/",
        {
            "name": team.name,
            "slug": team.slug,
            "tier": 1,
            "description": "",
            "members": [newcomer.pk],
            "managers": [],
        },
    )
    assert response.status_code == 302, response.content[:500]
    record = TrainingRecord.objects.get(user=newcomer)
    assert (record.course, record.source, record.due_date) == (
        required,
        "required",
        date(2026, 3, 10) + timedelta(days=30),
    )
    assert Group.objects.filter(name="Rep").exists()


def _scorecard_post(name: str, rows: list[tuple[str, str, str, bool]]) -> dict:
    data = {
        "name": name,
        "pass_percent": "80",
        "criteria-TOTAL_FORMS": "6",
        "criteria-INITIAL_FORMS": "0",
    }
    for i, (criterion, weight, top, critical) in enumerate(rows):
        data |= {
            f"criteria-{i}-name": criterion,
            f"criteria-{i}-weight": weight,
            f"criteria-{i}-max_score": top,
            f"criteria-{i}-fail_below": "1",
        }
        if critical:
            data[f"criteria-{i}-critical"] = "on"
    for i in range(len(rows), 6):  # untouched extra rows keep their initial values
        data |= {
            f"criteria-{i}-weight": "1",
            f"criteria-{i}-max_score": "5",
            f"criteria-{i}-fail_below": "1",
        }
    return data


def test_manager_creates_a_scorecard_and_revises_it_into_version_2(manager_client, manager):
    first = manager_client.post(
        "/staff/qa/scorecards/",
        _scorecard_post("Chat QA", [("Tone", "1", "5", False), ("Policy", "2", "1", True)]),
    )
    assert first.status_code == 302
    second = manager_client.post(
        "/staff/qa/scorecards/", _scorecard_post("Chat QA", [("Tone", "1", "5", False)])
    )
    assert second.status_code == 302
    card = Scorecard.objects.get(name="Chat QA")
    assert [
        (v.number, [(c.name, c.critical) for c in v.criteria.all()]) for v in card.versions.all()
    ] == [(2, [("Tone", False)]), (1, [("Tone", False), ("Policy", True)])]
    empty = manager_client.post("/staff/qa/scorecards/", _scorecard_post("Empty", []))
    assert empty.status_code == 422
    assert "A scorecard needs at least one criterion." in empty.content.decode()


def test_certification_catalog_page(manager_client, rep_client):
    response = manager_client.post(
        "/staff/certifications/",
        {
            "name": "Chat Pro",
            "issuing_body": "CX Institute",
            "validity_months": "36",
            "ce_hours_required": "25",
            "ce_cycle_months": "36",
            "required_for_roles": ["Rep"],
        },
    )
    assert response.status_code == 302
    page = rep_client.get("/staff/certifications/").content.decode()
    assert 'data-certification="Chat Pro"' in page
    assert "25.00 every 36 months" in page
    assert 'id="certification-form"' not in page
    assert rep_client.post("/staff/certifications/", {"name": "X"}).status_code == 403


def test_onboarding_template_page(manager_client):
    course = builders.course()
    data = {
        "name": "Chat reps",
        "role": "Rep",
        "steps-TOTAL_FORMS": "2",
        "steps-INITIAL_FORMS": "0",
        "steps-0-kind": "course",
        "steps-0-title": "Basics",
        "steps-0-due_after_days": "3",
        "steps-1-due_after_days": "7",
    }
    missing = manager_client.post("/staff/onboarding/templates/", data)
    assert missing.status_code == 422
    assert "Step 1 (Basics) needs a course." in missing.content.decode()
    ok = manager_client.post("/staff/onboarding/templates/", data | {"steps-0-course": course.pk})
    assert ok.status_code == 302
    page = manager_client.get("/staff/onboarding/templates/").content.decode()
    assert 'data-template="Chat reps"' in page
