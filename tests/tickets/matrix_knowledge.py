"""Permission matrix rows: the workspace's knowledge panel (tickets of one's teams only)."""

from __future__ import annotations

from policies.knowledge.models import TicketArticleLink
from tests.factories import UserFactory, make_ticket
from tests.matrix import Row, staff
from tests.policies.knowledge_helpers import live_article

OTHER_TEAM_404 = {"rep_other_team": 404}


def ticket_kwargs(ctx) -> dict:
    author = UserFactory(username="mona", role="Manager")
    ctx["article"] = live_article(author, ctx["users"]["director"])
    ctx["ticket"] = make_ticket(ctx["team"], subject="refund timing")
    return {"pk": ctx["ticket"].pk}


ROWS: dict[str, Row] = {
    "tickets:ticket-articles": Row("get", staff(200, **OTHER_TEAM_404), kwargs=ticket_kwargs),
    "tickets:ticket-article-insert": Row(
        "get", staff(200, **OTHER_TEAM_404), kwargs=ticket_kwargs,
        data=lambda ctx: {"article": ctx["article"].pk, "mode": "link"},
    ),
    "tickets:ticket-article-link": Row(
        "post", staff(302, **OTHER_TEAM_404), kwargs=ticket_kwargs,
        data=lambda ctx: {"article": ctx["article"].pk},
        snapshot=lambda ctx: TicketArticleLink.objects.count(),
    ),
}  # fmt: skip
