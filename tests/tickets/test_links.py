"""Merge and link (issue 15): both logs record them, the survivor shows the conversation, the
customer is told, later mail goes to the survivor; links on both sides; parents wait for
children unless confirmed; permissions are those of editing both tickets."""

from __future__ import annotations

import pytest
from django.urls import reverse

from csops.errors import InvalidInput, InvalidTransition, NotFound, StaleTicket
from tests.factories import make_ticket
from tickets import services
from tickets.links import services as links
from tickets.links.models import TicketLink
from tickets.links.rules import OpenChildren, resolve_merged
from tickets.mail.models import OutboundMessage
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


def _types(ticket: Ticket) -> list[str]:
    return list(ticket.events.order_by("pk").values_list("type", flat=True))


def test_merge_closes_the_merged_with_a_pointer_and_tells_the_customer(team, rep):
    survivor = make_ticket(team, subject="Refund please")
    dup = make_ticket(team, subject="Refund, again")
    services.customer_reply(dup.pk, customer=dup.requester, body="Still waiting")

    result = links.merge([dup.pk], into=survivor.pk, by=rep)

    dup.refresh_from_db()
    assert result.pk == survivor.pk
    assert (dup.status, dup.merged_into_id, dup.solved_at) == ("closed", survivor.pk, None)
    assert _types(dup)[-2:] == ["public_reply", "merged_into"]
    assert dup.events.get(type="merged_into").data == {"into": survivor.pk}
    assert survivor.events.get(type="merged_from").data == {"tickets": [dup.pk]}
    notice = OutboundMessage.objects.get(ticket=dup)
    assert notice.recipients == [dup.requester.email]
    assert f"merged into request #{survivor.pk} (Refund please)" in notice.event.body
    assert notice.event.actor_role == "system"


def test_survivor_workspace_shows_the_merged_conversation(team, rep, rep_client):
    survivor = make_ticket(team, subject="Refund please")
    dup = make_ticket(team, subject="Refund, again", description="My second mail")
    links.merge([dup.pk], into=survivor.pk, by=rep)
    response = rep_client.get(reverse("tickets:ticket-detail", kwargs={"pk": survivor.pk}))
    bodies = [(e.ticket_id, e.body) for e in response.context["conversation"]]
    assert (dup.pk, "My second mail") in bodies
    assert f'From merged ticket <a href="/tickets/{dup.pk}/">#{dup.pk}</a>' in (
        response.content.decode()
    )
    merged_page = rep_client.get(reverse("tickets:ticket-detail", kwargs={"pk": dup.pk}))
    assert 'id="merged-banner"' in merged_page.content.decode()


def test_later_mail_on_a_merged_ticket_goes_to_the_survivor(team, rep):
    survivor = make_ticket(team)
    first, second = make_ticket(team), make_ticket(team)
    links.merge([first.pk], into=second.pk, by=rep)
    links.merge([second.pk], into=survivor.pk, by=rep)  # a merge of a merge
    first.refresh_from_db()
    assert resolve_merged(first).pk == survivor.pk
    assert first.merged_into_id == survivor.pk  # re-pointed

    after = services.customer_reply(first.pk, customer=first.requester, body="Hello?")

    assert after.pk == survivor.pk
    assert survivor.events.filter(type="public_reply", body="Hello?").count() == 1
    assert Ticket.objects.count() == 3  # no follow-up ticket was opened


