"""Directors manage calendars and SLA policies on the pages and through the API; bad input is
refused with the message next to its field (422); other roles are refused (403)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine

from policies.models import BusinessCalendar, CalendarVersion, SlaPolicy, SlaPolicyVersion
from tests.policies.sla_builders import make_calendar, make_policy

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def field_errors(response, name: str) -> list[str]:
    return response.context["form"].errors.get(name, [])


# --- calendars ------------------------------------------------------------------------------


def test_director_creates_a_calendar_with_split_overnight_shifts_and_holidays(director_client):
    with time_machine.travel(T0, tick=False):
        response = director_client.post(
            "/policies/calendars/new/",
            {
                "name": "Support desk",
                "time_zone": "America/New_York",
                "monday": "09:00-12:00, 13:00-17:00",
                "friday": "22:00-06:00",
                "holidays": "2026-12-25\n2026-12-24 09:00-13:00",
            },
        )
    version = CalendarVersion.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/policies/calendars/{version.calendar_id}/"
    assert (version.number, version.time_zone, version.effective_from) == (
        1,
        "America/New_York",
        T0,
    )
    assert version.weekly == {"0": [[540, 720], [780, 1020]], "4": [[1320, 1440]], "5": [[0, 360]]}
    assert version.holidays == {"2026-12-24": [[540, 780]], "2026-12-25": []}


@pytest.mark.parametrize(
    ("_case", "data", "field", "message"),
    [
        (
            "overlap",
            {"monday": "09:00-13:00, 12:00-17:00"},
            "monday",
            "Monday: Intervals 09:00–13:00 and 12:00–17:00 overlap.",
        ),
        (
            "empty interval",
            {"tuesday": "09:00-09:00"},
            "tuesday",
            "Tuesday: interval 09:00–09:00 is empty: its start must be before its end.",
        ),
        (
            "overnight spills onto the next day's hours",
            {"sunday": "22:00-10:00", "monday": "09:00-17:00"},
            "monday",
            "Monday: Intervals 00:00–10:00 and 09:00–17:00 overlap.",
        ),
        ("no hours at all", {}, None, "A schedule needs at least one weekly business interval."),
        (
            "bad holiday",
            {"monday": "09:00-17:00", "holidays": "25/12/2026"},
            "holidays",
            "'25/12/2026' is not a date: write YYYY-MM-DD.",
        ),
        (
            "bad time",
            {"monday": "9-5"},
            "monday",
            "Monday: '9' is not a time: write HH:MM, e.g. 09:00.",
        ),
    ],
)
def test_bad_calendar_input_is_refused_next_to_its_field(
    director_client, _case, data, field, message
):
    response = director_client.post(
        "/policies/calendars/new/", {"name": "Desk", "time_zone": "UTC", **data}
    )
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert errors[field or "__all__"] == [message]
    assert BusinessCalendar.objects.count() == 0


def test_editing_a_calendar_adds_a_version_and_keeps_the_old_one(director, director_client):
    with time_machine.travel(T0, tick=False):
        v1 = make_calendar(director)
    with time_machine.travel(datetime(2026, 3, 3, tzinfo=UTC), tick=False):
        page = director_client.get(f"/policies/calendars/{v1.calendar_id}/edit/")
        assert page.context["form"]["monday"].value() == "09:00-17:00"
        response = director_client.post(
            f"/policies/calendars/{v1.calendar_id}/edit/",
            {"time_zone": "Europe/Berlin", "monday": "08:00-16:00"},
        )
    assert response.status_code == 302
    assert list(CalendarVersion.objects.order_by("number").values_list("number", "weekly")) == [
        (1, {str(d): [[540, 1020]] for d in range(5)}),
        (2, {"0": [[480, 960]]}),
    ]


def test_a_past_effective_time_is_refused_on_the_form(director, director_client):
    with time_machine.travel(T0, tick=False):
        v1 = make_calendar(director)
        response = director_client.post(
            f"/policies/calendars/{v1.calendar_id}/edit/",
            {"time_zone": "UTC", "monday": "09:00-17:00", "effective_from": "2026-03-01T09:00"},
        )
    assert response.status_code == 422
    assert field_errors(response, "effective_from") == [
        "Choose a time from now on, or leave it empty for now."
    ]
    assert CalendarVersion.objects.count() == 1


def test_director_sets_the_default_calendar_and_reporting_zone(director, director_client):
    calendar = make_calendar(director).calendar
    response = director_client.post(
        "/policies/calendars/settings/",
        {"default_calendar": calendar.pk, "reporting_time_zone": "Europe/Berlin"},
    )
    assert response.status_code == 302
    page = director_client.get("/policies/calendars/")
    assert page.context["settings"].default_calendar == calendar
    assert page.context["settings"].reporting_time_zone == "Europe/Berlin"


def test_manager_may_read_but_not_create_calendars(manager_client):
    assert manager_client.get("/policies/calendars/").status_code == 200
    response = manager_client.get("/policies/calendars/new/")
    assert response.status_code == 403
    assert b"Only directors may change SLA policies and business calendars." in response.content


# --- SLA policies ---------------------------------------------------------------------------


AT_LEAST_1 = "A target must be at least 1 minute."


def policy_post(**extra) -> dict:
    return {"name": "Gold", "position": 10, "active": "on", "at_risk_fraction": "0.2", **extra}


def test_director_creates_a_policy_with_conditions_and_targets(director_client, team):
    with time_machine.travel(T0, tick=False):
        response = director_client.post(
            "/policies/sla/new/",
            policy_post(
                teams=[team.pk],
                priorities=["high", "urgent"],
                t_urgent_first_reply=15,
                t_urgent_requester_wait=240,
                t_urgent_requester_wait_business="on",
                t_high_first_reply=60,
            ),
        )
    assert response.status_code == 422  # business hours need a calendar (none, no default)
    assert field_errors(response, "calendar") == [
        "Business-hours targets need a calendar: choose one, or set an organisation default "
        "calendar first."
    ]
    calendar = make_calendar(response.wsgi_request.user).calendar
    with time_machine.travel(T0, tick=False):
        response = director_client.post(
            "/policies/sla/new/",
            policy_post(
                calendar=calendar.pk,
                teams=[team.pk],
                priorities=["high", "urgent"],
                t_urgent_first_reply=15,
                t_urgent_requester_wait=240,
                t_urgent_requester_wait_business="on",
                t_high_first_reply=60,
            ),
        )
    version = SlaPolicyVersion.objects.get()
    assert response.status_code == 302
    assert (version.policy.name, version.policy.position, str(version.at_risk_fraction)) == (
        "Gold",
        10,
        "0.200",
    )
    assert (version.teams, version.priorities, version.calendar) == (
        [team.pk],
        ["high", "urgent"],
        calendar,
    )
    assert sorted(version.targets.values_list("priority", "metric", "minutes", "business")) == [
        ("high", "first_reply", 60, False),
        ("urgent", "first_reply", 15, False),
        ("urgent", "requester_wait", 240, True),
    ]
    detail = director_client.get(f"/policies/sla/{version.policy_id}/").content.decode()
    assert "<dt>Teams</dt><dd>Tier 1</dd>" in detail
    assert "<dt>Priorities</dt><dd>High, Urgent</dd>" in detail
    assert "<dt>Organizations</dt><dd>any</dd>" in detail


@pytest.mark.parametrize(
    ("_case", "extra", "field", "message"),
    [
        ("no targets", {}, "__all__", "A policy needs at least one target."),
        ("zero", {"t_normal_first_reply": 0}, "t_normal_first_reply", AT_LEAST_1),
        ("negative", {"t_low_agent_work": -5}, "t_low_agent_work", AT_LEAST_1),
        ("fraction", {"t_normal_first_reply": 5, "at_risk_fraction": "1.5"}, "at_risk_fraction",
         "Ensure this value is less than or equal to 1."),
    ],
)  # fmt: skip
def test_bad_policy_input_is_refused_next_to_its_field(
    director_client, _case, extra, field, message
):
    response = director_client.post("/policies/sla/new/", policy_post(**extra))
    assert response.status_code == 422
    assert response.context["form"].errors[field] == [message]
    assert SlaPolicy.objects.count() == 0


def test_editing_a_policy_creates_a_new_version(director, director_client):
    with time_machine.travel(T0, tick=False):
        v1 = make_policy(director)
    page = director_client.get(f"/policies/sla/{v1.policy_id}/edit/")
    assert page.context["form"]["t_normal_first_reply"].value() == 60
    response = director_client.post(
        f"/policies/sla/{v1.policy_id}/edit/",
        policy_post(name="Standard", t_normal_first_reply=45),
    )
    assert response.status_code == 302
    assert list(
        SlaPolicyVersion.objects.order_by("number").values_list("number", "targets__minutes")
    ) == [(1, 60), (2, 45)]
    detail = director_client.get(f"/policies/sla/{v1.policy_id}/")
    assert b"Version 2" in detail.content
    assert b"Version 1" in detail.content


def test_manager_cannot_create_or_edit_policies(director, manager_client):
    version = make_policy(director)
    assert manager_client.get("/policies/sla/").status_code == 200
    response = manager_client.post(
        f"/policies/sla/{version.policy_id}/edit/", policy_post(t_normal_first_reply=5)
    )
    assert response.status_code == 403
    assert SlaPolicyVersion.objects.count() == 1


# --- API ------------------------------------------------------------------------------------


def test_api_refuses_bad_targets_with_422(client_for, director):
    client = client_for(director)
    response = client.post(
        "/api/v1/sla-policies/",
        {
            "name": "Bad",
            "targets": [
                {"priority": "high", "metric": "first_reply", "minutes": 0, "business": False}
            ],
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json() == {
        "error": "invalid",
        "detail": "The SLA policy is not valid.",
        "fields": {"targets": ["High / First reply: a target must be at least 1 minute."]},
    }
    response = client.post(
        "/api/v1/sla-policies/", {"name": "Empty"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["fields"] == {"targets": ["A policy needs at least one target."]}


def test_api_refuses_overlapping_calendar_hours_with_422(client_for, director):
    response = client_for(director).post(
        "/api/v1/calendars/",
        {"name": "Desk", "time_zone": "UTC", "weekly": {"monday": "09:00-12:00, 11:00-17:00"}},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["fields"] == {
        "weekly": ["Monday: Intervals 09:00–12:00 and 11:00–17:00 overlap."]
    }


def test_api_patch_saves_a_new_version_keeping_what_is_left_out(client_for, director, rep):
    version = make_policy(director, spec={"high": {"first_reply": 30}})
    response = client_for(director).patch(
        f"/api/v1/sla-policies/{version.policy_id}/",
        {"at_risk_fraction": "0.5"},
        content_type="application/json",
    )
    assert response.status_code == 200
    latest = response.json()["versions"][0]
    assert (latest["number"], latest["at_risk_fraction"], latest["targets"]) == (
        2,
        "0.500",
        [{"priority": "high", "metric": "first_reply", "minutes": 30, "business": False}],
    )
    # and a rep reads policies but may not write them
    rep_client = client_for(rep)
    assert rep_client.get("/api/v1/sla-policies/").json()["count"] == 1
    refused = rep_client.patch(
        f"/api/v1/sla-policies/{version.policy_id}/",
        {"position": 1},
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert refused.json() == {
        "error": "not_allowed",
        "detail": "Only directors may change SLA policies and business calendars.",
        "fields": {},
    }


def test_api_lists_calendars_with_their_versions(client_for, director, rep):
    with time_machine.travel(T0, tick=False):
        make_calendar(director, holidays={date(2026, 12, 25): []})
    body = client_for(rep).get("/api/v1/calendars/").json()
    assert body["count"] == 1
    version = body["results"][0]["versions"][0]
    assert (version["number"], version["time_zone"], version["holidays"]) == (
        1,
        "Europe/Berlin",
        ["2026-12-25"],
    )
    assert version["weekly"]["monday"] == "09:00-17:00"
    assert version["weekly"]["saturday"] == ""
