"""Permission-matrix rows of routing (issue 15): the routing page and settings are for the
team's managers and directors; everyone on staff sets their own availability; whoever may
work a ticket sets its required skills; the skills catalog is read by all staff."""

from __future__ import annotations

from staffing.models import Availability, PersonSkill
from tests.matrix import Row, api_staff, staff
from tests.tickets.matrix import ticket_kwargs
from tests.tickets.routing_helpers import holds, skill
from tickets.routing.models import RoutingSettings, SkillRule, TicketRouting

JSON = "application/json"
_MANAGERS = {"rep": 403, "rep_other_team": 403}


def _team(ctx) -> dict:
    return {"team_pk": ctx["team"].pk}


def _team_pk(ctx) -> dict:
    return {"pk": ctx["team"].pk}


def _settings_snapshot(ctx):
    return list(RoutingSettings.objects.values_list("team_id", "mode", "capacity"))


def _availability_snapshot(ctx):
    return list(Availability.objects.values_list("user_id", "status"))


def _skill_kwargs(ctx) -> dict:
    ctx["skill"] = skill("German")
    return {"pk": ctx["skill"].pk}


def _ticket_with_skill(ctx) -> dict:
    ctx["skill"] = skill("German")
    return ticket_kwargs(ctx)


def _required_snapshot(ctx):
    return list(
        TicketRouting.required_skills.through.objects.values_list("ticketrouting_id", "skill_id")
    )


def _held(ctx) -> dict:
    holds(ctx["users"]["rep"], skill("German"))
    ctx["held"] = PersonSkill.objects.get(user=ctx["users"]["rep"])
    return {"pk": ctx["held"].pk}


ROWS: dict[str, Row] = {
    "tickets:routing-board": Row("get", staff(200, **_MANAGERS)),
    "tickets:routing-settings": Row(
        "post",
        staff(302, rep=403, rep_other_team=403),
        kwargs=_team,
        data=lambda ctx: {"mode": "least_loaded", "capacity": 6},
        snapshot=_settings_snapshot,
    ),
    "tickets:availability-set": Row(
        "post",
        staff(302),
        data=lambda ctx: {"status": "away"},
        snapshot=_availability_snapshot,
    ),
    "tickets:ticket-required-skills": Row(
        "post",
        staff(302, rep_other_team=404),
        kwargs=_ticket_with_skill,
        data=lambda ctx: {"skills": [ctx["skill"].pk], "language": "de"},
        snapshot=_required_snapshot,
    ),
    "tickets-api:routing-settings-list": Row("get", api_staff(200, **_MANAGERS)),
    "tickets-api:routing-settings-detail": Row(
        "patch",
        api_staff(200, **_MANAGERS),
        kwargs=_team_pk,
        data=lambda ctx: {"mode": "round_robin"},
        snapshot=_settings_snapshot,
        content_type=JSON,
    ),
    "tickets-api:availability": Row(
        "put",
        api_staff(200),
        data=lambda ctx: {"status": "away"},
        snapshot=_availability_snapshot,
        content_type=JSON,
    ),
    "tickets-api:ticket-routing-detail": Row(
        "put",
        api_staff(200, rep_other_team=404),
        kwargs=_ticket_with_skill,
        data=lambda ctx: {"required_skills": [ctx["skill"].pk], "language": "de"},
        snapshot=_required_snapshot,
        content_type=JSON,
    ),
    "staffing-api:skill-list": Row("get", api_staff(200)),
    "staffing-api:skill-detail": Row("get", api_staff(200), kwargs=_skill_kwargs),
    "staffing-api:person-skill-list": Row("get", api_staff(200)),
    "staffing-api:person-skill-detail": Row(
        "delete",
        api_staff(204, rep=404, rep_other_team=404),
        kwargs=_held,
        snapshot=lambda ctx: PersonSkill.objects.count(),
    ),
}


# Skill rules: a team's managers and directors write the team's rules; reps see none.
def _rules_snapshot(ctx):
    return sorted(SkillRule.objects.values_list("pk", "name", "team_id", "active"))


def _team_rule(ctx) -> dict:
    rule = SkillRule.objects.create(name="German speakers", team=ctx["team"], language="de")
    rule.skills.set([skill("German")])
    return {"pk": rule.pk}


ROWS |= {
    "tickets-api:skill-rule-list": Row(
        "post",
        api_staff(201, **_MANAGERS),
        data=lambda ctx: {
            "name": "French",
            "team": ctx["team"].pk,
            "language": "fr",
            "skills": [skill("French").pk],
        },  # fmt: skip
        content_type=JSON,
        snapshot=_rules_snapshot,
    ),
    "tickets-api:skill-rule-detail": Row(
        "patch",
        api_staff(200, **_MANAGERS),
        kwargs=_team_rule,
        data=lambda ctx: {"active": False},
        content_type=JSON,
        snapshot=_rules_snapshot,
    ),
}
