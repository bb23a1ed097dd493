"""Start a bulk action and work through it. Each ticket goes through the same service as a
single edit (same permission, version and transition checks), as the person who started it.
Small selections run at once; larger ones run as a durable job with a progress bar."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from csops import jobs, memo
from csops.errors import DomainError, InvalidInput, NotAllowed
from policies.markup import render_macro
from policies.models import Macro, Tag
from staffing.models import Team
from tickets import selectors_procedures
from tickets.bulk.models import BulkAction, BulkKind, BulkResult
from tickets.links import services as links
from tickets.models import Incident, Priority, Status, Ticket
from tickets.services import incidents
from tickets.services import tickets as ticket_services
from tickets.services.procedures import reply_with_macro

RUN = "tickets.bulk_run"  # job kind (tickets/jobs.py)
MAX_TICKETS = 5000
INLINE_MAX = 25  # at most this many run in the request; more go to the job
BATCH = 50  # tickets per job run: one transaction, one progress step


def _need(params: dict, name: str, label: str) -> Any:
    value = params.get(name)
    if value in (None, "", []):
        raise InvalidInput(f"Choose {label}.", fields={name: [f"Choose {label}."]})
    return value


def _clean_params(kind: str, params: dict) -> dict:
    """Check the action's parameters once, before any ticket is touched."""
    if kind == BulkKind.ASSIGN:
        assignee = params.get("assignee")
        if assignee not in (None, ""):
            if not User.objects.filter(pk=assignee, is_active=True).exists():
                raise InvalidInput("Unknown person.", fields={"assignee": ["Unknown person."]})
            return {"assignee": int(assignee)}
        return {"assignee": None}
    if kind == BulkKind.STATUS:
        status = _need(params, "status", "a status")
        if status not in Status.values or status == Status.NEW:
            raise InvalidInput("Choose a status.", fields={"status": ["Not allowed."]})
        return {
            "status": status,
            "confirm_open_children": bool(params.get("confirm_open_children")),
        }
    if kind == BulkKind.PRIORITY:
        priority = _need(params, "priority", "a priority")
        if priority not in Priority.values:
            raise InvalidInput("Unknown priority.", fields={"priority": ["Unknown priority."]})
        return {"priority": priority}
    if kind == BulkKind.TEAM:
        team = _need(params, "team", "a team")
        if not Team.objects.filter(pk=team).exists():
            raise InvalidInput("Unknown team.", fields={"team": ["Unknown team."]})
        return {"team": int(team)}
    if kind in (BulkKind.ADD_TAGS, BulkKind.REMOVE_TAGS):
        names = _need(params, "tags", "tags")
        names = [names] if isinstance(names, str) else list(names)
        names = sorted({n.strip() for raw in names for n in str(raw).split(",") if n.strip()})
        known = set(Tag.objects.filter(name__in=names).values_list("name", flat=True))
        if kind == BulkKind.ADD_TAGS and set(names) - known:
            missing = ", ".join(sorted(set(names) - known))
            raise InvalidInput(f"Unknown tags: {missing}.", fields={"tags": ["Unknown tag."]})
        if not names:
            raise InvalidInput("Choose tags.", fields={"tags": ["Choose tags."]})
        return {"tags": names}
    if kind == BulkKind.MACRO:
        macro = _need(params, "macro", "a macro")
        if not Macro.objects.filter(pk=macro, active=True).exists():
            raise InvalidInput("Unknown macro.", fields={"macro": ["Unknown macro."]})
        return {"macro": int(macro)}
    if kind == BulkKind.LINK_INCIDENT:
        incident = _need(params, "incident", "an incident")
        if not Incident.objects.filter(pk=incident).exists():
            raise InvalidInput("Unknown incident.", fields={"incident": ["Unknown incident."]})
        return {"incident": int(incident)}
    if kind == BulkKind.MERGE:
        return {"into": int(_need(params, "into", "the ticket to merge into"))}
    raise InvalidInput("Unknown bulk action.", fields={"kind": ["Unknown action."]})


def start(
    *,
    by: User,
    kind: str,
    params: dict,
    ticket_ids: Iterable[int],
    versions: dict[int, int] | None = None,
) -> BulkAction:
    """Record the action and run it: at once when small, else as a job (poll its row)."""
    if not by.groups.exists():
        raise NotAllowed("Only staff may act on tickets.")
    ids = list(dict.fromkeys(int(pk) for pk in ticket_ids))
    if not ids:
        raise InvalidInput("Select at least one ticket.", fields={"tickets": ["None selected."]})
    if len(ids) > MAX_TICKETS:
        raise InvalidInput(f"Select at most {MAX_TICKETS} tickets at once.")
    cleaned = _clean_params(kind, params)
    if kind == BulkKind.MERGE:
        ids = [pk for pk in ids if pk != cleaned["into"]]
    versions = {str(k): int(v) for k, v in (versions or {}).items() if int(k) in set(ids)}
    bulk = BulkAction.objects.create(
        created_by=by,
        created_at=timezone.now(),
        kind=kind,
        params=cleaned,
        ticket_ids=ids,
        versions=versions,
        total=len(ids),
    )
    if len(ids) <= INLINE_MAX:
        run_batch(bulk.pk, size=len(ids))
        bulk.refresh_from_db()
    else:
        with transaction.atomic():
            jobs.enqueue(RUN, key=f"bulk:{bulk.pk}", payload={"bulk": bulk.pk})
    return bulk


