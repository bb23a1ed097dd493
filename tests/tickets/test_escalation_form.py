"""The escalation form says where an escalation goes before it is sent, shows the team
drop-down only for the next-tier target, and never escalates a team to itself; the board and
the ticket's panel show a manager escalation as "managers of <team>"."""

from __future__ import annotations

import re

import pytest

from csops.errors import InvalidInput
from csops.roles import Role
from tests.factories import TeamFactory, UserFactory, make_ticket
from tickets.forms_escalations import EscalateForm
from tickets.models import Escalation
from tickets.services import escalations

pytestmark = pytest.mark.django_db


@pytest.fixture
def named(team, manager):
    team.name = "Tier 1 Support"
    team.save()
    manager.first_name, manager.last_name = "Maria", "Manager"
    manager.save()
    return team


@pytest.fixture
def tier2(db):
    team = TeamFactory(name="Tier 2 Technical", slug="tier-2-technical", tier=2)
    team.managers.add(UserFactory(username="tess", role=Role.MANAGER))
    return team


@pytest.fixture
def tier3(db):
    return TeamFactory(name="Tier 3 Engineering", slug="tier-3-engineering", tier=3)


def _form(client, ticket) -> str:
    page = client.get(f"/tickets/{ticket.pk}/").content.decode()
    start = page.index('<form id="escalate-form"')
    return page[start : page.index("</form>", start)]


def test_form_says_where_each_target_goes_and_hides_the_team_field_for_managers(
    rep_client, named, tier2, tier3
):
    # given a Tier 1 ticket and two higher tiers
    ticket = make_ticket(named)
    # when the rep opens the ticket
    form = _form(rep_client, ticket)
    # then the manager target is chosen and its line names the team's managers
    assert re.search(r'<input type="radio" name="target" value="manager"[^>]*checked', form)
    assert (
        '<p class="goes-to escalate-manager-only" id="goes-to-manager">'
        "Goes to: the managers of Tier 1 Support (Maria Manager)</p>"
    ) in form
    # and the team drop-down and its line only show for the next tier (CSS on the radio)
    assert '<div class="escalate-tier-only" id="escalate-team-field">' in form
    assert (
        '<p class="goes-to escalate-tier-only" id="goes-to-tier" aria-live="polite">'
        'Goes to: <span id="goes-to-team">Tier 2 Technical (tier 2)</span></p>'
    ) in form
    options = re.findall(r'<option value="\d+"( selected)?>([^<]*)</option>', form)
    assert options == [
        (" selected", "Tier 2 Technical (tier 2)"),
        ("", "Tier 3 Engineering (tier 3)"),
    ]
    # and the old contradictory labels are gone
    assert "Lowest higher tier" not in form
    assert "Team (next tier)" not in form


def test_without_a_higher_tier_the_tier_option_says_so_and_is_disabled(rep_client, named):
    ticket = make_ticket(named)
    form = _form(rep_client, ticket)
    assert re.search(r'<input type="radio" name="target" value="tier"[^>]*disabled', form)
    assert "Next tier&#x27;s team: none above tier 1" in form
    assert 'id="escalate-team-field"' not in form
    assert 'id="goes-to-tier"' not in form
    assert "Goes to: the managers of Tier 1 Support (Maria Manager)" in form


def test_team_without_managers_says_directors_handle_it(rep_client, team):
    ticket = make_ticket(team)
    assert "Goes to: the managers of Tier 1 (no manager yet; directors handle it)" in _form(
        rep_client, ticket
    )


