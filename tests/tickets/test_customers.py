"""Customers and organizations (tickets.customers): scope (reps see the customers of tickets
in their teams, managers and directors all), the customer and organization pages and their
figures, search from the queue, contact edits with history, notes, and merging two records
of one person (everything moves, KPI rows still equal a full rebuild)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from csops.errors import InvalidInput, NotAllowed, NotFound
from kpis import rebuild
from kpis.models import DailyRollup, RebuildJob, TicketMetricsRow
from tests.factories import CustomerFactory, OrganizationFactory, make_ticket
from tests.kpis.engine_helpers import catch_up
from tickets import services
from tickets.customers import selectors
from tickets.customers import services as customers
from tickets.models import Customer, CustomerMerge, SurveyResponse, TicketEvent
from tickets.seeding.sla_demo import ensure_demo_sla
from tickets.services import surveys

pytestmark = pytest.mark.django_db


@pytest.fixture
def acme(db):
    return OrganizationFactory(name="Acme Corp", domain="acme.test")


@pytest.fixture
def carla(acme):
    return CustomerFactory(name="Carla Cruz", email="carla@acme.test", organization=acme)


def api(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


# --- Scope --------------------------------------------------------------------------------


def test_reps_see_customers_of_their_teams_tickets_managers_see_all(
    team, other_team, rep, rep_other_team, manager, director, carla
):
    make_ticket(team, requester=carla)
    loner = CustomerFactory(name="Lone Wolf", email="lone@example.org")
    assert list(selectors.customers_for(rep)) == [carla]
    assert list(selectors.customers_for(rep_other_team)) == []
    assert set(selectors.customers_for(director)) == {carla, loner}
    with pytest.raises(NotFound, match="has no ticket in your teams"):
        selectors.customer_profile(rep_other_team, carla.pk)
    assert selectors.customer_profile(manager, loner.pk).ticket_count == 0


def test_api_list_is_scoped_and_searches_organization(team, rep, rep_other_team, carla):
    make_ticket(team, requester=carla)
    url = reverse("tickets-api:customer-list")
    found = api(rep).get(url, {"search": "acme corp"}).json()["results"]
    assert [c["email"] for c in found] == ["carla@acme.test"]
    assert api(rep_other_team).get(url).json()["results"] == []
    detail = reverse("tickets-api:customer-detail", args=[carla.pk])
    assert api(rep_other_team).get(detail).status_code == 404


def test_api_organizations_are_scoped_searchable_and_carry_the_pages_figures(
    team, rep, rep_other_team, director, acme, carla
):
    make_ticket(team, requester=carla, subject="Invoice missing")
    OrganizationFactory(name="Zeta Ltd", domain="zeta.test")  # no ticket in rep's teams
    url = reverse("tickets-api:organization-list")
    assert [o["name"] for o in api(rep).get(url).json()["results"]] == ["Acme Corp"]
    assert [o["name"] for o in api(director).get(url, {"search": "zeta"}).json()["results"]] == [
        "Zeta Ltd"
    ]
    assert api(rep_other_team).get(url).json()["results"] == []
    detail = reverse("tickets-api:organization-detail", args=[acme.pk])
    body = api(rep).get(detail).json()
    assert (body["id"], body["name"], body["domain"]) == (acme.pk, "Acme Corp", "acme.test")
    assert body["people"] == [{"id": carla.pk, "name": "Carla Cruz", "email": "carla@acme.test"}]
    assert (body["open_count"], [t["subject"] for t in body["open_tickets"]]) == (
        1, ["Invoice missing"]
    )  # fmt: skip
    assert (body["sla_attainment_percent"], body["csat_answers"], body["csat_percent"]) == (
        None, 0, None
    )  # fmt: skip
    assert api(rep_other_team).get(detail).status_code == 404
    missing = reverse("tickets-api:organization-detail", args=["nope"])
    assert api(director).get(missing).status_code == 404


# --- Pages --------------------------------------------------------------------------------


def test_customer_page_shows_tickets_csat_channels_and_notes(team, rep, carla, client_for):
    solved = make_ticket(team, requester=carla, subject="Login broken")
    services.reply(solved.pk, by=rep, body="Fixed it.")
    services.update_ticket(solved.pk, by=rep, expected_version=None, status="solved")
    invitation = surveys.invite_for_solve(solved.pk)
    surveys.submit_response(invitation, rating=5, comment="Quick and kind")
    make_ticket(team, requester=carla, subject="Invoice question", channel="web")
    customers.add_note(carla.pk, by=rep, body="Prefers phone calls after 5 pm.")
    page = client_for(rep).get(reverse("customers:customer-detail", args=[carla.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "carla@acme.test" in html
    assert "Acme Corp" in html
    assert "Invoice question" in html
    assert "Solved" in html
    assert 'id="channels">Email (1), Web form (1)</dd>' in html
    assert "Satisfaction: 100.0% positive (1 of 1)" in html
    assert "<strong>5/5</strong>" in html
    assert "Quick and kind" in html
    assert "Prefers phone calls after 5 pm." in html


def test_organization_page_shows_people_open_tickets_sla_and_csat(
    team, rep, director, acme, carla, client_for, time_machine
):
    time_machine.move_to("2026-11-24 14:00:00+00:00", tick=False)  # Tuesday, 09:00 New York
    ensure_demo_sla(director, since=timezone.now() - timezone.timedelta(days=30))
    bob = CustomerFactory(name="Bob Stone", email="bob@acme.test", organization=acme)
    met = make_ticket(team, requester=carla, subject="Met in time")
    late = make_ticket(team, requester=bob, subject="Answered late")
    time_machine.move_to("2026-11-24 14:30:00+00:00", tick=False)
    services.reply(met.pk, by=rep, body="On it.")  # within the 4 business hours: achieved
    time_machine.move_to("2026-11-27 14:00:00+00:00", tick=False)
    services.reply(late.pk, by=rep, body="Sorry for the wait.")  # days later: breached
    profile = selectors.organization_profile(rep, acme.pk)
    # Met: first reply achieved. Late: first reply breached, agent work breached (by 27th).
    assert (profile.sla.achieved, profile.sla.breached, profile.sla.percent) == (1, 2, 33.3)
    assert profile.sla.breached >= 1
    assert [p.name for p in profile.people] == ["Bob Stone", "Carla Cruz"]
    assert [t.subject for t in profile.open_tickets] == ["Answered late", "Met in time"]
    html = client_for(rep).get(reverse("customers:organization-detail", args=[acme.pk]))
    text = html.content.decode()
    assert f"{profile.sla.percent}% ({profile.sla.achieved} of" in text
    assert "Open tickets (2)" in text
    assert "No survey answers yet" in text


def test_queue_search_lists_matching_customers_and_organizations(team, rep, carla, client_for):
    make_ticket(team, requester=carla)
    html = client_for(rep).get(reverse("tickets:queue"), {"q": "acme"}).content.decode()
    assert 'id="people-results"' in html
    assert reverse("customers:customer-detail", args=[carla.pk]) in html
    assert reverse("customers:organization-detail", args=[carla.organization_id]) in html


def test_workspace_links_the_requester_to_their_page(team, rep, carla, client_for):
    ticket = make_ticket(team, requester=carla)
    html = client_for(rep).get(reverse("tickets:ticket-detail", args=[ticket.pk])).content
    assert reverse("customers:customer-detail", args=[carla.pk]).encode() in html


# --- Edits and notes ----------------------------------------------------------------------


def test_contact_edit_saves_and_is_in_history(team, rep, carla, client_for):
    make_ticket(team, requester=carla)
    response = client_for(rep).post(
        reverse("customers:customer-edit", args=[carla.pk]),
        {"name": "Carla Cruz-Ortiz", "email": "carla@new.test", "phone": "+1 555 0100",
         "organization": "New Co"},
    )  # fmt: skip
    assert response.status_code == 302
    carla.refresh_from_db()
    assert (carla.name, carla.email, carla.phone, carla.organization.name) == (
        "Carla Cruz-Ortiz", "carla@new.test", "+1 555 0100", "New Co",
    )  # fmt: skip
    latest = carla.history.first()
    assert (latest.history_change_reason, latest.history_user_id) == (
        "Contact details edited",
        rep.pk,
    )


def test_contact_edit_refuses_an_email_of_another_customer(team, rep, carla, client_for):
    make_ticket(team, requester=carla)
    CustomerFactory(email="taken@example.org")
    response = client_for(rep).post(
        reverse("customers:customer-edit", args=[carla.pk]),
        {"name": "Carla", "email": "TAKEN@example.org"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="email-errors"><li>Another customer has this email: merge' in html
    carla.refresh_from_db()
    assert carla.email == "carla@acme.test"


def test_api_patch_edits_contact_details_in_scope_only(team, rep, rep_other_team, carla):
    make_ticket(team, requester=carla)
    url = reverse("tickets-api:customer-detail", args=[carla.pk])
    refused = api(rep_other_team).patch(url, {"phone": "1"}, format="json")
    assert refused.status_code == 404
    response = api(rep).patch(url, {"phone": "+1 555 0199"}, format="json")
    assert response.status_code == 200
    assert response.json()["phone"] == "+1 555 0199"
    assert response.json()["organization"]["name"] == "Acme Corp"
    bad = api(rep).patch(url, {"email": "not-an-email"}, format="json")
    assert bad.status_code == 400


# --- Merge --------------------------------------------------------------------------------


def _history(team, rep, customer, subject):
    ticket = make_ticket(team, requester=customer, subject=subject)
    services.reply(ticket.pk, by=rep, body="Hello")
    services.customer_reply(ticket.pk, customer=customer, body="Thanks, one more thing")
    services.reply(ticket.pk, by=rep, body="Done")
    return services.update_ticket(ticket.pk, by=rep, expected_version=None, status="solved")


def _kpi_rows():
    metrics = TicketMetricsRow.objects.order_by("pk").values()
    metrics = [{k: v for k, v in r.items() if k != "computed_at"} for r in metrics]
    rollups = DailyRollup.objects.values()
    return (
        [dict(r) for r in metrics],
        sorted(repr(sorted((k, v) for k, v in r.items() if k != "id")) for r in rollups),
    )


def test_merge_moves_everything_keeps_kpis_and_records_it(team, rep, manager, carla):
    duplicate = CustomerFactory(name="C. Cruz", email="c.cruz@mail.test", phone="+1 555 0111")
    kept = _history(team, rep, carla, "Kept ticket")
    moved = _history(team, rep, duplicate, "Moved ticket")
    invitation = surveys.invite_for_solve(moved.pk)
    surveys.submit_response(invitation, rating=2)
    customers.add_note(duplicate.pk, by=rep, body="Was rude once")
    catch_up()
    before = _kpi_rows()

    merge = customers.merge_customers(carla.pk, duplicate.pk, by=manager)
    catch_up()

    assert not Customer.objects.filter(pk=duplicate.pk).exists()
    assert set(carla.tickets.values_list("pk", flat=True)) == {kept.pk, moved.pk}
    assert TicketEvent.objects.filter(customer_id=duplicate.pk).count() == 0
    assert TicketEvent.objects.filter(ticket=moved, customer=carla).count() == 2
    assert SurveyResponse.objects.get(ticket=moved).ticket.requester_id == carla.pk
    assert carla.notes.get().body == "Was rude once"
    carla.refresh_from_db()
    assert carla.phone == "+1 555 0111"  # a blank filled from the duplicate
    assert (merge.merged_email, merge.by_id, merge.moved["ticket.requester"]) == (
        "c.cruz@mail.test", manager.pk, 1,
    )  # fmt: skip
    reasons = list(
        Customer.history.filter(id=duplicate.pk).values_list(
            "history_type", "history_change_reason"
        )
    )
    assert ("-", f"Merged into customer {carla.pk} (carla@acme.test)") in reasons
    # KPIs unchanged, and equal to a full rebuild
    after = _kpi_rows()
    assert after == before
    rebuild.run(RebuildJob.objects.create(created_at=timezone.now()), chunk=10)
    assert _kpi_rows() == after
    # mail from the merged address reaches the survivor
    assert customers.find_or_create_customer(by=None, email="C.Cruz@mail.test") == carla
    assert CustomerMerge.objects.count() == 1


def test_merge_is_for_managers_and_never_with_itself(team, rep, manager, carla):
    duplicate = CustomerFactory(email="dup@example.org")
    make_ticket(team, requester=duplicate)
    with pytest.raises(NotAllowed):
        customers.merge_customers(carla.pk, duplicate.pk, by=rep)
    with pytest.raises(InvalidInput, match="cannot be merged with itself"):
        customers.merge_customers(carla.pk, carla.pk, by=manager)
    assert Customer.objects.filter(pk=duplicate.pk).exists()


def test_merge_page_names_an_unknown_email(team, manager, carla, client_for):
    response = client_for(manager).post(
        reverse("customers:customer-merge", args=[carla.pk]), {"duplicate": "nobody@x.test"}
    )
    assert response.status_code == 422
    assert "No customer has this email." in response.content.decode()


def test_api_merge_answers_what_moved(team, rep, manager, carla):
    duplicate = CustomerFactory(email="dup@example.org")
    make_ticket(team, requester=duplicate)
    url = reverse("tickets-api:customer-merge", args=[carla.pk])
    response = api(manager).post(url, {"duplicate": duplicate.pk}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert (body["survivor"]["id"], body["merged_email"]) == (carla.pk, "dup@example.org")
    assert body["moved"]["ticket.requester"] == 1
    again = api(manager).post(url, {"duplicate": duplicate.pk}, format="json")
    assert again.status_code == 422
