"""Automatic escalation rules: ``apply_rules(ticket_id, trigger, **context)``; what makes a
rule valid (``rule_problems``: the rules page's form shows them, ``create_rule`` and
``update_rule`` refuse them) and the API's create, update and delete (directors; storing is
``tickets.services.escalations.save_rule``, which the page's form calls once valid).

Callers and their context (the trigger instance key is built from it):
- SLA monitor (``tickets.tasks``): ``apply_rules(pk, "sla_breach" | "sla_at_risk",
  metric="first_reply", index=1)``; ``index`` (or ``instance``) tells repeated instances of a
  metric apart; without it a rule fires once per ticket and metric.
- ``tickets.services.tickets.customer_reply`` on commit: ``apply_rules(pk,
  "customer_keyword", event_id=<reply event pk>, body=<text>)``.
- ``tickets.tasks_escalations.check_urgent_no_reply`` every minute: ``apply_rules(pk,
  "urgent_no_reply", event_id=<pk of the customer message still unanswered>,
  waited_minutes=<minutes since it>)``; a rule fires when its minutes <= waited_minutes.
- Surveys (CSAT), to be wired by the survey engineer: on a negative response call
  ``apply_rules(ticket_id, "negative_csat", response_id=<SurveyResponse pk>)`` on commit.

A rule fires at most once per (rule, ticket, instance): a ``RuleFiring`` row with a unique
constraint, written in the same transaction as the actions, under the ticket's row lock, so
retries and concurrent monitors do nothing twice. Actions run as the system (no actor) and
are logged as ticket events in one action with one ``at``. Closed tickets are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse

from csops import permissions
from csops.errors import Conflict, InvalidInput, NotAllowed, NotFound
from csops.notify import notify
from csops.roles import Role
from policies.sla import METRICS
from tickets import events
from tickets.models import EscalationRule, RuleFiring, RuleTrigger, Status, Ticket, TicketEvent
from tickets.models.escalations import NotifyTarget
from tickets.models.tickets import PRIORITY_RANK
from tickets.services.actions import action_time, record, save_ticket

RULE_ACTIONS = ("reassign_team", "reassign_user", "raise_priority_to", "notify", "open_escalation")


def rule_problems(values: Mapping[str, Any]) -> dict[str, list[str]]:
    """What makes a rule unusable, by field (``non_field_errors`` for the rule as a whole).
    ``values`` are the rule's fields, the team and user as model instances."""
    problems: dict[str, list[str]] = {}
    trigger = values.get("trigger")
    if trigger == RuleTrigger.URGENT_NO_REPLY and not values.get("minutes"):
        problems["minutes"] = ["An urgent-no-reply rule needs a number of minutes."]
    keywords = [k for k in (values.get("keywords") or "").split(",") if k.strip()]
    if trigger == RuleTrigger.CUSTOMER_KEYWORD and not keywords:
        problems["keywords"] = ["List at least one keyword."]
    metric = values.get("metric") or ""
    if metric and metric not in METRICS:
        problems["metric"] = [f"Unknown SLA metric; use one of {', '.join(METRICS)}."]
    if not any(values.get(name) for name in RULE_ACTIONS):
        problems["non_field_errors"] = ["Choose at least one action."]
    user, team = values.get("reassign_user"), values.get("reassign_team")
    if user is not None and team is not None and not permissions.can_work_team(user, team.pk):
        problems["reassign_user"] = [f"{user} does not work {team}'s queue."]
    return problems


RULE_FIELDS = (
    "name",
    "active",
    "position",
    "trigger",
    "minutes",
    "keywords",
    "metric",
    *RULE_ACTIONS,
    "escalation_category",
)


def _ensure_director(by: User) -> None:
    if not permissions.can_manage_escalation_rules(by):
        raise NotAllowed("Only directors manage escalation rules.")


def _known(fields: Mapping[str, Any]) -> None:
    unknown = sorted(set(fields) - set(RULE_FIELDS))
    if unknown:
        detail = f"Unknown rule field(s): {', '.join(unknown)}."
        raise InvalidInput(detail, fields={name: ["Unknown field."] for name in unknown})


def _checked_save(rule: EscalationRule, by: User) -> EscalationRule:
    from tickets.services.escalations import save_rule

    problems = rule_problems({name: getattr(rule, name) for name in RULE_FIELDS})
    if problems:
        raise InvalidInput("The rule is not valid.", fields=problems)
    return save_rule(rule, by=by)


@transaction.atomic
def create_rule(*, by: User, **fields: Any) -> EscalationRule:
    """A new rule from ``fields`` (``RULE_FIELDS``; the model's defaults for the others)."""
    _ensure_director(by)
    _known(fields)
    return _checked_save(EscalationRule(**fields), by)


@transaction.atomic
def update_rule(rule_id: int, *, by: User, **fields: Any) -> EscalationRule:
    """Change the given fields of a rule; the rule as a whole must stay valid."""
    _ensure_director(by)
    _known(fields)
    rule = EscalationRule.objects.select_for_update().filter(pk=rule_id).first()
    if rule is None:
        raise NotFound(f"Rule #{rule_id} does not exist.")
    for name, value in fields.items():
        setattr(rule, name, value)
    return _checked_save(rule, by)


def delete_rule(rule_id: int, *, by: User) -> None:
    """Delete a rule (directors). Escalations it opened stay (their ``rule`` becomes empty),
    as do the events its actions logged; its firing records go with it."""
    _ensure_director(by)
    deleted, _ = EscalationRule.objects.filter(pk=rule_id).delete()
    if not deleted:
        raise NotFound(f"Rule #{rule_id} does not exist.")