@pytest.mark.parametrize("_case", ["closed survivor", "closed merged", "itself", "none"])
def test_merge_refusals_change_nothing(_case, team, rep):
    a, b = make_ticket(team), make_ticket(team)
    if _case == "closed survivor":
        services.update_ticket(a.pk, by=rep, expected_version=None, status="closed")
        call, exc = (lambda: links.merge([b.pk], into=a.pk, by=rep)), InvalidTransition
    elif _case == "closed merged":
        services.update_ticket(b.pk, by=rep, expected_version=None, status="closed")
        call, exc = (lambda: links.merge([b.pk], into=a.pk, by=rep)), InvalidTransition
    elif _case == "itself":
        call, exc = (lambda: links.merge([a.pk], into=a.pk, by=rep)), InvalidInput
    else:
        call, exc = (lambda: links.merge([], into=a.pk, by=rep)), InvalidInput
    before = list(Ticket.objects.order_by("pk").values_list("version", "status", "merged_into"))
    with pytest.raises(exc):
        call()
    assert before == list(
        Ticket.objects.order_by("pk").values_list("version", "status", "merged_into")
    )


def test_merge_checks_versions_and_scope(team, other_team, rep, rep_other_team):
    a, b = make_ticket(team), make_ticket(team)
    theirs = make_ticket(other_team)
    with pytest.raises(StaleTicket):
        links.merge([b.pk], into=a.pk, by=rep, expected_versions={b.pk: 7})
    with pytest.raises(NotFound):  # may not edit the other team's ticket
        links.merge([theirs.pk], into=a.pk, by=rep)
    with pytest.raises(NotFound):
        links.merge([b.pk], into=a.pk, by=rep_other_team)
    assert Ticket.objects.filter(merged_into__isnull=False).count() == 0


def test_links_show_on_both_sides_and_both_logs_record_them(team, rep, rep_client):
    parent = make_ticket(team, subject="Outage")
    child = make_ticket(team, subject="Cannot pay")
    link = links.link(parent.pk, other=child.pk, kind="parent", by=rep)

    page = rep_client.get(reverse("tickets:ticket-detail", kwargs={"pk": child.pk}))
    assert [(r.label, r.other.pk) for r in page.context["links"]] == [("Child of", parent.pk)]
    page = rep_client.get(reverse("tickets:ticket-detail", kwargs={"pk": parent.pk}))
    assert [(r.label, r.other.pk) for r in page.context["links"]] == [("Parent of", child.pk)]
    assert parent.events.get(type="linked").data == {"other": child.pk, "label": "Parent of"}
    assert child.events.get(type="linked").data == {"other": parent.pk, "label": "Child of"}

    with pytest.raises(Exception, match="already linked"):
        links.link(child.pk, other=parent.pk, kind="related", by=rep)

    links.unlink(link.pk, by=rep)
    assert not TicketLink.objects.exists()
    assert parent.events.get(type="unlinked").data == {"other": child.pk, "label": "Parent of"}
    assert child.events.filter(type="unlinked").count() == 1


def test_a_follow_up_and_its_closed_ticket_show_each_other(team, rep, rep_client):
    closed = make_ticket(team, subject="Printer on fire")
    Ticket.objects.filter(pk=closed.pk).update(status="closed")
    follow_up = services.customer_reply(closed.pk, customer=closed.requester, body="Again!")
    assert follow_up.pk != closed.pk
    assert closed.events.count() == 1  # the closed ticket is final: nothing logged on it

    for ticket, label, other in (
        (follow_up, "Follow-up of", closed),
        (closed, "Followed up by", follow_up),
    ):
        page = rep_client.get(reverse("tickets:ticket-detail", kwargs={"pk": ticket.pk}))
        assert [(r.label, r.other.pk) for r in page.context["links"]] == [(label, other.pk)]
        html = page.content.decode()
        assert f'{label} <a href="/tickets/{other.pk}/">#{other.pk} {other.subject}</a>' in html
        assert f"Remove link to #{other.pk}" not in html  # it stays

    link = TicketLink.objects.get()
    with pytest.raises(InvalidInput, match="stays linked"):
        links.unlink(link.pk, by=rep)
    with pytest.raises(InvalidInput, match="Unknown link type"):  # made by the system only
        links.link(make_ticket(team).pk, other=closed.pk, kind="follow_up", by=rep)
    assert TicketLink.objects.count() == 1


