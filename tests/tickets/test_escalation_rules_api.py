"""/api/v1/escalation-rules/: directors list, read, create, change and delete the automatic
escalation rules, with the rules page's checks; everyone else is refused. And the page's
delete button."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import UserFactory, make_ticket
from tickets.models import Escalation, EscalationRule, RuleFiring
from tickets.services.escalation_rules import apply_rules

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LIST = reverse("tickets-api:escalation-rule-list")
DIRECTORS_ONLY = {
    "error": "not_allowed",
    "detail": "Only directors manage escalation rules.",
    "fields": {},
}
URGENT = {
    "name": "Urgent unanswered",
    "trigger": "urgent_no_reply",
    "minutes": 15,
    "notify": "team_managers",
}


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def detail(pk) -> str:
    return reverse("tickets-api:escalation-rule-detail", args=[pk])


def invalid(code: str = "invalid", detail: str = "Invalid input.", **fields) -> dict:
    return {"error": code, "detail": detail, "fields": fields}


def rule_invalid(**fields) -> dict:
    return invalid("invalid", "The rule is not valid.", **fields)


def rows() -> list[dict]:
    return list(EscalationRule.objects.order_by("pk").values())


def test_director_creates_reads_changes_and_deletes_a_rule(director, team, rep):
    # when a director creates a rule
    with time_machine.travel(T0, tick=False):
        created = api(director).post(LIST, URGENT, format="json")
    # then it is stored with the model's defaults for what was left out
    assert created.status_code == 201
    rule = EscalationRule.objects.get()
    expected = {
        "id": rule.pk,
        "name": "Urgent unanswered",
        "active": True,
        "position": 0,
        "trigger": "urgent_no_reply",
        "minutes": 15,
        "keywords": "",
        "metric": "",
        "reassign_team": None,
        "reassign_user": None,
        "raise_priority_to": "",
        "notify": "team_managers",
        "open_escalation": False,
        "escalation_category": "other",
        "created_by": "diane",
        "created_at": "2026-03-02T09:00:00Z",
        "updated_at": "2026-03-02T09:00:00Z",
    }
    assert created.json() == expected
    assert api(director).get(detail(rule.pk)).json() == expected
    listed = api(director).get(LIST).json()
    assert (listed["count"], listed["results"]) == (1, [expected])
    # when they change some fields an hour later
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        changed = api(director).patch(
            detail(rule.pk),
            {"minutes": 30, "reassign_team": team.pk, "reassign_user": rep.pk, "active": False},
            format="json",
        )
    assert changed.status_code == 200
    assert changed.json() == {
        **expected,
        "minutes": 30,
        "reassign_team": team.pk,
        "reassign_user": rep.pk,
        "active": False,
        "updated_at": "2026-03-02T10:00:00Z",
    }
    # when they delete it
    deleted = api(director).delete(detail(rule.pk))
    assert (deleted.status_code, deleted.content) == (204, b"")
    assert rows() == []
    gone = api(director).get(detail(rule.pk))
    assert (gone.status_code, gone.json()) == (
        404,
        invalid("not_found", f"Rule #{rule.pk} does not exist."),
    )
    again = api(director).delete(detail(rule.pk))
    assert (again.status_code, again.json()) == (
        404,
        invalid("not_found", f"Rule #{rule.pk} does not exist."),
    )


def test_rules_are_listed_in_the_order_they_apply(admin_user):
    for name, position in (("Late", 5), ("First", 1), ("Also first", 1)):
        payload = {
            "name": name,
            "position": position,
            "trigger": "sla_breach",
            "notify": "directors",
        }
        assert api(admin_user).post(LIST, payload, format="json").status_code == 201
    names = [r["name"] for r in api(admin_user).get(LIST).json()["results"]]
    assert names == ["First", "Also first", "Late"]


@pytest.mark.parametrize(
    ("_case", "payload", "fields"),
    [
        (
            "urgent without minutes",
            {"name": "U", "trigger": "urgent_no_reply", "notify": "directors"},
            {"minutes": ["An urgent-no-reply rule needs a number of minutes."]},
        ),
        (
            "urgent with zero minutes",
            {"name": "U", "trigger": "urgent_no_reply", "minutes": 0, "notify": "directors"},
            {"minutes": ["An urgent-no-reply rule needs a number of minutes."]},
        ),
        (
            "keyword rule without keywords",
            {"name": "K", "trigger": "customer_keyword", "keywords": " , ", "notify": "directors"},
            {"keywords": ["List at least one keyword."]},
        ),
        (
            "no action",
            {"name": "N", "trigger": "sla_breach"},
            {"non_field_errors": ["Choose at least one action."]},
        ),
        (
            "unknown metric",
            {"name": "M", "trigger": "sla_breach", "metric": "speed", "notify": "directors"},
            {
                "metric": [
                    "Unknown SLA metric; use one of first_reply, next_reply, periodic_update, "
                    "requester_wait, agent_work."
                ]
            },
        ),
    ],
)
def test_create_refuses_an_unusable_rule_with_422(_case, payload, fields, director):
    response = api(director).post(LIST, payload, format="json")
    assert (response.status_code, response.json()) == (422, rule_invalid(**fields))
    assert rows() == []


def test_reassigning_to_someone_outside_the_team_is_422(director, team, rep_other_team):
    payload = {
        "name": "R",
        "trigger": "sla_breach",
        "reassign_team": team.pk,
        "reassign_user": rep_other_team.pk,
    }
    response = api(director).post(LIST, payload, format="json")
    assert (response.status_code, response.json()) == (
        422,
        rule_invalid(reassign_user=[f"{rep_other_team} does not work {team}'s queue."]),
    )


@pytest.mark.parametrize(
    ("_case", "payload", "fields"),
    [
        (
            "unknown trigger",
            {"name": "X", "trigger": "moon_phase", "notify": "directors"},
            {"trigger": ['"moon_phase" is not a valid choice.']},
        ),
        (
            "missing name and trigger",
            {"notify": "directors"},
            {"name": ["This field is required."], "trigger": ["This field is required."]},
        ),
        (
            "negative minutes",
            {"name": "X", "trigger": "urgent_no_reply", "minutes": -5, "notify": "directors"},
            {"minutes": ["Ensure this value is greater than or equal to 0."]},
        ),
        (
            "unknown team",
            {"name": "X", "trigger": "sla_breach", "reassign_team": 999999},
            {"reassign_team": ['Invalid pk "999999" - object does not exist.']},
        ),
        (
            "priority that lowers",
            {"name": "X", "trigger": "sla_breach", "raise_priority_to": "low"},
            {"raise_priority_to": ['"low" is not a valid choice.']},
        ),
    ],
)
def test_create_with_malformed_fields_is_400(_case, payload, fields, director):
    response = api(director).post(LIST, payload, format="json")
    assert (response.status_code, response.json()) == (400, invalid(**fields))
    assert rows() == []


def test_patch_that_would_break_the_rule_is_422_and_changes_nothing(director):
    created = api(director).post(LIST, URGENT, format="json").json()
    before = rows()
    response = api(director).patch(
        detail(created["id"]), {"trigger": "customer_keyword"}, format="json"
    )
    assert (response.status_code, response.json()) == (
        422,
        rule_invalid(keywords=["List at least one keyword."]),
    )
    response = api(director).patch(detail(created["id"]), {"notify": ""}, format="json")
    assert (response.status_code, response.json()) == (
        422,
        rule_invalid(non_field_errors=["Choose at least one action."]),
    )
    assert rows() == before


def test_malformed_and_unknown_ids_are_404(director):
    for url in (detail("abc"), detail(424242)):
        assert api(director).get(url).status_code == 404
        assert api(director).patch(url, {"name": "x"}, format="json").status_code == 404
        assert api(director).delete(url).status_code == 404
    assert api(director).get(detail("abc")).json() == invalid(
        "not_found", "Rule #abc does not exist."
    )


@pytest.mark.parametrize("persona", ["rep", "rep_other_team", "manager"])
def test_reps_and_managers_cannot_read_or_change_rules(persona, request, director):
    # given a rule made by a director
    rule_id = api(director).post(LIST, URGENT, format="json").json()["id"]
    before = rows()
    client = api(request.getfixturevalue(persona))
    # then every route refuses them with the same body, and nothing changes
    responses = [
        client.get(LIST),
        client.get(detail(rule_id)),
        client.post(LIST, {**URGENT, "name": "Mine"}, format="json"),
        client.patch(detail(rule_id), {"active": False}, format="json"),
        client.delete(detail(rule_id)),
        client.post(LIST, {"trigger": "nonsense"}, format="json"),  # refused before validated
    ]
    assert [(r.status_code, r.json()) for r in responses] == [(403, DIRECTORS_ONLY)] * 6
    assert rows() == before


def test_anonymous_and_roleless_users_are_refused(director):
    rule_id = api(director).post(LIST, URGENT, format="json").json()["id"]
    nobody = UserFactory(username="nobody")
    assert api().get(LIST).status_code == 403
    assert api().delete(detail(rule_id)).status_code == 403
    assert api(nobody).patch(detail(rule_id), {"active": False}, format="json").status_code == 403
    assert EscalationRule.objects.get().active is True


def test_deleting_a_rule_keeps_the_escalations_it_opened(director, team):
    # given a rule that opened an escalation on a ticket
    created = (
        api(director)
        .post(
            LIST,
            {"name": "Breach", "trigger": "sla_breach", "open_escalation": True},
            format="json",
        )
        .json()
    )
    ticket = make_ticket(team)
    assert [r.pk for r in apply_rules(ticket.pk, "sla_breach", metric="first_reply")] == [
        created["id"]
    ]
    assert RuleFiring.objects.count() == 1
    # when the director deletes the rule
    assert api(director).delete(detail(created["id"])).status_code == 204
    # then the escalation and the ticket's events stay; the firing record goes
    escalation = Escalation.objects.get()
    assert (escalation.ticket_id, escalation.rule_id, escalation.state) == (ticket.pk, None, "open")
    assert ticket.events.filter(type="escalated").count() == 1
    assert RuleFiring.objects.count() == 0


def test_schema_lists_the_rules_routes(director):
    schema = api(director).get(reverse("api-schema")).content.decode()
    assert "/api/v1/escalation-rules/{id}/" in schema
    assert "/api/v1/incidents/{id}/tickets/{ticket_id}/" in schema


# --- The rules page's delete button -------------------------------------------------------


def test_director_deletes_a_rule_from_its_page(director_client, director):
    rule_id = api(director).post(LIST, URGENT, format="json").json()["id"]
    page = director_client.get(reverse("tickets:escalation-rule-edit", args=[rule_id]))
    url = reverse("tickets:escalation-rule-delete", args=[rule_id])
    assert f'action="{url}"' in page.content.decode()
    response = director_client.post(url)
    assert (response.status_code, response["Location"]) == (302, "/tickets/escalations/rules/")
    assert rows() == []
    html = director_client.get(response["Location"]).content.decode()
    assert f"Rule #{rule_id} deleted." in html
    assert director_client.post(url).status_code == 404


def test_manager_cannot_delete_a_rule_from_the_page(manager_client, director):
    rule_id = api(director).post(LIST, URGENT, format="json").json()["id"]
    response = manager_client.post(reverse("tickets:escalation-rule-delete", args=[rule_id]))
    assert response.status_code == 403
    assert EscalationRule.objects.filter(pk=rule_id).exists()


def test_rules_page_form_reports_an_unknown_metric(director_client):
    response = director_client.post(
        "/tickets/escalations/rules/",
        {
            "name": "Breach",
            "trigger": "sla_breach",
            "metric": "speed",
            "position": 0,
            "notify": "directors",
            "escalation_category": "other",
        },
    )
    assert response.status_code == 422
    assert "Unknown SLA metric; use one of first_reply" in response.content.decode()
    assert rows() == []
