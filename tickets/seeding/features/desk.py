"""Escalations in every state and an open incident with linked tickets.

History: the seeded ``escalated`` events of recently solved tickets get the record the
escalation service would have made, resolved by a manager of the team that took them (their
log already shows the hand-up, the claim and the solve). Live: a few unresolved Tier 1
tickets are escalated, accepted and returned through the services themselves, so their logs,
SLA clocks and notices are exactly what the console makes; the incident is declared and its
tickets linked the same way (no customer update is posted, so no delivery is queued).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db.models import Q

from policies.ticket_log import UNRESOLVED
from staffing.models import Team
from tickets.models import (
    Escalation,
    EscalationCategory,
    EscalationState,
    EscalationTarget,
    Incident,
    Ticket,
    TicketEvent,
)
from tickets.services import escalations, incidents

HISTORY = 8  # resolved escalations recreated from the seeded log
ACTIVE = 2  # accepted (and open) ones recreated from the log, at most, each
SCAN = 400  # recent tier-2 tickets looked at to find them (indexed, newest first)
CATEGORIES = {
    "tier-2-technical": EscalationCategory.TECHNICAL,
    "billing-escalations": EscalationCategory.REFUND_APPROVAL,
    "integrations-api": EscalationCategory.TECHNICAL,
}
GUIDANCE = (
    "Reproduced and fixed on our side; the customer confirmed it works.",
    "Refund approved above the agent limit; processed the same day.",
    "Known issue, linked to the release notes; workaround sent.",
)
LIVE = (
    # (target, category, reason, what the handler does)
    (EscalationTarget.MANAGER, EscalationCategory.COMPLAINT,
     "Customer is upset about repeated delays and asks for a supervisor.", "open"),
    (EscalationTarget.TIER, EscalationCategory.TECHNICAL,
     "Crash reproduces on the latest app version; needs an engineer.", "open"),
    (EscalationTarget.MANAGER, EscalationCategory.REFUND_APPROVAL,
     "Refund above my approval limit.", "accepted"),
    (EscalationTarget.TIER, EscalationCategory.TECHNICAL,
     "Sync fails for this account only; logs attached in the notes.", "accepted"),
    (EscalationTarget.MANAGER, EscalationCategory.OTHER,
     "Customer asks for an exception to the return window.", "returned"),
)  # fmt: skip


def seed_history(rng: random.Random) -> dict[str, int]:
    """Escalation records for tickets escalated in the seed: resolved for recently solved
    ones, accepted (the next tier picked it up) or open for unresolved ones. Returns the
    count per state."""
    tier2 = {t.pk: t for t in Team.objects.filter(tier__gte=2)}
    candidates = list(
        Ticket.objects.filter(team__in=list(tier2))
        .exclude(escalations__isnull=False)
        .order_by("-updated_at", "-pk")
        .values_list("pk", "solved_at")[:SCAN]
    )
    ids = [pk for pk, _ in candidates]
    raised = {}
    for e in TicketEvent.objects.filter(ticket_id__in=ids, type="escalated").order_by("pk"):
        raised.setdefault(e.ticket_id, e)
    moves = {}
    for e in TicketEvent.objects.filter(ticket_id__in=list(raised), type="assigned").order_by("pk"):
        if e.data.get("team") and e.at >= raised[e.ticket_id].at:
            moves.setdefault(e.ticket_id, (e, []))
        elif e.ticket_id in moves and e.actor_id is not None:
            moves[e.ticket_id][1].append(e)  # the next tier's claim
    made: list[Escalation] = []
    counts = dict.fromkeys(EscalationState.values, 0)
    for pk, solved_at in candidates:
        if pk not in raised or pk not in moves:
            continue
        state = EscalationState.RESOLVED if solved_at else EscalationState.ACCEPTED
        event, (move, claims) = raised[pk], moves[pk]
        if state == EscalationState.ACCEPTED and not claims:
            state = EscalationState.OPEN
        if counts[state] >= (HISTORY if state == EscalationState.RESOLVED else ACTIVE):
            continue
        from_team = _team_before(pk, move)
        to_team = tier2.get(move.data["team"])
        if from_team is None or to_team is None:
            continue
        manager = to_team.managers.order_by("pk").first()
        accepted = max(claims[0].at, event.at) if claims else None
        resolved = state == EscalationState.RESOLVED
        reason = event.data.get("reason") or "Needs the next tier."
        counts[state] += 1
        made.append(
            Escalation(
                ticket_id=pk,
                from_team_id=from_team,
                to_team=to_team,
                to_tier=to_team.tier,
                target=EscalationTarget.TIER,
                raised_by_id=event.actor_id,
                owner=manager if accepted else None,
                state=state,
                category=CATEGORIES.get(to_team.slug, EscalationCategory.OTHER),
                reason=reason,
                guidance=rng.choice(GUIDANCE) if resolved else "",
                created_at=event.at,
                accepted_at=accepted,
                resolved_at=max(solved_at, accepted or event.at) if resolved else None,
            )
        )
    Escalation.objects.bulk_create(made)
    return counts


def _team_before(ticket_id: int, move: TicketEvent) -> int | None:
    """The team the ticket was in before ``move`` (its previous team move, else creation)."""
    earlier = (
        TicketEvent.objects.filter(ticket_id=ticket_id, pk__lt=move.pk)
        .filter(Q(type="created") | Q(type="assigned", data__has_key="team"))
        .order_by("-pk")
        .first()
    )
    return None if earlier is None else earlier.data.get("team")


def seed_live(manager: User, reps: list[User], *, accept: bool = True) -> tuple[int, int]:
    """Escalate a few unresolved Tier 1 tickets through the services: open, accepted (unless
    not ``accept``: the history has some) and returned ones (the board and the rep's page
    both have something to show). Returns the escalations and the ticket events the
    services logged."""
    tier1 = Team.objects.get(slug="tier-1-support")
    technical = Team.objects.get(slug="tier-2-technical")  # Tier 1's next tier (catalog)
    tickets = list(
        Ticket.objects.filter(team=tier1, status__in=sorted(UNRESOLVED), escalations__isnull=True)
        .exclude(assignee__isnull=True)
        .order_by("-updated_at", "-pk")[: len(LIVE)]
    )
    events = TicketEvent.objects.filter(ticket__in=tickets)
    before = events.count()
    made = 0
    live = [plan for plan in LIVE if accept or plan[3] != "accepted"]
    plans = zip(tickets, live, strict=False)  # fewer tickets than plans: the first ones
    for i, (ticket, (target, category, reason, outcome)) in enumerate(plans):
        by = ticket.assignee if ticket.assignee in reps else reps[i % len(reps)]
        escalation = escalations.escalate(
            ticket.pk,
            by=by,
            target=target,
            category=category,
            reason=reason,
            to_team=technical if target == EscalationTarget.TIER else None,
        )
        if outcome in ("accepted", "returned"):
            escalations.accept(escalation.pk, by=manager)
        if outcome == "returned":
            escalations.return_to_rep(
                escalation.pk,
                by=manager,
                guidance="Offer store credit instead; exceptions need a director.",
            )
        made += 1
    return made, events.count() - before


TITLE = "Mobile app sync failing after the 4.2 update"


def seed_incident(manager: User, until: datetime) -> Incident | None:
    """An open incident on Tier 1, shown on the help center (public), with its recent
    unresolved tickets linked (once; after a ``--reset`` took its tickets, the new ones are
    linked to it)."""
    incident = Incident.objects.filter(title=TITLE, state="open").first()
    if incident is not None and incident.links.exists():
        return None
    tier1 = Team.objects.get(slug="tier-1-support")
    linked = list(
        Ticket.objects.filter(
            team=tier1,
            status__in=sorted(UNRESOLVED),
            created_at__gte=until - timedelta(days=5),
        )
        .order_by("-created_at", "-pk")
        .values_list("pk", flat=True)[:8]
    )
    incident = incident or incidents.declare(
        by=manager,
        team=tier1,
        title=TITLE,
        severity="sev2",
        description=(
            "Since the 4.2 release, customers on iOS and Android report that orders and "
            "settings stop syncing. Engineering is investigating."
        ),
        customer_update=(
            "We know the app is not syncing for some customers since the latest update. "
            "Our engineers are on it and we will update you within a few hours."
        ),
        public=True,
    )
    if linked:
        incidents.link_tickets(incident.pk, by=manager, ticket_ids=linked)
    return incident