def test_refused_post_keeps_the_chosen_team_in_the_goes_to_line(rep_client, named, tier2, tier3):
    ticket = make_ticket(named)
    response = rep_client.post(
        f"/tickets/{ticket.pk}/escalate/",
        {"target": "tier", "to_team": tier3.pk, "category": "technical", "reason": ""},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    assert 'Goes to: <span id="goes-to-team">Tier 3 Engineering (tier 3)</span>' in (
        response.content.decode()
    )


def test_posting_the_tier_target_without_a_higher_tier_is_a_form_error(rep_client, named):
    ticket = make_ticket(named)
    response = rep_client.post(
        f"/tickets/{ticket.pk}/escalate/",
        {"target": "tier", "category": "technical", "reason": "Database error"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    assert (
        '<ul class="errorlist" id="target-errors"><li>No higher tier exists; escalate to the'
        " managers instead.</li></ul>"
    ) in response.content.decode()
    assert Escalation.objects.count() == 0


def test_manager_target_ignores_a_posted_team(rep_client, named, tier2):
    # given the (hidden) team drop-down is posted with the manager target
    ticket = make_ticket(named)
    response = rep_client.post(
        f"/tickets/{ticket.pk}/escalate/",
        {"target": "manager", "to_team": tier2.pk, "category": "legal", "reason": "Threat"},
    )
    # then the escalation goes to the managers of the ticket's own team
    assert response.status_code == 302
    esc = Escalation.objects.get()
    assert (esc.target, esc.to_team_id, esc.destination) == (
        "manager",
        named.pk,
        "managers of Tier 1 Support",
    )


def test_service_refuses_to_escalate_a_team_to_itself(rep, named, tier2):
    ticket = make_ticket(named)
    with pytest.raises(InvalidInput) as exc:
        escalations.escalate(
            ticket.pk, by=rep, target="tier", to_team=named, category="technical", reason="x"
        )
    assert exc.value.fields == {"to_team": ["A team cannot escalate to itself."]}
    assert exc.value.detail == (
        "Tier 1 Support cannot escalate to itself; choose a higher tier or its managers."
    )
    assert Escalation.objects.count() == 0


def test_open_escalation_refuses_a_tier_escalation_to_the_own_team(named):
    ticket = make_ticket(named)
    with pytest.raises(InvalidInput) as exc:
        escalations.open_escalation(
            ticket,
            ticket.created_at,
            by=None,
            target="tier",
            to_team=named,
            category="technical",
            reason="x",
        )
    assert exc.value.fields == {"to_team": ["A team cannot escalate to itself."]}
    assert Escalation.objects.count() == 0


def test_board_and_panel_show_a_manager_escalation_as_managers_of_the_team(
    manager_client, rep, named, tier2
):
    # given a manager escalation and a next-tier escalation
    mine = escalations.escalate(
        make_ticket(named).pk, by=rep, target="manager", category="legal", reason="Threat"
    )
    up = escalations.escalate(
        make_ticket(named).pk, by=rep, target="tier", category="technical", reason="Bug"
    )
    up.to_team.managers.add(mine.to_team.managers.get())
    # when the manager opens the board
    board = manager_client.get("/tickets/escalations/").content.decode()
    # then the routes read as people say them
    routes = {
        int(pk): text
        for pk, text in re.findall(
            r'<tr id="escalation-(\d+)".*?<td class="escalation-route"[^>]*>([^<]*)</td>',
            board,
            re.S,
        )
    }
    assert routes == {
        mine.pk: "Tier 1 Support → managers of Tier 1 Support",
        up.pk: "Tier 1 Support → Tier 2 Technical (tier 2)",
    }
    assert "Tier 1 Support → Tier 1 Support" not in board
    # and so does the ticket's escalation panel
    panel = manager_client.get(f"/tickets/{mine.ticket_id}/").content.decode()
    assert '<dd id="escalation-destination">managers of Tier 1 Support</dd>' in panel


def test_success_message_names_the_destination(rep_client, named):
    ticket = make_ticket(named)
    response = rep_client.post(
        f"/tickets/{ticket.pk}/escalate/",
        {"target": "manager", "category": "legal", "reason": "Threat"},
        follow=True,
    )
    esc = Escalation.objects.get()
    assert (
        f"Ticket #{ticket.pk} escalated to managers of Tier 1 Support (#{esc.pk})."
        in response.content.decode()
    )


def test_a_disabled_tier_option_does_not_leak_into_the_next_form(rep_client, named, tier2):
    # given a form drawn for a ticket of the highest tier (no tier above it)
    top = make_ticket(tier2)
    assert "none above tier 2" in EscalateForm(team=top.team).as_p()
    # when a Tier 1 ticket's form is drawn next, its tier option is enabled
    form = _form(rep_client, make_ticket(named))
    assert re.search(r'<input type="radio" name="target" value="tier"[^>]*>', form)
    assert not re.search(r'<input type="radio" name="target" value="tier"[^>]*disabled', form)