def instance_key(trigger: str, context: dict) -> str:
    """The trigger instance a rule fires once for."""
    if trigger in (RuleTrigger.SLA_BREACH, RuleTrigger.SLA_AT_RISK):
        parts = [str(context.get("metric", ""))]
        index = context.get("index", context.get("instance"))
        if index is not None:
            parts.append(str(index))
        return ":".join(parts)
    for name in ("event_id", "response_id", "instance"):
        if context.get(name) is not None:
            return f"{name}={context[name]}"
    return "ticket"


def keyword_hits(rule: EscalationRule, body: str) -> list[str]:
    """Keywords of the rule found in ``body`` as whole words, case-insensitive."""
    return [
        k
        for k in rule.keyword_list
        if re.search(rf"(?<!\w){re.escape(k)}(?!\w)", body, flags=re.IGNORECASE)
    ]


def _matches(rule: EscalationRule, trigger: str, context: dict) -> bool:
    if trigger in (RuleTrigger.SLA_BREACH, RuleTrigger.SLA_AT_RISK):
        return not rule.metric or rule.metric == context.get("metric")
    if trigger == RuleTrigger.CUSTOMER_KEYWORD:
        return bool(keyword_hits(rule, str(context.get("body", ""))))
    if trigger == RuleTrigger.URGENT_NO_REPLY:
        return rule.minutes is not None and rule.minutes <= context.get("waited_minutes", 0)
    return True


def _recipients(rule: EscalationRule, ticket: Ticket) -> list[User]:
    if rule.notify == NotifyTarget.ASSIGNEE:
        return [ticket.assignee] if ticket.assignee else []
    if rule.notify == NotifyTarget.TEAM_MANAGERS:
        return list(ticket.team.managers.all())
    if rule.notify == NotifyTarget.DIRECTORS:
        return list(User.objects.filter(groups__name=Role.DIRECTOR.value, is_active=True))
    return []


def _apply(rule: EscalationRule, ticket: Ticket, at, trigger: str) -> tuple[list, list[str]]:
    """Run one rule's actions on the locked ticket; returns (log entries, action names)."""
    from tickets.services.escalations import open_escalation

    log: list[TicketEvent] = []
    done: list[str] = []
    wanted = rule.raise_priority_to
    if wanted and PRIORITY_RANK[wanted] > PRIORITY_RANK[ticket.priority]:
        log.append(events.priority_changed(ticket, at, None, ticket.priority, wanted))
        ticket.priority, ticket.priority_rank = wanted, PRIORITY_RANK[wanted]
        done.append(f"priority:{wanted}")
    team = rule.reassign_team or ticket.team
    user = rule.reassign_user if rule.reassign_user_id else None
    if rule.reassign_team_id or rule.reassign_user_id:
        assignee = (
            user if user is not None else (None if team.pk != ticket.team_id else ticket.assignee)
        )
        if team.pk != ticket.team_id or getattr(assignee, "pk", None) != ticket.assignee_id:
            log.append(
                events.assigned(
                    ticket,
                    at,
                    None,
                    getattr(assignee, "pk", None),
                    team.pk if team.pk != ticket.team_id else None,
                )
            )
            ticket.team, ticket.assignee = team, assignee
            done.append("reassign")
    if rule.open_escalation:
        reason = f"Automatic rule “{rule.name}” ({RuleTrigger(trigger).label})."
        try:
            _, more = open_escalation(
                ticket,
                at,
                by=None,
                target="manager",
                to_team=ticket.team,
                category=rule.escalation_category,
                reason=reason,
                rule=rule,
            )
        except Conflict:
            done.append("escalation:already-open")
        else:
            log += more
            done.append("escalation")
    recipients = _recipients(rule, ticket)
    if recipients:
        notify(
            recipients,
            key=f"rule:{rule.pk}:{ticket.pk}:{at.isoformat()}",
            text=f"Rule “{rule.name}” fired on ticket #{ticket.pk}: {ticket.subject}",
            url=reverse("tickets:ticket-detail", args=[ticket.pk]),
        )
        done.append(f"notify:{rule.notify}")
    return log, done


def apply_rules(ticket_id: int, trigger: str, **context) -> list[EscalationRule]:
    """Apply the active rules of ``trigger`` that match; returns the rules that fired now."""
    rules = [
        r
        for r in EscalationRule.objects.filter(trigger=trigger, active=True).select_related(
            "reassign_team", "reassign_user"
        )
        if _matches(r, trigger, context)
    ]
    if not rules:
        return []
    key = instance_key(trigger, context)
    fired: list[EscalationRule] = []
    with transaction.atomic():
        ticket = (
            Ticket.objects.select_for_update(of=("self",))
            .select_related("team", "assignee")
            .filter(pk=ticket_id)
            .first()
        )
        if ticket is None or ticket.status == Status.CLOSED:
            return []
        seen = set(
            RuleFiring.objects.filter(ticket=ticket, instance=key).values_list("rule_id", flat=True)
        )
        at = action_time(ticket)
        log: list[TicketEvent] = []
        for rule in rules:
            if rule.pk in seen:
                continue
            more, done = _apply(rule, ticket, at, trigger)
            log += more
            RuleFiring.objects.create(
                rule=rule, ticket=ticket, instance=key, fired_at=at, actions=done
            )
            fired.append(rule)
        if log:
            save_ticket(ticket, at, ["priority", "priority_rank", "team", "assignee"])
            record(ticket, at, log)
    return fired
