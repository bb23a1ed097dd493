"""Merge and link in the demo (issue 15): a parent with two children, a related pair and one
duplicate merged into its original, all through the services as a manager would; and saved
views of the queue (a rep's own, one the manager shares with Tier 1)."""

from __future__ import annotations

from django.contrib.auth.models import User

from policies.ticket_log import UNRESOLVED
from tickets.links import services as links
from tickets.links.models import TicketLink
from tickets.models import SavedView, Ticket
from tickets.saved_views import services as saved_views


def seed_links(manager: User) -> int:
    """How many links and merges were made (0 when the demo already has some)."""
    if TicketLink.objects.exists() or Ticket.objects.filter(merged_into__isnull=False).exists():
        return 0
    team_ids = list(manager.managed_teams.values_list("pk", flat=True))
    ids = list(
        Ticket.objects.filter(team_id__in=team_ids, status__in=sorted(UNRESOLVED))
        .order_by("-pk")  # ids are the same every seeded run
        .values_list("pk", flat=True)[:6]
    )
    if len(ids) < 6:
        return 0
    parent, child1, child2, related, original, duplicate = ids
    links.link(parent, other=child1, kind="parent", by=manager)
    links.link(parent, other=child2, kind="parent", by=manager)
    links.link(related, other=parent, kind="related", by=manager)
    links.merge([duplicate], into=original, by=manager)
    return 4


def seed_saved_views(manager: User, rep: User) -> int:
    """How many saved views were made (0 when the demo already has some)."""
    tier1 = manager.managed_teams.filter(slug="tier-1-support").first()
    if SavedView.objects.exists() or tier1 is None:
        return 0
    saved_views.save_view(
        by=rep, name="My urgent and high", query={"view": ["mine"], "priority": ["urgent", "high"]}
    )
    saved_views.save_view(
        by=manager, name="Breached in Tier 1", team_id=tier1.pk,
        query={"view": ["teams"], "team": [str(tier1.pk)], "sla": ["breached"]},
    )  # fmt: skip
    return 2
