"""Macros: maintained by managers, rendered safely, applied in the reply box, use recorded."""

from __future__ import annotations

import pytest
from django.urls import reverse

from csops.errors import InvalidInput, NotAllowed
from policies.markup import render_macro
from policies.models import Macro, Tag
from policies.services import macros as services
from tests.factories import CustomerFactory, make_ticket
from tickets.models import TicketEvent

pytestmark = pytest.mark.django_db

HOSTILE_NAME = '</textarea><script>alert("x")</script>{{agent_name}}{% debug %}'


def test_placeholders_are_substituted_once_and_unknown_ones_left_as_typed():
    values = {"customer_name": HOSTILE_NAME, "ticket_number": "42", "agent_name": "Rita"}
    body = "Hi {{customer_name}}, ticket {{ ticket_number }} · {{secret_key}} · {{ agent_name }}"
    assert render_macro(body, values) == (
        f"Hi {HOSTILE_NAME}, ticket 42 · {{{{secret_key}}}} · Rita"
    )


def test_template_syntax_in_a_macro_body_is_plain_text():
    body = "{% load log %}{{ settings.SECRET_KEY }} {{customer_name.__class__}}"
    assert render_macro(body, {"customer_name": "Ann"}) == body


def test_manager_creates_macro_rep_cannot(manager, rep):
    tag = Tag.objects.create(name="refund")
    macro = services.create_macro(
        by=manager, title="Refund sent", body="Hi {{customer_name}}", set_status="pending",
        set_priority="low", add_tags=[tag],
    )  # fmt: skip
    assert (macro.title, macro.set_status, list(macro.add_tags.values_list("name", flat=True))) == (
        "Refund sent", "pending", ["refund"],
    )  # fmt: skip
    with pytest.raises(NotAllowed, match="Your role may not maintain macros."):
        services.create_macro(by=rep, title="X", body="Y")
    assert Macro.objects.count() == 1


@pytest.mark.parametrize(
    ("_case", "kw", "fields"),
    [
        ("empty body", {"title": "A", "body": " "}, {"body": ["The body is empty."]}),
        ("unknown placeholder", {"title": "A", "body": "Hi {{password}}"},
         {"body": ["Unknown placeholders: password."]}),
        ("bad status", {"title": "A", "body": "B", "set_status": "closed"},
         {"set_status": ["Unknown status."]}),
    ],
)  # fmt: skip
def test_bad_macro_input(_case, kw, fields, manager):
    with pytest.raises(InvalidInput) as exc:
        services.create_macro(by=manager, **kw)
    assert exc.value.fields == fields


def test_applying_a_macro_fills_the_reply_box_escaped(rep_client, rep, team, manager):
    customer = CustomerFactory(name=HOSTILE_NAME)
    ticket = make_ticket(team, requester=customer)
    macro = services.create_macro(
        by=manager, title="Greeting", body="Dear {{customer_name}}, about #{{ticket_number}}",
        set_status="pending",
    )  # fmt: skip
    url = reverse("tickets:ticket-macro", args=[ticket.pk])
    response = rep_client.get(url, {"macro_pick": macro.pk}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>" not in html
    escaped = "&lt;/textarea&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;{{agent_name}}"
    assert f"Dear {escaped}{{% debug %}}, about #{ticket.pk}</textarea>" in html
    assert 'hx-swap-oob="outerHTML:#reply-form [name=body]"' in html
    assert '<option value="pending" selected>' in html
    # Without JS the same URL is a page with the filled reply form.
    page = rep_client.get(url, {"macro_pick": macro.pk})
    assert page.status_code == 200
    assert f'name="macro" value="{macro.pk}"' in page.content.decode()


def test_sending_with_a_macro_applies_its_changes_and_records_its_use(
    rep_client, rep, team, manager
):
    tag = Tag.objects.create(name="refund")
    ticket = make_ticket(team)
    macro = services.create_macro(
        by=manager, title="Refund sent", body="Refunded.", set_status="pending",
        set_priority="low", add_tags=[tag],
    )  # fmt: skip
    response = rep_client.post(
        reverse("tickets:ticket-reply", args=[ticket.pk]),
        {"body": "Refunded, edited.", "kind": "public", "status": "pending",
         "version": ticket.version, "macro": macro.pk},
    )  # fmt: skip
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.status, ticket.priority) == ("pending", "low")
    assert list(ticket.tags.values_list("name", flat=True)) == ["refund"]
    types = list(TicketEvent.objects.filter(ticket=ticket).values_list("type", flat=True))
    assert types == [
        "created", "status_changed", "public_reply", "status_changed", "priority_changed",
        "tags_changed", "macro_applied",
    ]  # fmt: skip
    used = TicketEvent.objects.get(ticket=ticket, type="macro_applied")
    assert (used.actor_id, used.data) == (rep.pk, {"macro": macro.pk, "title": "Refund sent"})


def test_rep_of_another_team_cannot_apply_a_macro_to_the_ticket(
    client_for, rep_other_team, team, manager
):
    ticket = make_ticket(team)
    macro = services.create_macro(by=manager, title="A", body="B")
    url = reverse("tickets:ticket-macro", args=[ticket.pk])
    assert client_for(rep_other_team).get(url, {"macro_pick": macro.pk}).status_code == 404


def test_macro_pages_for_managers(manager_client, rep_client):
    response = manager_client.post(
        reverse("policies:macro-new"), {"title": "T", "body": "", "active": "on"}
    )
    assert response.status_code == 422
    assert "The body is empty." in response.content.decode()
    response = manager_client.post(
        reverse("policies:macro-new"),
        {"title": "T", "body": "Hello {{customer_name}}", "active": "on"},
    )
    assert response.status_code == 302
    assert rep_client.get(reverse("policies:macro-new")).status_code == 403
