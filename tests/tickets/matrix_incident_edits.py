"""Permission matrix rows for editing incidents, unlinking tickets (pages and API) and the
escalation rules' API and delete button. Only the URLs that are new get rows here: the PATCH
on ``tickets-api:incident-detail`` is covered by tests/tickets/test_incident_edits.py."""

from __future__ import annotations

from tests.matrix import Row, api_staff, staff
from tests.tickets.matrix_escalations import DIRECTORS_ONLY, HANDLERS_PAGE, _incident, _rule
from tickets.models import EscalationRule, Incident
from tickets.services import incidents


def _linked(ctx) -> dict:
    kwargs = _incident(ctx)
    incidents.link_tickets(kwargs["pk"], by=ctx["users"]["manager"], ticket_ids=[ctx["ticket"].pk])
    return {**kwargs, "ticket_pk": ctx["ticket"].pk}


def _linked_api(ctx) -> dict:
    kwargs = _linked(ctx)
    return {"pk": kwargs["pk"], "ticket_id": kwargs["ticket_pk"]}


def _incident_snapshot(ctx):
    i = Incident.objects.get(pk=ctx["incident"].pk)
    links = sorted(i.links.values_list("ticket_id", flat=True))
    return (i.title, i.severity, i.description, i.state, links, i.changes.count())


def _rules_snapshot(ctx):
    return sorted(EscalationRule.objects.values_list("pk", "name", "active"))


EDIT = {"title": "Login outage (SSO)", "severity": "sev2", "description": "IdP down"}

ROWS: dict[str, Row] = {
    "tickets:incident-edit": Row(
        "post",
        staff(302, **HANDLERS_PAGE),
        kwargs=_incident,
        data=lambda ctx: EDIT,
        snapshot=_incident_snapshot,
    ),
    "tickets:incident-unlink": Row(
        "post", staff(302, **HANDLERS_PAGE), kwargs=_linked, snapshot=_incident_snapshot
    ),
    "tickets:escalation-rule-delete": Row(
        "post", staff(302, **DIRECTORS_ONLY), kwargs=_rule, snapshot=_rules_snapshot
    ),
    # API
    "tickets-api:incident-unlink": Row(
        "delete",
        api_staff(200, **HANDLERS_PAGE),
        kwargs=_linked_api,
        snapshot=_incident_snapshot,
        content_type="application/json",
    ),
    "tickets-api:escalation-rule-list": Row("get", api_staff(200, **DIRECTORS_ONLY)),
    "tickets-api:escalation-rule-detail": Row(
        "get", api_staff(200, **DIRECTORS_ONLY), kwargs=_rule
    ),
}
