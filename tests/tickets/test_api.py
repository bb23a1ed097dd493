"""The REST API under /api/v1/, through real HTTP requests (session and token auth)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from policies.models import Category, Tag
from tests.factories import CustomerFactory, UserFactory, make_ticket
from tickets import services
from tickets.models import Customer, OutboundMessage, Ticket, TicketEvent

pytestmark = pytest.mark.django_db

LIST = reverse("tickets-api:ticket-list")
CUSTOMERS = reverse("tickets-api:customer-list")
TEAMS = reverse("staffing-api:team-list")
FROZEN = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
FROZEN_JSON = "2025-03-03T09:00:00Z"

NOT_AUTHENTICATED = {
    "error": "not_authenticated",
    "detail": "Authentication credentials were not provided.",
    "fields": {},
}


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def detail_url(ticket_or_pk) -> str:
    return f"{LIST}{getattr(ticket_or_pk, 'pk', ticket_or_pk)}/"


def claim_url(ticket) -> str:
    return reverse("tickets-api:ticket-claim", args=[ticket.pk])


def events_url(ticket) -> str:
    return reverse("tickets-api:ticket-events", args=[ticket.pk])


def not_found(pk) -> dict:
    return {
        "error": "not_found",
        "detail": f"Ticket #{pk} does not exist or is not in your teams.",
        "fields": {},
    }


def invalid(**fields) -> dict:
    return {"error": "invalid", "detail": "Invalid input.", "fields": fields}


def snapshot(ticket) -> tuple:
    """Everything a refused write must leave alone: the row, its tags and its event log."""
    row = Ticket.objects.filter(pk=ticket.pk).values().get()
    tags = sorted(Ticket.objects.get(pk=ticket.pk).tags.values_list("name", flat=True))
    log = list(TicketEvent.objects.filter(ticket_id=ticket.pk).values())
    return row, tags, log


def event_types(ticket) -> list[str]:
    return list(TicketEvent.objects.filter(ticket=ticket).values_list("type", flat=True))


def user_ref(user) -> dict:
    return {"id": user.pk, "username": user.username, "name": user.get_full_name()}


def ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


# --- Authentication -------------------------------------------------------------------------


def test_anonymous_gets_403_json_and_cannot_write(team):
    # given a ticket and no credentials
    ticket = make_ticket(team)
    before = snapshot(ticket)
    client = api()
    # when an anonymous client reads, creates and claims
    listing = client.get(LIST)
    created = client.post(LIST, {"subject": "x"}, format="json")
    claimed = client.post(claim_url(ticket))
    # then every answer is the JSON error body and nothing changed
    for response in (listing, created, claimed):
        assert response.status_code == 403
        assert response.json() == NOT_AUTHENTICATED
    assert Ticket.objects.count() == 1
    assert snapshot(ticket) == before


def test_token_auth_reads_and_writes_without_a_session(rep, team):
    # given a rep's API token and an unassigned ticket
    token = Token.objects.create(user=rep)
    ticket = make_ticket(team)
    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    # when the client lists and claims with the token only
    listing = client.get(LIST)
    claimed = client.post(claim_url(ticket))
    # then both work as the rep (token requests need no CSRF token)
    assert listing.status_code == 200
    assert ids(listing) == [ticket.pk]
    assert claimed.status_code == 200
    assert claimed.json()["assignee"] == user_ref(rep)
    assert Ticket.objects.get(pk=ticket.pk).assignee == rep


def test_unknown_token_is_refused_with_json(team):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = client.get(LIST)
    assert response.status_code == 403
    assert response.json() == {
        "error": "authentication_failed",
        "detail": "Invalid token.",
        "fields": {},
    }


def test_session_write_without_csrf_token_is_refused(rep, team):
    # given a logged-in browser session that does not send the CSRF token
    ticket = make_ticket(team)
    before = snapshot(ticket)
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(rep)
    # when it claims
    response = client.post(claim_url(ticket))
    # then it is refused and nothing changed
    assert response.status_code == 403
    assert response.json() == {
        "error": "permission_denied",
        "detail": "CSRF Failed: CSRF cookie not set.",
        "fields": {},
    }
    assert snapshot(ticket) == before


def test_signed_in_user_without_a_staff_role_is_refused(team):
    nobody = UserFactory(username="nora")
    make_ticket(team)
    for url in (LIST, CUSTOMERS):
        response = api(nobody).get(url)
        assert response.status_code == 403
        assert response.json() == {
            "error": "permission_denied",
            "detail": "Your account has no staff role in csops.",
            "fields": {},
        }


# --- Ticket list ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("_case", "persona", "sees"),
    [
        ("rep: own team", "rep", ["tier1"]),
        ("rep of another team: that team", "rep_other_team", ["billing"]),
        ("manager: managed team", "manager", ["tier1"]),
        ("director: every team", "director", ["billing", "tier1"]),
        ("admin: every team", "admin_user", ["billing", "tier1"]),
    ],
)
def test_list_is_scoped_to_the_users_teams(_case, persona, sees, request, team, other_team):
    # given one ticket in each team
    tickets = {"tier1": make_ticket(team), "billing": make_ticket(other_team)}
    user = request.getfixturevalue(persona)
    # when the persona lists tickets
    response = api(user).get(LIST)
    # then it sees exactly its teams' tickets, newest first
    assert response.status_code == 200
    assert response.json()["count"] == len(sees)
    assert ids(response) == [tickets[name].pk for name in sees]


def test_list_item_carries_the_ticket_and_its_relations(rep, team):
    # given a ticket with every relation set
    with time_machine.travel(FROZEN, tick=False):
        customer = CustomerFactory(name="Carla Cruz", email="carla@example.org")
        category = Category.objects.create(name="Refunds", slug="refunds")
        tag = Tag.objects.create(name="vip")
        ticket = make_ticket(
            team,
            by=rep,
            requester=customer,
            channel="phone",
            priority="high",
            category=category,
            tags=[tag],
            assignee=rep,
        )
    # when the rep lists tickets
    response = api(rep).get(LIST)
    # then the row is the ticket, with small nested references and no description
    assert response.status_code == 200
    assert response.json() == {
        "count": 1,
        "next": None,
        "previous": None,
        "results": [
            {
                "id": ticket.pk,
                "subject": "Cannot log in",
                "status": "open",
                "priority": "high",
                "channel": "phone",
                "initiated_by": "customer",
                "team": {"id": team.pk, "name": "Tier 1", "slug": "tier-1"},
                "assignee": user_ref(rep),
                "requester": {
                    "id": customer.pk,
                    "name": "Carla Cruz",
                    "email": "carla@example.org",
                },
                "category": {"id": category.pk, "name": "Refunds", "slug": "refunds"},
                "tags": ["vip"],
                "version": 1,
                "created_at": FROZEN_JSON,
                "updated_at": FROZEN_JSON,
                "solved_at": None,
            }
        ],
    }


@pytest.fixture
def queue(rep, team):
    """A small queue: high-priority refund (unassigned), claimed login issue, solved one."""
    refund = make_ticket(team, subject="Refund please", priority="high")
    login = make_ticket(team, subject="Login broken")
    services.claim(login.pk, by=rep)
    solved = make_ticket(team, subject="Old question")
    services.reply(solved.pk, by=rep, body="Done", new_status="solved", expected_version=1)
    return {"refund": refund, "login": login, "solved": solved}


@pytest.mark.parametrize(
    ("_case", "params", "expected"),
    [
        ("default: unresolved in my teams", {}, ["login", "refund"]),
        ("status", {"status": "solved"}, ["solved"]),
        ("any status", {"status": "any"}, ["solved", "login", "refund"]),
        ("priority", {"priority": "high"}, ["refund"]),
        ("view mine", {"view": "mine"}, ["login"]),
        ("view unassigned", {"view": "unassigned"}, ["refund"]),
        ("full-text search", {"q": "refund"}, ["refund"]),
        ("sort oldest first", {"sort": "created_at"}, ["refund", "login"]),
    ],
)
def test_list_filters_like_the_queue(_case, params, expected, rep, queue):
    response = api(rep).get(LIST, params)
    assert response.status_code == 200
    assert sorted(ids(response)) == sorted(queue[name].pk for name in expected)
    if _case.startswith("sort"):
        assert ids(response) == [queue[name].pk for name in expected]


@pytest.mark.parametrize(
    ("_case", "params", "fields"),
    [
        (
            "unknown status",
            {"status": "bogus"},
            {"status": ["Select a valid choice. bogus is not one of the available choices."]},
        ),
        (
            "unknown priority",
            {"priority": "whenever"},
            {"priority": ["Select a valid choice. whenever is not one of the available choices."]},
        ),
        (
            "non-integer team",
            {"team": "abc"},
            {"team": ["Select a valid choice. That choice is not one of the available choices."]},
        ),
    ],
)
def test_list_with_invalid_filter_is_400_with_field_errors(_case, params, fields, rep, team):
    response = api(rep).get(LIST, params)
    assert response.status_code == 400
    assert response.json() == invalid(**fields)


def test_list_refuses_filtering_by_a_team_outside_scope(rep, team, other_team):
    make_ticket(other_team)
    response = api(rep).get(LIST, {"team": other_team.pk})
    assert response.status_code == 400
    assert response.json() == invalid(
        team=["Select a valid choice. That choice is not one of the available choices."]
    )


def test_list_pages_with_page_size(rep, team):
    tickets = [make_ticket(team, subject=f"T{i}") for i in range(7)]
    response = api(rep).get(LIST, {"page_size": 5, "page": 2})
    body = response.json()
    assert response.status_code == 200
    assert (body["count"], len(body["results"]), body["next"]) == (7, 2, None)
    assert body["previous"] == "http://testserver/api/v1/tickets/?page_size=5"
    assert ids(response) == [tickets[1].pk, tickets[0].pk]


def test_list_page_out_of_range_is_json_404(rep, team):
    response = api(rep).get(LIST, {"page": 9})
    assert response.status_code == 404
    assert response.json() == {"error": "not_found", "detail": "Invalid page.", "fields": {}}


def test_list_query_count_does_not_grow_with_page_size(rep, team, django_assert_max_num_queries):
    # given 30 tickets with an assignee, requester, category and two tags each
    category = Category.objects.create(name="Refunds", slug="refunds")
    tags = [Tag.objects.create(name="vip"), Tag.objects.create(name="billing")]
    for i in range(30):
        make_ticket(team, by=rep, subject=f"T{i}", assignee=rep, category=category, tags=tags)
    client = api(rep)
    for size in (5, 25):
        # when a page of that size is listed, then the query count has the same bound:
        # session, user, role, team scope, COUNT, page, tags prefetch
        with django_assert_max_num_queries(7):
            response = client.get(LIST, {"page_size": size})
        assert len(response.json()["results"]) == size
        assert response.json()["results"][0]["tags"] == ["billing", "vip"]


# --- Retrieve -------------------------------------------------------------------------------


def test_retrieve_returns_the_ticket_with_description(rep, team):
    ticket = make_ticket(team)
    response = api(rep).get(detail_url(ticket))
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["description"], body["version"]) == (
        ticket.pk,
        "The password reset mail never arrives.",
        1,
    )


@pytest.mark.parametrize(
    ("_case", "segment"),
    [("not an integer", "abc"), ("decimal", "1.5"), ("out of range", "99999999999999999999")],
)
def test_retrieve_with_malformed_id_is_json_404(_case, segment, rep, team):
    response = api(rep).get(f"{LIST}{segment}/")
    assert response.status_code == 404
    assert response.json() == not_found(segment)


# --- Rep of another team --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("_case", "method", "url", "body"),
    [
        ("retrieve", "get", detail_url, None),
        ("patch", "patch", detail_url, {"version": 1, "priority": "urgent"}),
        ("claim", "post", claim_url, None),
        ("event log", "get", events_url, None),
        ("reply", "post", events_url, {"body": "Hi", "public": True, "version": 1}),
    ],
)
def test_rep_of_another_team_gets_404_and_changes_nothing(
    _case, method, url, body, rep_other_team, team
):
    # given a ticket outside the rep's teams
    ticket = make_ticket(team)
    before = snapshot(ticket)
    # when the rep reads or writes it
    response = getattr(api(rep_other_team), method)(url(ticket), body, format="json")
    # then it does not exist for them, and nothing changed
    assert response.status_code == 404
    assert response.json() == not_found(ticket.pk)
    assert snapshot(ticket) == before


# --- Create ---------------------------------------------------------------------------------


@pytest.fixture
def new_ticket(team):
    customer = CustomerFactory(name="Carla Cruz", email="carla@example.org")
    Tag.objects.create(name="vip")
    return {
        "requester": customer.pk,
        "subject": "Card declined",
        "description": "Caller's card was declined at checkout.",
        "team": team.pk,
        "channel": "phone",
        "priority": "high",
        "tags": ["vip"],
    }


def test_create_logs_the_ticket_through_the_service(rep, team, new_ticket):
    # when a rep logs a phone call assigned to themselves
    response = api(rep).post(LIST, {**new_ticket, "assignee": rep.pk}, format="json")
    # then the ticket exists, is open, and its log says an agent created and opened it
    assert response.status_code == 201
    ticket = Ticket.objects.get()
    body = response.json()
    assert body["id"] == ticket.pk
    assert (body["status"], body["priority"], body["channel"], body["tags"]) == (
        "open",
        "high",
        "phone",
        ["vip"],
    )
    assert body["assignee"] == user_ref(rep)
    assert (ticket.subject, ticket.team, ticket.assignee, ticket.version) == (
        "Card declined",
        team,
        rep,
        1,
    )
    assert list(TicketEvent.objects.filter(ticket=ticket).values_list("type", "actor")) == [
        ("created", rep.pk),
        ("status_changed", rep.pk),
    ]


def test_create_in_a_team_outside_scope_is_403_and_creates_nothing(
    rep_other_team, team, new_ticket
):
    response = api(rep_other_team).post(LIST, new_ticket, format="json")
    assert response.status_code == 403
    assert response.json() == {
        "error": "not_allowed",
        "detail": "You do not work this team's queue.",
        "fields": {},
    }
    assert Ticket.objects.count() == 0


def test_create_with_assignee_outside_the_team_is_422(rep, rep_other_team, new_ticket):
    response = api(rep).post(LIST, {**new_ticket, "assignee": rep_other_team.pk}, format="json")
    assert response.status_code == 422
    assert response.json() == {
        "error": "invalid",
        "detail": f"{rep_other_team.get_full_name()} does not work this team's queue.",
        "fields": {"assignee": ["Not a member of the ticket's team."]},
    }
    assert Ticket.objects.count() == 0


@pytest.mark.parametrize(
    ("_case", "override", "fields"),
    [
        (
            "unknown team id",
            {"team": 999999},
            {"team": ['Invalid pk "999999" - object does not exist.']},
        ),
        (
            "non-integer team id",
            {"team": "abc"},
            {"team": ["Incorrect type. Expected pk value, received str."]},
        ),
        (
            "boolean team id",
            {"team": True},
            {"team": ["Incorrect type. Expected pk value, received bool."]},
        ),
        (
            "unknown priority",
            {"priority": "whenever"},
            {"priority": ['"whenever" is not a valid choice.']},
        ),
        ("unknown channel", {"channel": "fax"}, {"channel": ['"fax" is not a valid choice.']}),
        ("unknown tag", {"tags": ["nope"]}, {"tags": ["Object with name=nope does not exist."]}),
        ("blank subject", {"subject": "  "}, {"subject": ["This field may not be blank."]}),
        ("unknown field", {"sla": "gold"}, {"sla": ["Unknown field."]}),
    ],
)
def test_create_with_bad_input_is_400_with_field_errors(_case, override, fields, rep, new_ticket):
    response = api(rep).post(LIST, {**new_ticket, **override}, format="json")
    assert response.status_code == 400
    assert response.json() == invalid(**fields)
    assert Ticket.objects.count() == 0


def test_create_with_empty_body_lists_every_required_field(rep, team):
    response = api(rep).post(LIST, {}, format="json")
    required = ["This field is required."]
    assert response.status_code == 400
    assert response.json() == invalid(
        requester=required, subject=required, description=required, team=required, channel=required
    )


@pytest.mark.parametrize(
    ("_case", "payload", "expected"),
    [
        (
            "a JSON list",
            "[1, 2]",
            invalid(non_field_errors=["Invalid data. Expected a dictionary, but got list."]),
        ),
        (
            "a JSON string",
            '"ticket"',
            invalid(non_field_errors=["Invalid data. Expected a dictionary, but got str."]),
        ),
        (
            "malformed JSON",
            '{"subject": ',
            {
                "error": "parse_error",
                "detail": "JSON parse error - Expecting value: line 1 column 13 (char 12)",
                "fields": {},
            },
        ),
    ],
)
def test_create_with_a_body_that_is_not_a_json_object_is_400(_case, payload, expected, rep, team):
    response = api(rep).post(LIST, payload, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == expected
    assert Ticket.objects.count() == 0


# --- Partial update -------------------------------------------------------------------------


def test_patch_with_current_version_updates_and_logs(rep, rep2, team):
    # given a new ticket at version 1
    ticket = make_ticket(team)
    Tag.objects.create(name="vip")
    # when the rep changes priority, assignee and tags, carrying version 1
    response = api(rep).patch(
        detail_url(ticket),
        {"version": 1, "priority": "urgent", "assignee": rep2.pk, "tags": ["vip"]},
        format="json",
    )
    # then the ticket changed as one action, the version moved on, and the log says why
    assert response.status_code == 200
    body = response.json()
    assert (body["version"], body["status"], body["priority"], body["tags"]) == (
        2,
        "open",
        "urgent",
        ["vip"],
    )
    assert body["assignee"] == user_ref(rep2)
    ticket.refresh_from_db()
    assert (ticket.version, ticket.priority, ticket.assignee) == (2, "urgent", rep2)
    assert event_types(ticket) == [
        "created",
        "status_changed",
        "assigned",
        "priority_changed",
        "tags_changed",
    ]


def test_patch_can_transfer_and_unassign(director, rep, team, other_team):
    ticket = make_ticket(team, by=rep, assignee=rep)
    response = api(director).patch(
        detail_url(ticket), {"version": 1, "team": other_team.pk, "assignee": None}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["team"]["id"], response.json()["assignee"]) == (other_team.pk, None)
    ticket.refresh_from_db()
    assert (ticket.team, ticket.assignee, ticket.version) == (other_team, None, 2)


def test_patch_with_stale_version_is_409_and_keeps_the_ticket(rep, rep2, team):
    # given rep2 changed the ticket after rep read it at version 1
    ticket = make_ticket(team)
    services.update_ticket(ticket.pk, by=rep2, expected_version=1, priority="high")
    before = snapshot(ticket)
    # when rep saves with version 1
    response = api(rep).patch(detail_url(ticket), {"version": 1, "priority": "low"}, format="json")
    # then it is refused as stale and rep2's change stands
    assert response.status_code == 409
    assert response.json() == {
        "error": "stale",
        "detail": (
            f"Someone else changed ticket #{ticket.pk} since you opened it "
            "(version 1, now 2). Reload to see their change."
        ),
        "fields": {},
    }
    assert snapshot(ticket) == before
    assert Ticket.objects.get(pk=ticket.pk).priority == "high"


@pytest.mark.parametrize(
    ("_case", "payload", "fields"),
    [
        ("missing version", {"priority": "low"}, {"version": ["This field is required."]}),
        ("non-integer version", {"version": "one"}, {"version": ["A valid integer is required."]}),
        (
            "unknown status",
            {"version": 1, "status": "done"},
            {"status": ['"done" is not a valid choice.']},
        ),
        (
            "unknown team",
            {"version": 1, "team": 999999},
            {"team": ['Invalid pk "999999" - object does not exist.']},
        ),
        ("null team", {"version": 1, "team": None}, {"team": ["This field may not be null."]}),
        ("read-only field", {"version": 1, "subject": "New"}, {"subject": ["Unknown field."]}),
    ],
)
def test_patch_with_bad_input_is_400_and_changes_nothing(_case, payload, fields, rep, team):
    ticket = make_ticket(team)
    before = snapshot(ticket)
    response = api(rep).patch(detail_url(ticket), payload, format="json")
    assert response.status_code == 400
    assert response.json() == invalid(**fields)
    assert snapshot(ticket) == before


def test_patch_with_a_json_list_is_400(rep, team):
    ticket = make_ticket(team)
    before = snapshot(ticket)
    response = api(rep).patch(detail_url(ticket), "[]", content_type="application/json")
    assert response.status_code == 400
    assert response.json() == invalid(
        non_field_errors=["Invalid data. Expected a dictionary, but got list."]
    )
    assert snapshot(ticket) == before


def test_patch_back_to_new_is_422_and_changes_nothing(rep, team):
    ticket = make_ticket(team)
    services.claim(ticket.pk, by=rep)
    before = snapshot(ticket)
    response = api(rep).patch(
        detail_url(ticket), {"version": 2, "status": "new", "priority": "low"}, format="json"
    )
    assert response.status_code == 422
    assert response.json() == {
        "error": "invalid_transition",
        "detail": "A ticket cannot go back to new.",
        "fields": {"status": ["Not allowed."]},
    }
    assert snapshot(ticket) == before


def test_put_is_not_allowed(rep, team):
    ticket = make_ticket(team)
    response = api(rep).put(detail_url(ticket), {"version": 1}, format="json")
    assert response.status_code == 405
    assert response.json() == {
        "error": "method_not_allowed",
        "detail": 'Method "PUT" not allowed.',
        "fields": {},
    }


# --- Claim ----------------------------------------------------------------------------------


def test_claim_assigns_and_opens(rep, team):
    ticket = make_ticket(team)
    response = api(rep).post(claim_url(ticket))
    assert response.status_code == 200
    assert (response.json()["assignee"], response.json()["status"]) == (user_ref(rep), "open")
    assert response.json()["version"] == 2
    assert event_types(ticket) == ["created", "status_changed", "assigned"]


def test_claim_race_loser_gets_409_naming_the_owner(rep, rep2, team):
    # given two reps looking at the same unassigned ticket
    ticket = make_ticket(team)
    rita, ralph = api(rep), api(rep2)
    assert rita.get(detail_url(ticket)).json()["assignee"] is None
    assert ralph.get(detail_url(ticket)).json()["assignee"] is None
    # when rita claims first and ralph second
    won = rita.post(claim_url(ticket))
    after_win = snapshot(ticket)
    lost = ralph.post(claim_url(ticket))
    # then ralph is told who has it, and the ticket stays rita's
    assert won.status_code == 200
    assert lost.status_code == 409
    assert lost.json() == {
        "error": "conflict",
        "detail": f"Ticket #{ticket.pk} is already claimed by {rep.get_full_name()}.",
        "fields": {},
    }
    assert snapshot(ticket) == after_win
    assert Ticket.objects.get(pk=ticket.pk).assignee == rep


# --- Events: the log, replies and notes -----------------------------------------------------


def test_event_log_lists_every_event_in_order(rep, team):
    # given an inbound ticket the rep answered
    with time_machine.travel(FROZEN, tick=False):
        customer = CustomerFactory(name="Carla Cruz", email="carla@example.org")
        ticket = make_ticket(team, requester=customer)
        services.reply(ticket.pk, by=rep, body="Try again now.", expected_version=1)
    seq = list(TicketEvent.objects.filter(ticket=ticket).values_list("pk", flat=True))
    message_id = OutboundMessage.objects.get(event_id=seq[2]).message_id
    # when the rep reads the log
    response = api(rep).get(events_url(ticket))
    # then it is the whole log, oldest first
    assert response.status_code == 200
    carla = {"id": customer.pk, "name": "Carla Cruz", "email": "carla@example.org"}
    agent = {"at": FROZEN_JSON, "actor_role": "agent", "actor": user_ref(rep), "customer": None}
    assert response.json() == {
        "count": 3,
        "next": None,
        "previous": None,
        "results": [
            {
                "seq": seq[0],
                "at": FROZEN_JSON,
                "type": "created",
                "actor_role": "customer",
                "actor": None,
                "customer": carla,
                "data": {
                    "channel": "email",
                    "priority": "normal",
                    "team": team.pk,
                    "assignee": None,
                    "initiated_by": "customer",
                    "subject": "Cannot log in",
                },
                "body": "The password reset mail never arrives.",
                "delivery": None,
                "attachments": [],
            },
            {
                "seq": seq[1],
                "type": "status_changed",
                "data": {"from": "new", "to": "open"},
                "body": "",
                "delivery": None,
                "attachments": [],
                **agent,
            },
            {
                "seq": seq[2],
                "type": "public_reply",
                "data": {},
                "body": "Try again now.",
                # the reply's email to the requester (tickets.mail), queued until a worker runs
                "delivery": {
                    "state": "queued",
                    "recipients": ["carla@example.org"],
                    "message_id": message_id,
                    "attempts": 0,
                    "last_error": "",
                    "sent_at": None,
                },
                "attachments": [],
                **agent,
            },
        ],
    }


def test_public_reply_with_status_logs_message_then_status(rep, team):
    ticket = make_ticket(team)
    response = api(rep).post(
        events_url(ticket),
        {"body": "We sent a new link.", "public": True, "status": "pending", "version": 1},
        format="json",
    )
    assert response.status_code == 201
    assert (response.json()["status"], response.json()["version"]) == ("pending", 2)
    assert event_types(ticket) == ["created", "status_changed", "public_reply", "status_changed"]
    assert TicketEvent.objects.get(ticket=ticket, type="public_reply").body == "We sent a new link."


def test_internal_note_is_logged_as_a_note(rep, team):
    ticket = make_ticket(team)
    services.claim(ticket.pk, by=rep)
    response = api(rep).post(
        events_url(ticket),
        {"body": "Customer sounded upset.", "public": False, "version": 2},
        format="json",
    )
    assert response.status_code == 201
    assert (response.json()["status"], response.json()["version"]) == ("open", 3)
    note = TicketEvent.objects.filter(ticket=ticket).last()
    assert (note.type, note.actor, note.body) == ("internal_note", rep, "Customer sounded upset.")


def test_reply_with_stale_version_is_409_and_writes_nothing(rep, rep2, team):
    ticket = make_ticket(team)
    services.claim(ticket.pk, by=rep2)
    before = snapshot(ticket)
    response = api(rep).post(
        events_url(ticket), {"body": "Hello", "public": True, "version": 1}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["error"] == "stale"
    assert response.json()["detail"] == (
        f"Someone else changed ticket #{ticket.pk} since you opened it "
        "(version 1, now 2). Reload to see their change."
    )
    assert snapshot(ticket) == before


@pytest.mark.parametrize(
    ("_case", "payload", "fields"),
    [
        (
            "missing version",
            {"body": "Hi", "public": True},
            {"version": ["This field is required."]},
        ),
        ("missing public", {"body": "Hi", "version": 1}, {"public": ["This field is required."]}),
        (
            "blank body",
            {"body": "   ", "public": True, "version": 1},
            {"body": ["This field may not be blank."]},
        ),
        (
            "unknown status",
            {"body": "Hi", "public": True, "status": "done", "version": 1},
            {"status": ['"done" is not a valid choice.']},
        ),
    ],
)
def test_reply_with_bad_input_is_400_and_writes_nothing(_case, payload, fields, rep, team):
    ticket = make_ticket(team)
    before = snapshot(ticket)
    response = api(rep).post(events_url(ticket), payload, format="json")
    assert response.status_code == 400
    assert response.json() == invalid(**fields)
    assert snapshot(ticket) == before


def test_reply_on_a_closed_ticket_is_422(rep, team):
    ticket = make_ticket(team)
    services.update_ticket(ticket.pk, by=rep, expected_version=1, status="closed")
    before = snapshot(ticket)
    response = api(rep).post(
        events_url(ticket), {"body": "Hi", "public": True, "version": 2}, format="json"
    )
    assert response.status_code == 422
    assert response.json() == {
        "error": "invalid_transition",
        "detail": "This ticket is closed; it cannot take new messages.",
        "fields": {},
    }
    assert snapshot(ticket) == before


# --- Customers ------------------------------------------------------------------------------


@pytest.fixture
def customers(db):
    return {
        "carla": CustomerFactory(name="Carla Cruz", email="carla@example.org", organization=None),
        "bob": CustomerFactory(name="Bob Stone", email="bob@acme.test", organization=None),
    }


@pytest.mark.parametrize(
    ("_case", "search", "expected"),
    [
        ("everyone, by name", "", ["bob", "carla"]),
        ("by name", "carla", ["carla"]),
        ("by email domain", "acme", ["bob"]),
        ("case-insensitive", "STONE", ["bob"]),
    ],
)
def test_customer_list_searches_name_and_email(_case, search, expected, manager, customers):
    # managers read every customer; reps those of their teams' tickets (test_customers.py)
    response = api(manager).get(CUSTOMERS, {"search": search})
    assert response.status_code == 200
    assert ids(response) == [customers[name].pk for name in expected]


def test_customer_retrieve_and_malformed_id(manager, customers):
    carla = customers["carla"]
    found = api(manager).get(reverse("tickets-api:customer-detail", args=[carla.pk]))
    missing = api(manager).get(f"{CUSTOMERS}abc/")
    assert found.status_code == 200
    assert found.json() == {
        "id": carla.pk,
        "name": "Carla Cruz",
        "email": "carla@example.org",
        "phone": "",
        "organization": None,
        "created_at": carla.created_at.isoformat().replace("+00:00", "Z"),
    }
    assert missing.status_code == 404
    assert missing.json() == {
        "error": "not_found",
        "detail": "Customer #abc does not exist or has no ticket in your teams.",
        "fields": {},
    }


def test_customer_create(rep):
    response = api(rep).post(
        CUSTOMERS, {"email": "new@example.org", "name": "New Person"}, format="json"
    )
    assert response.status_code == 201
    customer = Customer.objects.get()
    assert response.json()["id"] == customer.pk
    assert (customer.name, customer.email) == ("New Person", "new@example.org")


@pytest.mark.parametrize(
    ("_case", "payload", "fields"),
    [
        (
            "duplicate email, any case",
            {"email": "CARLA@example.org"},
            {"email": ["A customer with this email already exists."]},
        ),
        ("invalid email", {"email": "carla"}, {"email": ["Enter a valid email address."]}),
        ("missing email", {"name": "X"}, {"email": ["This field is required."]}),
    ],
)
def test_customer_create_with_bad_input_is_400(_case, payload, fields, rep, customers):
    response = api(rep).post(CUSTOMERS, payload, format="json")
    assert response.status_code == 400
    assert response.json() == invalid(**fields)
    assert Customer.objects.count() == 2


def test_customer_create_needs_the_add_customer_permission(rep):
    # given the Rep role without tickets.add_customer
    Group.objects.get(name="Rep").permissions.remove(
        Permission.objects.get(content_type__app_label="tickets", codename="add_customer")
    )
    # when the rep creates a customer, then it is refused and nothing is created
    response = api(rep).post(CUSTOMERS, {"email": "new@example.org"}, format="json")
    assert response.status_code == 403
    assert response.json() == {
        "error": "permission_denied",
        "detail": "You do not have permission to perform this action.",
        "fields": {},
    }
    assert Customer.objects.count() == 0
    # and reading is still allowed
    assert api(rep).get(CUSTOMERS).status_code == 200


# --- Teams ----------------------------------------------------------------------------------


def test_teams_list_shows_the_users_teams(rep, director, team, other_team):
    mine = api(rep).get(TEAMS)
    every = api(director).get(TEAMS)
    assert mine.status_code == 200
    assert mine.json()["results"] == [
        {"id": team.pk, "name": "Tier 1", "slug": "tier-1", "tier": 1, "description": ""}
    ]
    assert ids(every) == [other_team.pk, team.pk]


def test_team_outside_scope_is_404(rep, other_team):
    response = api(rep).get(reverse("staffing-api:team-detail", args=[other_team.pk]))
    assert response.status_code == 404
    assert response.json() == {"error": "not_found", "detail": "Not found.", "fields": {}}


# --- Schema ---------------------------------------------------------------------------------


def test_schema_and_docs_are_served_to_signed_in_users(rep):
    schema = api(rep).get(reverse("api-schema"))
    docs = api(rep).get(reverse("api-docs"))
    assert schema.status_code == 200
    assert "/api/v1/tickets/{id}/claim/" in schema.content.decode()
    assert docs.status_code == 200


def test_api_root_links_every_collection(rep):
    response = api(rep).get(reverse("api-root"), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json() == {
        "tickets": "http://testserver/api/v1/tickets/",
        "customers": "http://testserver/api/v1/customers/",
        "escalations": "http://testserver/api/v1/escalations/",
        "incidents": "http://testserver/api/v1/incidents/",
        "escalation-rules": "http://testserver/api/v1/escalation-rules/",
        "webhooks": "http://testserver/api/v1/webhooks/",
        "teams": "http://testserver/api/v1/teams/",
        "routing-settings": "http://testserver/api/v1/routing-settings/",
        "chat-channels": "http://testserver/api/v1/chat-channels/",
        "organizations": "http://testserver/api/v1/organizations/",
        "skill-rules": "http://testserver/api/v1/skill-rules/",
        "views": "http://testserver/api/v1/views/",
    }


def test_schema_is_refused_to_anonymous():
    response = api().get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 403
    assert response.json() == NOT_AUTHENTICATED