def test_a_parent_waits_for_its_open_children_unless_confirmed(team, rep, rep_client):
    parent, child = make_ticket(team), make_ticket(team)
    links.link(parent.pk, other=child.pk, kind="parent", by=rep)

    with pytest.raises(OpenChildren, match=f"open child tickets \\(#{child.pk}\\)"):
        services.reply(parent.pk, by=rep, body="Fixed", new_status="solved")
    assert Ticket.objects.get(pk=parent.pk).status == "new"
    # the workspace offers the confirmation, and with it the parent solves
    url = reverse("tickets:ticket-reply", kwargs={"pk": parent.pk})
    page = rep_client.get(reverse("tickets:ticket-detail", kwargs={"pk": parent.pk}))
    assert 'name="confirm_open_children"' in page.content.decode()
    version = Ticket.objects.get(pk=parent.pk).version
    body = {"body": "Fixed", "kind": "public", "status": "solved", "version": version}
    refused = rep_client.post(url, body)
    assert refused.status_code == 409
    assert "open child tickets" in refused.content.decode()
    assert rep_client.post(url, {**body, "confirm_open_children": "1"}).status_code == 302
    assert Ticket.objects.get(pk=parent.pk).status == "solved"


def test_a_parent_whose_children_are_solved_solves_without_asking(team, rep):
    parent, child = make_ticket(team), make_ticket(team)
    links.link(parent.pk, other=child.pk, kind="parent", by=rep)
    services.update_ticket(child.pk, by=rep, expected_version=None, status="solved")
    services.update_ticket(parent.pk, by=rep, expected_version=None, status="solved")
    assert Ticket.objects.get(pk=parent.pk).status == "solved"


def test_workspace_forms_link_and_merge(team, rep, rep_client):
    a, b, c = make_ticket(team), make_ticket(team), make_ticket(team)
    response = rep_client.post(
        reverse("tickets:ticket-link", kwargs={"pk": a.pk}), {"kind": "related", "other": b.pk}
    )
    assert response.status_code == 302
    assert TicketLink.objects.filter(source=a, target=b, kind="related").exists()
    bad = rep_client.post(
        reverse("tickets:ticket-link", kwargs={"pk": a.pk}), {"kind": "nope", "other": "x"}
    )
    assert bad.status_code == 422
    response = rep_client.post(reverse("tickets:ticket-merge", kwargs={"pk": c.pk}), {"into": a.pk})
    assert response.status_code == 302
    assert response["Location"] == f"/tickets/{a.pk}/"
    assert Ticket.objects.get(pk=c.pk).merged_into_id == a.pk


def test_api_merge_and_links(team, rep, rep_client):
    a, b, c = make_ticket(team), make_ticket(team), make_ticket(team)
    response = rep_client.post(
        f"/api/v1/tickets/{a.pk}/merge/", {"tickets": [b.pk]}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert Ticket.objects.get(pk=b.pk).merged_into_id == a.pk
    response = rep_client.post(
        f"/api/v1/tickets/{a.pk}/links/",
        {"kind": "duplicate", "other": c.pk},
        content_type="application/json",
    )
    assert response.status_code == 201
    link_id = response.json()[0]["id"]
    assert response.json() == [
        {"id": link_id, "label": "Duplicate of", "ticket": c.pk, "subject": c.subject,
         "status": "new"}
    ]  # fmt: skip
    listed = rep_client.get(f"/api/v1/tickets/{c.pk}/links/").json()
    assert [(r["label"], r["ticket"]) for r in listed] == [("Duplicated by", a.pk)]
    assert rep_client.delete(f"/api/v1/tickets/{c.pk}/links/{link_id}/").status_code == 204
    assert rep_client.delete(f"/api/v1/tickets/{c.pk}/links/{link_id}/").status_code == 404
    bad = rep_client.post(
        f"/api/v1/tickets/{a.pk}/merge/", {"tickets": [a.pk]}, content_type="application/json"
    )
    assert bad.status_code == 422
    assert bad.json()["error"] == "invalid"
