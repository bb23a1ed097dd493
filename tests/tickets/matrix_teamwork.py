"""Matrix rows for collision, merge and link, bulk work and saved views (issue 15)."""

from __future__ import annotations

from django.utils import timezone

from tests.factories import make_ticket
from tests.matrix import Row, api_staff, staff
from tests.tickets.matrix import ticket_kwargs, ticket_snapshot
from tickets.bulk import services as bulk
from tickets.bulk.models import BulkAction
from tickets.links.models import TicketLink
from tickets.models import SavedView, Ticket
from tickets.saved_views import services as saved_views


def _two_kwargs(ctx) -> dict:
    """The ticket of the URL and another of the same team (made before the snapshot)."""
    ctx["other"] = make_ticket(ctx["team"], subject="The other one")
    return ticket_kwargs(ctx)


def _other(ctx) -> int:
    return ctx["other"].pk


def _new_ticket(ctx) -> dict:
    ctx["ticket"] = make_ticket(ctx["team"])
    return {}


def _both_snapshot(ctx):
    return (
        ticket_snapshot(ctx),
        Ticket.objects.filter(pk=ctx["other"].pk).values_list("version", "status").get(),
        TicketLink.objects.count(),
    )


def _linked_kwargs(ctx) -> dict:
    kwargs = _two_kwargs(ctx)
    link = TicketLink.objects.create(
        source=ctx["ticket"], target=ctx["other"], kind="related",
        created_at=timezone.now(),
    )  # fmt: skip
    return {**kwargs, "link_pk": link.pk}


def _bulk_snapshot(ctx):
    return (ticket_snapshot(ctx), BulkAction.objects.count())


def _bulk_data(ctx) -> dict:
    return {"kind": "priority", "priority": "high", "ticket": [ctx["ticket"].pk]}


def _managers_bulk(ctx) -> dict:
    ticket = make_ticket(ctx["team"])
    action = bulk.start(
        by=ctx["users"]["manager"], kind="priority", params={"priority": "low"},
        ticket_ids=[ticket.pk],
    )  # fmt: skip
    return {"pk": action.pk}


ROWS: dict[str, Row] = {
    # Presence writes only to the short-lived cache, never to a ticket: no snapshot to keep.
    "tickets:ticket-presence": Row(
        "post", staff(200, rep_other_team=404), kwargs=ticket_kwargs, data=lambda ctx: {}
    ),
    "tickets:ticket-presence-leave": Row(
        "post", staff(204, rep_other_team=404), kwargs=ticket_kwargs
    ),
    # Merge and link: editing both tickets.
    "tickets:ticket-link": Row(
        "post",
        staff(302, rep_other_team=404),
        kwargs=_two_kwargs,
        data=lambda ctx: {"kind": "related", "other": _other(ctx)},
        snapshot=_both_snapshot,
    ),
    "tickets:ticket-unlink": Row(
        "post", staff(302, rep_other_team=404), kwargs=_linked_kwargs, snapshot=_both_snapshot
    ),
    "tickets:ticket-merge": Row(
        "post",
        staff(302, rep_other_team=404),
        kwargs=_two_kwargs,
        data=lambda ctx: {"into": _other(ctx)},
        snapshot=_both_snapshot,
    ),
    "tickets-api:ticket-merge": Row(
        "post",
        api_staff(200, rep_other_team=404),
        kwargs=_two_kwargs,
        data=lambda ctx: {"tickets": [_other(ctx)]},
        content_type="application/json",
        snapshot=_both_snapshot,
    ),
    "tickets-api:ticket-links": Row(
        "post",
        api_staff(201, rep_other_team=404),
        kwargs=_two_kwargs,
        data=lambda ctx: {"kind": "parent", "other": _other(ctx)},
        content_type="application/json",
        snapshot=_both_snapshot,
    ),
    "tickets-api:ticket-link-delete": Row(
        "delete",
        api_staff(204, rep_other_team=404),
        kwargs=_linked_kwargs,
        snapshot=_both_snapshot,
    ),
    # Bulk work: anyone with a staff role may start one; each ticket is then checked as a
    # single edit (another team's ticket is refused in the summary, unchanged).
    "tickets:bulk-start": Row(
        "post", staff(302), kwargs=_new_ticket, data=_bulk_data, snapshot=_bulk_snapshot
    ),
    "tickets:bulk-detail": Row("get", staff(404, manager=200), kwargs=_managers_bulk),
    "tickets-api:bulk-create": Row(
        "post",
        api_staff(201),
        kwargs=_new_ticket,
        data=lambda ctx: {
            "kind": "priority",
            "params": {"priority": "high"},
            "tickets": [ctx["ticket"].pk],
        },
        content_type="application/json",
        snapshot=_bulk_snapshot,
    ),
    "tickets-api:bulk-detail": Row("get", api_staff(404, manager=200), kwargs=_managers_bulk),
}


# Saved views: anyone saves a personal view; only the team's managers (and directors) share
# one with the team or delete the team's view; members of the team see it.
def _views_snapshot(ctx):
    return sorted(SavedView.objects.values_list("pk", "name", "team_id"))


def _team_view(ctx) -> dict:
    view = saved_views.save_view(
        by=ctx["users"]["manager"], name="Team urgent", query={"priority": ["urgent"]},
        team_id=ctx["team"].pk,
    )  # fmt: skip
    return {"pk": view.pk}


ROWS |= {
    "tickets:saved-view-create": Row(
        "post",
        staff(302, rep=422, rep_other_team=422),
        data=lambda ctx: {
            "save-name": "Shared urgent",
            "save-team": ctx["team"].pk,
            "query": "priority=urgent&sort=-updated_at",
        },  # fmt: skip
        snapshot=_views_snapshot,
    ),
    "tickets:saved-view-delete": Row(
        "post",
        staff(302, rep=403, rep_other_team=404),
        kwargs=_team_view,
        snapshot=_views_snapshot,
    ),  # fmt: skip
    "tickets:saved-view-counts": Row("get", staff(200), kwargs=lambda ctx: _team_view(ctx) and {}),
    "tickets-api:saved-view-list": Row(
        "post",
        api_staff(201, rep=403, rep_other_team=403),
        data=lambda ctx: {
            "name": "Shared urgent",
            "team": ctx["team"].pk,
            "query": {"priority": ["urgent"]},
        },  # fmt: skip
        content_type="application/json",
        snapshot=_views_snapshot,
    ),
    "tickets-api:saved-view-detail": Row(
        "delete",
        api_staff(204, rep=403, rep_other_team=404),
        kwargs=_team_view,
        snapshot=_views_snapshot,
    ),  # fmt: skip
}
