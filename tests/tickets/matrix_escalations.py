"""Permission matrix rows for escalations, escalation rules and incidents (pages and API)."""

from __future__ import annotations

from django.utils import timezone

from tests.factories import make_ticket
from tests.matrix import Row, api_staff, staff
from tickets.models import Escalation, EscalationRule, Incident, IncidentUpdate, SpikeAlert, Ticket
from tickets.services import escalations, incidents

# Handlers: managers of the team and directors/admins; reps and others refused.
HANDLERS_PAGE = {"rep": 403, "rep_other_team": 403}
DIRECTORS_ONLY = {"rep": 403, "rep_other_team": 403, "manager": 403}


def _escalation(ctx, *, accepted: bool = False) -> dict:
    rep = ctx["users"]["rep"]
    ticket = make_ticket(ctx["team"])
    esc = escalations.escalate(
        ticket.pk, by=rep, target="manager", category="technical", reason="Needs a look"
    )
    if accepted:
        escalations.accept(esc.pk, by=ctx["users"]["manager"])
    ctx["escalation"] = esc
    return {"pk": esc.pk}


def _accepted(ctx) -> dict:
    return _escalation(ctx, accepted=True)


def _esc_snapshot(ctx):
    e = Escalation.objects.get(pk=ctx["escalation"].pk)
    return (e.state, e.owner_id, e.accepted_at, e.resolved_at, e.returned_at, e.guidance)


def _ticket(ctx) -> dict:
    ctx["ticket"] = make_ticket(ctx["team"])
    return {"pk": ctx["ticket"].pk}


def _ticket_snapshot(ctx):
    t = Ticket.objects.get(pk=ctx["ticket"].pk)
    return (t.version, t.status, t.team_id, t.events.count(), t.escalations.count())


def _rule(ctx) -> dict:
    now = timezone.now()
    rule = EscalationRule.objects.create(
        name="Breach to managers",
        trigger="sla_breach",
        notify="team_managers",
        created_at=now,
        updated_at=now,
    )
    ctx["rule"] = rule
    return {"pk": rule.pk}


def _incident(ctx) -> dict:
    incident = incidents.declare(
        by=ctx["users"]["manager"],
        team=ctx["team"],
        title="Login outage",
        severity="sev1",
        description="SSO down",
        customer_update="We are on it.",
    )
    ctx["incident"] = incident
    ctx["ticket"] = make_ticket(ctx["team"])
    return {"pk": incident.pk}


def _incident_snapshot(ctx):
    i = Incident.objects.get(pk=ctx["incident"].pk)
    return (i.state, i.customer_update, i.links.count(), i.updates.count())


def _update(ctx) -> dict:
    _incident(ctx)
    update = IncidentUpdate.objects.create(
        incident=ctx["incident"],
        body="Still on it",
        posted_by=ctx["users"]["manager"],
        posted_at=timezone.now(),
    )
    return {"pk": update.pk}


def _alert(ctx) -> dict:
    alert = SpikeAlert.objects.create(
        dimension="tag",
        key_id=1,
        key_name="login",
        hour=timezone.now().replace(minute=0),
        count=9,
        baseline=1.0,
        ticket_ids=[],
        created_at=timezone.now(),
    )
    ctx["alert"] = alert
    return {"pk": alert.pk}


def _alert_snapshot(ctx):
    return SpikeAlert.objects.get(pk=ctx["alert"].pk).dismissed_at


ESCALATE = {"target": "manager", "category": "technical", "reason": "Needs a look"}

