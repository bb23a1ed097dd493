"""The admin's escalation rule form checks a rule as the rules page and the API do
(``services.escalation_rules.rule_problems``): an invalid rule shows its errors and is not
saved; a valid one is saved through ``save_rule``."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tickets.models import EscalationRule

pytestmark = pytest.mark.django_db

ADD = reverse("admin:tickets_escalationrule_add")


def _post(**values) -> dict:
    data = {
        "name": "Angry customers",
        "active": "on",
        "position": "0",
        "trigger": "customer_keyword",
        "minutes": "",
        "keywords": "",
        "metric": "",
        "reassign_team": "",
        "reassign_user": "",
        "raise_priority_to": "",
        "notify": "",
        "escalation_category": "complaint",
    }
    data.update(values)
    return data


def _errors(response) -> dict[str, list[str]]:
    return {k: list(v) for k, v in response.context["adminform"].form.errors.items()}


def test_invalid_rule_shows_the_rule_problems_and_is_not_saved(client_for, admin_user):
    # given a keyword rule without keywords, with an unknown metric and no action
    # when the admin adds it
    response = client_for(admin_user).post(ADD, _post(metric="speed"))
    # then the form comes back with the same errors the rules page and the API give
    assert response.status_code == 200
    assert _errors(response) == {
        "keywords": ["List at least one keyword."],
        "metric": [
            "Unknown SLA metric; use one of first_reply, next_reply, periodic_update, "
            "requester_wait, agent_work."
        ],
        "__all__": ["Choose at least one action."],
    }
    assert "List at least one keyword." in response.content.decode()
    # and nothing was saved
    assert EscalationRule.objects.count() == 0


def test_reassigning_to_someone_off_the_team_is_refused(client_for, admin_user, other_team, rep):
    response = client_for(admin_user).post(
        ADD,
        _post(keywords="refund", reassign_team=str(other_team.pk), reassign_user=str(rep.pk)),
    )
    assert response.status_code == 200
    assert _errors(response) == {"reassign_user": ["rita does not work Billing's queue."]}
    assert EscalationRule.objects.count() == 0


def test_editing_a_rule_into_an_invalid_one_keeps_the_stored_rule(client_for, admin_user):
    # given a valid rule added in the admin
    client = client_for(admin_user)
    assert client.post(ADD, _post(keywords="refund", notify="directors")).status_code == 302
    rule = EscalationRule.objects.get()
    # when the admin removes its only action
    response = client.post(
        reverse("admin:tickets_escalationrule_change", args=[rule.pk]), _post(keywords="refund")
    )
    # then the change is refused and the stored rule is unchanged
    assert response.status_code == 200
    assert _errors(response) == {"__all__": ["Choose at least one action."]}
    rule.refresh_from_db()
    assert (rule.keywords, rule.notify) == ("refund", "directors")


def test_valid_rule_is_saved(client_for, admin_user, team, rep):
    response = client_for(admin_user).post(
        ADD,
        _post(
            keywords="refund, chargeback",
            reassign_team=str(team.pk),
            reassign_user=str(rep.pk),
            notify="team_managers",
            open_escalation="on",
        ),
    )
    assert response.status_code == 302
    rule = EscalationRule.objects.get()
    assert (
        rule.name,
        rule.trigger,
        rule.keyword_list,
        rule.reassign_team_id,
        rule.reassign_user_id,
        rule.notify,
        rule.open_escalation,
        rule.created_by_id,
    ) == (
        "Angry customers",
        "customer_keyword",
        ["refund", "chargeback"],
        team.pk,
        rep.pk,
        "team_managers",
        True,
        admin_user.pk,
    )
