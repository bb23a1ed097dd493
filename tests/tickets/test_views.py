from __future__ import annotations

from html import escape

import pytest
from django.urls import reverse

from policies.models import Tag
from tests.factories import CustomerFactory, make_ticket
from tickets import services
from tickets.models import Ticket, TicketEvent
from tickets.selectors import timeline

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_queue_lists_only_the_reps_teams(rep_client, team, other_team):
    mine = make_ticket(team, subject="Mine to see")
    make_ticket(other_team, subject="Not for me")
    response = rep_client.get(reverse("tickets:queue"), {"view": "teams"})
    assert response.status_code == 200
    assert [t.pk for t in response.context["page"].tickets] == [mine.pk]


@pytest.mark.parametrize(
    ("_case", "persona", "view", "subjects"),
    [
        ("rep: my unsolved tickets", "rep", "mine", ["Claimed by me"]),
        ("manager: all my teams", "manager", "teams", ["Claimed by me", "Waiting"]),
    ],
)
def test_queue_default_view_depends_on_the_role(request, _case, persona, view, subjects, team):
    # given a ticket the rep claimed, one unassigned and one the rep solved
    rep = request.getfixturevalue("rep")
    claimed = make_ticket(team, subject="Claimed by me")
    services.claim(claimed.pk, by=rep)
    make_ticket(team, subject="Waiting")
    solved = make_ticket(team, subject="Solved by me")
    services.update_ticket(solved.pk, by=rep, expected_version=None, assignee=rep, status="solved")

    # when the persona opens the queue without choosing a view
    response = request.getfixturevalue(f"{persona}_client").get(reverse("tickets:queue"))

    # then
    assert response.context["current_view"] == view
    assert sorted(t.subject for t in response.context["page"].tickets) == subjects