ROWS: dict[str, Row] = {
    "tickets:ticket-escalate": Row(
        "post",
        staff(302, rep_other_team=404),
        kwargs=_ticket,
        data=lambda ctx: ESCALATE,
        snapshot=_ticket_snapshot,
    ),
    "tickets:escalation-board": Row("get", staff(200, **HANDLERS_PAGE)),
    "tickets:escalation-accept": Row(
        "post",
        staff(302, rep=403, rep_other_team=404),
        kwargs=_escalation,
        snapshot=_esc_snapshot,
    ),
    "tickets:escalation-resolve": Row(
        "post",
        staff(302, rep=403, rep_other_team=404),
        kwargs=_accepted,
        data=lambda ctx: {"guidance": "Refund approved"},
        snapshot=_esc_snapshot,
    ),
    "tickets:escalation-return": Row(
        "post",
        staff(302, rep=403, rep_other_team=404),
        kwargs=_escalation,
        data=lambda ctx: {"guidance": "Ask for the invoice"},
        snapshot=_esc_snapshot,
    ),
    "tickets:escalation-rules": Row("get", staff(200, **DIRECTORS_ONLY)),
    "tickets:escalation-rule-edit": Row("get", staff(200, **DIRECTORS_ONLY), kwargs=_rule),
    "tickets:incident-list": Row("get", staff(200, **HANDLERS_PAGE)),
    "tickets:incident-detail": Row("get", staff(200, **HANDLERS_PAGE), kwargs=_incident),
    "tickets:incident-link": Row(
        "post",
        staff(302, **HANDLERS_PAGE),
        kwargs=_incident,
        data=lambda ctx: {"tickets": str(ctx["ticket"].pk)},
        snapshot=_incident_snapshot,
    ),
    "tickets:incident-link-selected": Row(
        "post",
        staff(302, **HANDLERS_PAGE),
        data=lambda ctx: {"incident": _incident(ctx)["pk"], "ticket": [ctx["ticket"].pk]},
    ),
    "tickets:incident-update": Row(
        "post",
        staff(302, **HANDLERS_PAGE),
        kwargs=_incident,
        data=lambda ctx: {"body": "Fixed soon"},
        snapshot=_incident_snapshot,
    ),
    "tickets:incident-resolve": Row(
        "post",
        staff(302, **HANDLERS_PAGE),
        kwargs=_incident,
        data=lambda ctx: {"closing_message": ""},
        snapshot=_incident_snapshot,
    ),
    "tickets:incident-update-progress": Row("get", staff(200, **HANDLERS_PAGE), kwargs=_update),
    "tickets:spike-dismiss": Row(
        "post", staff(302, **HANDLERS_PAGE), kwargs=_alert, snapshot=_alert_snapshot
    ),
    # API
    "tickets-api:escalation-list": Row("get", api_staff(200)),
    "tickets-api:escalation-detail": Row(
        "get", api_staff(200, rep_other_team=404), kwargs=_escalation
    ),
    "tickets-api:escalation-accept": Row(
        "post",
        api_staff(200, rep=403, rep_other_team=404),
        kwargs=_escalation,
        snapshot=_esc_snapshot,
        content_type="application/json",
    ),
    "tickets-api:escalation-resolve": Row(
        "post",
        api_staff(200, rep=403, rep_other_team=404),
        kwargs=_accepted,
        data=lambda ctx: {"guidance": "Approved"},
        snapshot=_esc_snapshot,
        content_type="application/json",
    ),
    "tickets-api:escalation-return": Row(
        "post",
        api_staff(200, rep=403, rep_other_team=404),
        kwargs=_escalation,
        data=lambda ctx: {"guidance": "Ask for the invoice"},
        snapshot=_esc_snapshot,
        content_type="application/json",
    ),
    "tickets-api:incident-list": Row("get", api_staff(200, **HANDLERS_PAGE)),
    "tickets-api:incident-detail": Row("get", api_staff(200, **HANDLERS_PAGE), kwargs=_incident),
    "tickets-api:incident-link": Row(
        "post",
        api_staff(200, **HANDLERS_PAGE),
        kwargs=_incident,
        data=lambda ctx: {"tickets": [ctx["ticket"].pk]},
        snapshot=_incident_snapshot,
        content_type="application/json",
    ),
    "tickets-api:incident-updates": Row(
        "post",
        api_staff(202, **HANDLERS_PAGE),
        kwargs=_incident,
        data=lambda ctx: {"body": "Fixed soon"},
        snapshot=_incident_snapshot,
        content_type="application/json",
    ),
    "tickets-api:incident-resolve": Row(
        "post",
        api_staff(200, **HANDLERS_PAGE),
        kwargs=_incident,
        data=lambda ctx: {},
        snapshot=_incident_snapshot,
        content_type="application/json",
    ),
}