@memo.per_batch
def _once(model: type[Any], pk: int) -> Any:
    """The action's person, team or macro, read once per batch."""
    return model.objects.get(pk=pk)


def _apply(bulk: BulkAction, by: User, ticket_id: int) -> None:
    """One ticket, through the same service as a single edit."""
    p, version = bulk.params, bulk.versions.get(str(ticket_id))
    kind = bulk.kind
    if kind == BulkKind.ASSIGN:
        assignee = _once(User, p["assignee"]) if p["assignee"] else None
        ticket_services.update_ticket(ticket_id, by=by, expected_version=version, assignee=assignee)
    elif kind == BulkKind.STATUS:
        ticket_services.update_ticket(
            ticket_id,
            by=by,
            expected_version=version,
            status=p["status"],
            confirm_open_children=p["confirm_open_children"],
        )
    elif kind == BulkKind.PRIORITY:
        ticket_services.update_ticket(
            ticket_id, by=by, expected_version=version, priority=p["priority"]
        )
    elif kind == BulkKind.TEAM:
        team = _once(Team, p["team"])
        ticket_services.update_ticket(ticket_id, by=by, expected_version=version, team=team)
    elif kind in (BulkKind.ADD_TAGS, BulkKind.REMOVE_TAGS):
        current = set(Tag.objects.filter(tickets__pk=ticket_id).values_list("name", flat=True))
        wanted = current | set(p["tags"]) if kind == BulkKind.ADD_TAGS else current - set(p["tags"])
        tags = list(Tag.objects.filter(name__in=wanted))
        ticket_services.update_ticket(ticket_id, by=by, expected_version=version, tags=tags)
    elif kind == BulkKind.MACRO:
        macro = _once(Macro, p["macro"])
        ticket = Ticket.objects.select_related("requester").get(pk=ticket_id)
        body = render_macro(macro.body, selectors_procedures.macro_values(ticket, by))
        reply_with_macro(
            ticket_id,
            by=by,
            macro_id=macro.pk,
            body=body,
            public=True,
            new_status=macro.set_status or None,
            expected_version=version,
        )
    elif kind == BulkKind.LINK_INCIDENT:
        incidents.link_tickets(p["incident"], by=by, ticket_ids=[ticket_id])
    elif kind == BulkKind.MERGE:
        links.merge(
            [ticket_id],
            into=p["into"],
            by=by,
            expected_versions={ticket_id: version} if version else None,
        )


def run_batch(bulk_id: int, *, size: int = BATCH) -> bool:
    """Work through the next ``size`` tickets without a result; True while some remain.

    One transaction per batch: each ticket runs in its own savepoint (a refused ticket rolls
    back alone, with its on-commit work), and the batch's changes, their result rows and the
    progress commit together, so a retried or duplicated batch skips the tickets already done.
    Tickets are locked in id order (a fixed order: two batches cannot deadlock). One commit
    per batch instead of one per ticket, and the batch's shared reads (SLA versions, webhook
    subscriptions) read once (``csops.memo``), are the speed (bench/bulk.py)."""
    with transaction.atomic(), memo.batch():
        bulk = BulkAction.objects.select_for_update().select_related("created_by").get(pk=bulk_id)
        if bulk.state == BulkAction.State.DONE:
            return False
        done = set(BulkResult.objects.filter(bulk=bulk).values_list("ticket_id", flat=True))
        todo = sorted(pk for pk in bulk.ticket_ids if pk not in done)[:size]
        results = []
        for ticket_id in todo:
            try:
                with transaction.atomic():
                    _apply(bulk, bulk.created_by, ticket_id)
                ok, error = True, ""
            except DomainError as exc:
                ok, error = False, exc.detail[:500]
            results.append(BulkResult(bulk=bulk, ticket_id=ticket_id, ok=ok, error=error))
        BulkResult.objects.bulk_create(results)
        remaining = len(bulk.ticket_ids) - len(done) - len(todo)
        progress: dict[str, Any] = {
            "done": F("done") + len(results),
            "succeeded": F("succeeded") + sum(r.ok for r in results),
        }
        if remaining <= 0:
            progress |= {"state": BulkAction.State.DONE, "finished_at": timezone.now()}
        BulkAction.objects.filter(pk=bulk.pk).update(**progress)
    return remaining > 0


def access_bulk(user: User, pk: int) -> BulkAction:
    """A bulk action is seen by the person who started it (and admins)."""
    bulk = BulkAction.objects.filter(pk=pk).first()
    if bulk is None or (bulk.created_by_id != user.pk and not user.is_superuser):
        from csops.errors import NotFound

        raise NotFound(f"Bulk action #{pk} does not exist.")
    return bulk


def refusals(bulk: BulkAction, limit: int = 200) -> list[BulkResult]:
    return list(bulk.results.filter(ok=False).order_by("ticket_id")[:limit])