def test_queue_htmx_request_returns_only_the_results_region(rep_client, team):
    make_ticket(team, subject="Printer on fire")
    response = rep_client.get(
        reverse("tickets:queue"), {"view": "teams", "q": ""}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="results"')
    assert "Printer on fire" in html
    assert "<header" not in html
    assert "HX-Request" in response["Vary"]


def test_queue_filters_views_and_pages(rep, rep_client, team):
    claimed = make_ticket(team, subject="Claimed one")
    services.claim(claimed.pk, by=rep)
    for i in range(26):
        make_ticket(team, subject=f"Waiting {i}", priority="high" if i % 2 else "low")
    mine = rep_client.get(reverse("tickets:queue"), {"view": "mine"}).context["page"]
    unassigned = rep_client.get(reverse("tickets:queue"), {"view": "unassigned"}).context["page"]
    high = rep_client.get(reverse("tickets:queue"), {"view": "teams", "priority": "high"}).context[
        "page"
    ]
    page2 = rep_client.get(reverse("tickets:queue"), {"view": "teams", "page": 2}).context["page"]
    assert [t.pk for t in mine.tickets] == [claimed.pk]
    assert (unassigned.total, unassigned.has_next, len(unassigned.tickets)) == (26, True, 25)
    assert high.total == 13
    assert (page2.number, len(page2.tickets), page2.has_next, page2.has_previous) == (
        2,
        2,
        False,
        True,
    )


def test_queue_search_matches_conversation(rep, rep_client, team):
    hit = make_ticket(team, subject="Account question")
    services.reply(hit.pk, by=rep, body="Your refund was approved", public=True, expected_version=1)
    make_ticket(team, subject="Other question")
    page = rep_client.get(reverse("tickets:queue"), {"view": "teams", "q": "refund"}).context[
        "page"
    ]
    assert [t.pk for t in page.tickets] == [hit.pk]


def test_invalid_filter_is_a_400_with_the_error_shown(rep_client):
    response = rep_client.get(reverse("tickets:queue"), {"status": "bogus"})
    assert response.status_code == 400
    assert "Some filters are not valid" in response.content.decode()


def test_workspace_shows_conversation_and_escapes_customer_text(rep_client, team):
    customer = CustomerFactory(name=XSS)
    ticket = make_ticket(team, requester=customer, subject=XSS, description=XSS)
    TicketEvent.objects.create(
        ticket=ticket,
        at=ticket.created_at,
        type="public_reply",
        actor_role="customer",
        customer=customer,
        body=XSS,
    )
    html = rep_client.get(reverse("tickets:ticket-detail", args=[ticket.pk])).content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert html.count("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;") >= 4


def test_queue_escapes_subjects(rep_client, team):
    make_ticket(team, subject=XSS)
    html = rep_client.get(reverse("tickets:queue"), {"view": "teams"}).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html


def test_reply_form_posts_note_and_public_reply(rep, rep_client, team):
    ticket = make_ticket(team)
    url = reverse("tickets:ticket-reply", args=[ticket.pk])
    r1 = rep_client.post(url, {"body": "Checked logs", "kind": "note", "version": 1})
    r2 = rep_client.post(
        url, {"body": "We fixed it", "kind": "public", "status": "solved", "version": 2}
    )
    assert (r1.status_code, r2.status_code) == (302, 302)
    ticket.refresh_from_db()
    assert ticket.status == "solved"
    assert list(ticket.events.values_list("type", "body")) == [
        ("created", ticket.description),
        ("status_changed", ""),
        ("internal_note", "Checked logs"),
        ("public_reply", "We fixed it"),
        ("status_changed", ""),
    ]


def test_empty_reply_shows_field_error_and_writes_nothing(rep_client, team):
    ticket = make_ticket(team)
    response = rep_client.post(
        reverse("tickets:ticket-reply", args=[ticket.pk]),
        {"body": "  ", "kind": "public", "version": 1},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    assert 'id="body-errors"' in response.content.decode()
    assert ticket.events.count() == 1


def test_stale_reply_is_409_keeps_draft_and_writes_nothing(rep, rep2, client_for, team):
    ticket = make_ticket(team)
    services.reply(ticket.pk, by=rep2, body="Colleague got there first", expected_version=1)
    response = client_for(rep).post(
        reverse("tickets:ticket-reply", args=[ticket.pk]),
        {"body": "My draft answer", "kind": "public", "version": 1},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "Someone else changed ticket" in html
    assert "My draft answer" in html
    assert 'name="version" value="2"' in html
    assert ticket.events.filter(body="My draft answer").count() == 0


def test_stale_properties_edit_is_409_keeps_the_draft_and_lists_what_differs(
    rep, rep2, client_for, team
):
    # given: the rep opened a tagged ticket (version 2); a colleague then raised its priority
    ticket = make_ticket(team)
    tags = [Tag.objects.create(name="vip"), Tag.objects.create(name="billing")]
    services.update_ticket(ticket.pk, by=rep, expected_version=1, tags=tags)
    services.update_ticket(ticket.pk, by=rep2, expected_version=2, priority="high")
    # when: the rep's edit (status pending, the rest as they saw it) arrives with version 2
    response = client_for(rep).post(
        reverse("tickets:ticket-update", args=[ticket.pk]),
        {
            "status": "pending",
            "priority": "normal",
            "team": team.pk,
            "assignee": "",
            "tags": ["vip", "billing"],
            "version": 2,
        },
        HTTP_HX_REQUEST="true",
    )
    # then: 409; the form holds the rep's draft with the fresh version, and lists where the
    # ticket now differs from it (the rep's own change and the colleague's)
    html = response.content.decode()
    draft = response.context["props_form"]
    assert response.status_code == 409
    assert "Someone else changed ticket" in html
    assert (draft["status"].value(), draft["priority"].value()) == ("pending", "normal")
    assert (draft["tags"].value(), draft["version"].value()) == (["vip", "billing"], "3")
    assert '<option value="pending" selected>' in html
    assert '<option value="normal" selected>' in html
    assert response.context["props_changed"] == [
        ("status", "Status", "Open"),
        ("priority", "Priority", "High"),
    ]
    assert '<li data-field="priority">Priority: <strong>High</strong></li>' in html
    # and nothing of the stale edit was written
    ticket.refresh_from_db()
    assert (ticket.status, ticket.priority, ticket.version) == ("open", "high", 3)
    assert sorted(ticket.tags.values_list("name", flat=True)) == ["billing", "vip"]


def test_claim_button_conflict_shows_owner(rep, rep2, client_for, team):
    ticket = make_ticket(team)
    services.claim(ticket.pk, by=rep)
    response = client_for(rep2).post(
        reverse("tickets:ticket-claim", args=[ticket.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 409
    assert f"already claimed by {escape(rep.get_full_name())}" in response.content.decode()
    assert response["HX-Retarget"] == "#flash"


def test_properties_update_changes_priority_and_assignee(rep, rep2, rep_client, team):
    ticket = make_ticket(team)
    response = rep_client.post(
        reverse("tickets:ticket-update", args=[ticket.pk]),
        {
            "status": "pending",
            "priority": "urgent",
            "team": team.pk,
            "assignee": rep2.pk,
            "version": 1,
        },
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.status, ticket.priority, ticket.assignee) == ("pending", "urgent", rep2)


def test_new_ticket_form_logs_phone_call(rep, rep_client, team):
    response = rep_client.post(
        reverse("tickets:ticket-new"),
        {
            "requester_email": "caller@example.org",
            "requester_name": "Carl Caller",
            "subject": "Phone: router",
            "description": "Router keeps rebooting",
            "channel": "phone",
            "direction": "customer",
            "team": team.pk,
            "priority": "normal",
            "assign_to_me": "on",
        },
    )
    ticket = Ticket.objects.get(subject="Phone: router")
    assert response.status_code == 302
    assert response["Location"] == reverse("tickets:ticket-detail", args=[ticket.pk])
    assert (ticket.requester.name, ticket.assignee, ticket.status) == ("Carl Caller", rep, "open")


def test_new_ticket_form_shows_errors_next_to_fields(rep_client, team):
    response = rep_client.post(reverse("tickets:ticket-new"), {"team": team.pk})
    html = response.content.decode()
    assert response.status_code == 422
    assert 'id="id_subject-errors"' in html
    assert 'id="id_requester_email-errors"' in html
    assert Ticket.objects.count() == 0


def test_rep_of_other_team_gets_404_on_workspace_and_actions(rep_other_team, client_for, team):
    ticket = make_ticket(team)
    client = client_for(rep_other_team)
    assert client.get(reverse("tickets:ticket-detail", args=[ticket.pk])).status_code == 404
    response = client.post(
        reverse("tickets:ticket-reply", args=[ticket.pk]),
        {"body": "x", "kind": "public", "version": 1},
    )
    assert response.status_code == 404
    assert ticket.events.count() == 1


def test_history_describes_events_in_words(rep, director_client, team, other_team):
    ticket = make_ticket(team, channel="phone")
    services.claim(ticket.pk, by=rep)
    services.update_ticket(ticket.pk, by=rep, expected_version=2, priority="urgent")
    services.update_ticket(ticket.pk, by=rep, expected_version=3, team=other_team)
    html = director_client.get(reverse("tickets:ticket-detail", args=[ticket.pk])).content.decode()
    name = rep.get_full_name()
    assert [(h.what, h.who) for h in timeline(ticket).history] == [
        ("Created via phone for Tier 1", ticket.requester.name),
        ("Status new → open", name),
        (f"Assigned to {name}", name),
        ("Priority normal → urgent", name),
        ("Assigned to nobody in Billing", name),
    ]
    assert "<strong>Assigned to nobody in Billing</strong>" in html


def test_queue_headers_sort_and_say_how(rep_client, rep, team):
    low = make_ticket(team, subject="Low one", priority="low")
    urgent = make_ticket(team, subject="Urgent one", priority="urgent")
    page = rep_client.get("/tickets/?view=teams").content.decode()
    assert 'aria-sort="descending"><a class="sort" href="?view=teams&amp;sort=updated_at">' in page
    assert '<a class="sort" href="?view=teams&amp;sort=-priority_rank">Priority</a>' in page
    response = rep_client.get("/tickets/?view=teams&sort=priority_rank")
    rows = [t.pk for t in response.context["page"].tickets]
    assert rows == [low.pk, urgent.pk]
    assert 'aria-sort="ascending"><a class="sort" href="?view=teams&amp;sort=-priority_rank">' in (
        response.content.decode()
    )


@pytest.mark.postgres
def test_search_results_mark_why_each_ticket_matched(rep_client, rep, team):
    ticket = make_ticket(team, subject="<b>Refund</b> for order 1042", description="Hello.")
    services.reply(ticket.pk, by=rep, body="We sent the refund to your card today.", public=True)
    page = rep_client.get("/tickets/?view=teams&q=refund").content.decode()
    assert "&lt;b&gt;<mark>Refund</mark>&lt;/b&gt; for order 1042" in page
    snippet = page[page.index(f'data-match="{ticket.pk}">') :]
    assert snippet[: snippet.index("</small>")].endswith(
        "the <mark>refund</mark> to your card today"
    )
