"""Hostile input through the pages and the API, as a director: every answer is a form error
or a JSON error body, never a 500 (issue 13 §4, one test per root cause found)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from policies.models import SlaPolicy
from staffing.models import Certification, Course, PerformanceReview, Scorecard
from tests.factories import UserFactory, make_ticket
from tests.tickets.test_search_index import distinct_words, found
from tickets.models import TicketEvent

pytestmark = pytest.mark.django_db

J = "application/json"
HUGE = 2**40
SMALLINT_MAX = 32767
INT_MAX = 2**31 - 1
OUT_OF_RANGE = "Enter a date between 1900-01-01 and 2999-12-31."


@pytest.fixture
def api(director) -> APIClient:
    client = APIClient()
    client.force_authenticate(director)
    return client


def field_errors(response, name: str, form: str = "form") -> list[str]:
    return list(response.context[form].errors.get(name, []))


def api_fields(response) -> dict:
    body = response.json()
    assert body["error"] == "invalid", body
    return body["fields"]


# --- 1. A 2 MB message of distinct words ---------------------------------------------------


def test_2mb_note_through_the_page_and_the_api_is_stored_and_searchable(director_client, api, team):
    ticket = make_ticket(team)
    body = distinct_words(2_000_000)
    page = director_client.post(
        reverse("tickets:ticket-reply", args=[ticket.pk]),
        {"body": body, "kind": "note", "status": "", "version": ticket.version},
    )
    assert page.status_code == 302
    response = api.post(
        f"/api/v1/tickets/{ticket.pk}/events/",
        {"body": body, "public": True, "version": ticket.version + 1},
        format="json",
    )
    assert response.status_code == 201, response.content[:300]
    bodies = TicketEvent.objects.filter(ticket=ticket, body=body).values_list("type", flat=True)
    assert sorted(bodies) == ["internal_note", "public_reply"]
    assert found(ticket, "quokka")


# --- 2. JSON nested 50,000 deep ------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/api/v1/tickets/", "/api/v1/courses/", "/api/v1/sla-policies/", "/api/v1/goals/"]
)
def test_json_nested_50000_deep_is_400(api, url):
    response = api.post(url, "[" * 50_000 + "]" * 50_000, content_type=J)
    assert response.status_code == 400
    assert response.json()["error"] == "parse_error"


# --- 3. Numbers larger than their column ---------------------------------------------------


def test_course_recurrence_beyond_a_smallint_is_refused(director_client, api):
    page = director_client.post(
        "/staff/courses/",
        {"title": "Refunds", "hours": "2", "delivery": "online", "recurrence_months": "40000"},
    )
    assert page.status_code == 422
    assert field_errors(page, "recurrence_months", form="course_form") == [
        f"Ensure this value is less than or equal to {SMALLINT_MAX}."
    ]
    response = api.post(
        "/api/v1/courses/",
        {"title": "Refunds", "hours": "2", "recurrence_months": 40000},
        format="json",
    )
    assert response.status_code == 400
    assert api_fields(response) == {
        "recurrence_months": [f"Ensure this value is less than or equal to {SMALLINT_MAX}."]
    }
    assert Course.objects.count() == 0


def test_certification_validity_beyond_a_smallint_is_refused(director_client, api):
    page = director_client.post(
        "/staff/certifications/",
        {"name": "CCSP", "validity_months": "31718272991", "ce_hours_required": "0"},
    )
    assert page.status_code == 422
    assert field_errors(page, "validity_months") == [
        f"Ensure this value is less than or equal to {SMALLINT_MAX}."
    ]
    response = api.post(
        "/api/v1/certifications/",
        {"name": "CCSP", "validity_months": 31718272991, "ce_cycle_months": 40000},
        format="json",
    )
    assert response.status_code == 400
    assert api_fields(response) == {
        "validity_months": [f"Ensure this value is less than or equal to {SMALLINT_MAX}."],
        "ce_cycle_months": [f"Ensure this value is less than or equal to {SMALLINT_MAX}."],
    }
    assert Certification.objects.count() == 0


def test_sla_policy_position_and_minutes_beyond_an_integer_are_refused(director_client, api):
    page = director_client.post(
        "/policies/sla/new/",
        {
            "name": "Gold",
            "position": str(HUGE),
            "active": "on",
            "at_risk_fraction": "0.2",
            "t_high_first_reply": str(HUGE),
        },
    )
    assert page.status_code == 422
    too_big = [f"Ensure this value is less than or equal to {INT_MAX}."]
    assert field_errors(page, "position") == too_big
    assert field_errors(page, "t_high_first_reply") == too_big
    response = api.post(
        "/api/v1/sla-policies/",
        {
            "name": "Gold",
            "position": HUGE,
            "targets": [{"priority": "high", "metric": "first_reply", "minutes": HUGE}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert api_fields(response) == {"position": too_big, "targets.0.minutes": too_big}
    assert SlaPolicy.objects.count() == 0


# --- 4. The drill-down with a bad filter ---------------------------------------------------


@pytest.mark.parametrize(
    ("_case", "query", "field"),
    [
        ("unknown team", "team=999999", "team"),
        ("team beyond bigint", "team=99999999999999999999999", "team"),
        ("not a date", "preset=custom&start=yesterday", "start"),
        ("start after end", "start=2026-05-01&end=2026-01-01", "end"),
    ],
)
def test_drill_with_a_bad_filter_is_422(_case, query, field, director_client):
    url = f"/kpis/drill/?metric=created&{query}"
    page = director_client.get(url)
    assert page.status_code == 422
    assert field in page.context["form"].errors
    as_json = director_client.get(url, HTTP_ACCEPT=J)
    assert as_json.status_code == 422
    body = as_json.json()
    assert (body["error"], list(body["fields"])) == ("invalid", [field])
    assert body["detail"].startswith(f"Invalid filter ({field}: ")
    region = director_client.get(url, HTTP_HX_REQUEST="true")
    assert region.status_code == 422
    assert b'data-error="invalid"' in region.content
    export = director_client.get(f"/kpis/export/tickets.csv?metric=created&{query}")
    assert export.status_code == 422
    assert f"Invalid filter ({field}: ".encode() in export.content


# --- 5. A page number beyond bigint --------------------------------------------------------


def test_queue_page_beyond_bigint_shows_the_last_page(director_client, team):
    ticket = make_ticket(team)
    response = director_client.get("/tickets/?page=9223372036854775807&status=any")
    assert response.status_code == 200
    assert [t.pk for t in response.context["page"].tickets] == [ticket.pk]
    assert response.context["page"].number == 1


def _paginated_api_lists() -> list[str]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        path
        for path, operations in schema["paths"].items()
        if "{" not in path
        and any(p["name"] == "page" for p in operations.get("get", {}).get("parameters", []))
    ]


def test_every_paginated_api_list_answers_404_json_beyond_bigint(api):
    lists = _paginated_api_lists()
    assert {"/api/v1/tickets/", "/api/v1/courses/", "/api/v1/qa-reviews/"} <= set(lists)
    answers = {url: api.get(f"{url}?page=9223372036854775807") for url in lists}
    assert {url: (r.status_code, r.json()["error"]) for url, r in answers.items()} == {
        url: (404, "not_found") for url in lists
    }


# --- 6. Performance-review dates in year 9999 ----------------------------------------------


def test_performance_review_in_year_9999_is_a_form_error(director_client, team):
    rep = UserFactory(username="rhea", role="Rep")
    team.members.add(rep)
    page = director_client.post(
        f"/staff/people/{rep.pk}/reviews/new/",
        {"period_start": "9999-12-01", "period_end": "9999-12-31", "summary": "Fine."},
    )
    assert page.status_code == 422
    assert field_errors(page, "period_start") == [OUT_OF_RANGE]
    assert field_errors(page, "period_end") == [OUT_OF_RANGE]
    assert PerformanceReview.objects.count() == 0


def test_kpi_range_and_goal_in_year_9999_are_refused(director_client, api):
    summary = api.get("/api/v1/kpis/summary/?start=9999-12-31&end=9999-12-31")
    assert summary.status_code == 400
    assert api_fields(summary) == {"start": [OUT_OF_RANGE], "end": [OUT_OF_RANGE]}
    page = director_client.get("/kpis/?preset=custom&start=9999-12-31&end=9999-12-31")
    assert page.status_code == 422
    assert field_errors(page, "end") == [OUT_OF_RANGE]
    period = {"period_start": "9999-12-01", "period_end": "9999-12-31"}
    goal = api.post("/api/v1/goals/", {"metric": "fcr", "target": "50", **period}, format="json")
    assert goal.status_code == 400
    assert api_fields(goal) == {"period_start": [OUT_OF_RANGE], "period_end": [OUT_OF_RANGE]}
    goal_page = director_client.post(
        "/kpis/goals/", {"metric": "fcr", "hours": "business", "target": "50", **period}
    )
    assert goal_page.status_code == 422
    assert field_errors(goal_page, "period_end") == [OUT_OF_RANGE]


def test_certification_issued_in_year_9999_is_refused(api, team):
    rep = UserFactory(username="rhea", role="Rep")
    team.members.add(rep)
    cert = Certification.objects.create(name="CCSP", validity_months=12)
    response = api.post(
        "/api/v1/staff-certifications/",
        {"user": rep.pk, "certification": cert.pk, "issued_on": "9999-12-31"},
        format="json",
    )
    assert response.status_code == 400
    assert api_fields(response) == {"issued_on": [OUT_OF_RANGE]}


# --- 7. A QA criterion weight of 1e30 ------------------------------------------------------


def test_qa_criterion_weight_of_1e30_is_a_form_error(director_client):
    data = {
        "name": "Chat QA",
        "pass_percent": "80",
        "criteria-TOTAL_FORMS": "1",
        "criteria-INITIAL_FORMS": "0",
        "criteria-0-name": "Tone",
        "criteria-0-weight": "1e30",
        "criteria-0-max_score": "5",
        "criteria-0-fail_below": "1",
    }
    page = director_client.post("/staff/qa/scorecards/", data)
    assert page.status_code == 422
    assert page.context["formset"].errors == [
        {"weight": ["Ensure that there are no more than 6 digits in total."]}
    ]
    assert Scorecard.objects.count() == 0
