"""Template helpers for the workspace's escalation/incident panel and the queue's bulk
link form (their pages' views belong to others; these tags fetch what the panels need)."""

from __future__ import annotations

from django import template
from django.contrib.auth.models import AnonymousUser, User

from csops import permissions
from staffing.models import Team
from tickets import selectors_escalations as selectors
from tickets.forms_escalations import EscalateForm
from tickets.models import Ticket

register = template.Library()


def panel_context(
    user: User | AnonymousUser,
    ticket: Ticket,
    form: EscalateForm | None = None,
    teams: list[Team] | None = None,
) -> dict:
    """``teams``: every team, if the page has read them (the form's higher tiers)."""
    escalation = selectors.latest_escalation(ticket)
    can_handle_incidents = permissions.can_handle_incidents(user)
    ticket_incidents = list(selectors.ticket_incidents(ticket))
    can_escalate = (
        permissions.can_work_ticket(user, ticket)
        and ticket.is_unresolved
        and not (escalation and escalation.is_active)
    )
    if form is None and can_escalate:  # the form reads the higher tiers' teams: only if shown
        form = EscalateForm(initial={"version": ticket.version}, team=ticket.team, teams=teams)
    return {
        "ticket": ticket,
        "escalation": escalation,
        "escalate_form": form,
        "can_escalate": can_escalate,
        "can_handle": escalation is not None
        and escalation.is_active
        and permissions.can_handle_team(user, escalation.to_team_id),
        "ticket_incidents": ticket_incidents,
        "can_handle_incidents": can_handle_incidents,
        # Open incidents the user handles: the ones whose link to this ticket they may undo.
        "unlinkable": {
            i.pk
            for i in ticket_incidents
            if can_handle_incidents and i.is_open and permissions.can_handle_team(user, i.team_id)
        },
        "open_incidents": selectors.open_incidents_for(user) if can_handle_incidents else [],
    }


@register.simple_tag(takes_context=True)
def escalation_panel(context, ticket: Ticket) -> dict:
    """The data of ``tickets/_escalate.html`` for the workspace's ticket (or, after a refused
    escalation, the bound form the view put in the context)."""
    if "escalation_panel" in context:
        return context["escalation_panel"]
    return panel_context(context["request"].user, ticket, teams=context.get("teams"))


@register.simple_tag(takes_context=True)
def open_incidents(context) -> list:
    user = context["request"].user
    if not permissions.can_handle_incidents(user):
        return []
    return list(selectors.open_incidents_for(user)[:50])
