"""Working a ticket by its procedures: ticking checklist steps, and replying with a macro."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.models import User
from django.db import transaction

from csops import permissions
from csops.errors import InvalidInput, InvalidTransition, NotFound
from policies.models import Macro
from policies.selectors_documents import current_versions
from tickets import events
from tickets.attachments.services import FileLike
from tickets.models import Status, Ticket
from tickets.services.actions import action_time, record
from tickets.services.tickets import reply, update_ticket


@transaction.atomic
def tick_step(ticket_id: int, *, by: User, version_id: int, step: int, checked: bool) -> Ticket:
    """Record that the rep did (or undid) one step of a procedure in force for the ticket."""
    ticket = permissions.access_ticket(by, ticket_id, for_update=True)
    if ticket.status == Status.CLOSED:
        raise InvalidTransition("This ticket is closed.")
    tag_ids = ticket.tags.values_list("pk", flat=True)
    versions = {v.pk: v for v in current_versions(category_id=ticket.category_id, tag_ids=tag_ids)}
    version = versions.get(version_id)
    if version is None:
        raise NotFound("That procedure is not in force for this ticket.")
    if not 0 <= step < len(version.checklist):
        raise InvalidInput("No such step.", fields={"step": ["No such step."]})
    at = action_time(ticket)
    text = version.checklist[step]
    tick = events.checklist_ticked(
        ticket, at, by, version_id=version.pk, step=step, text=text, checked=checked
    )
    record(ticket, at, [tick])
    return ticket


@transaction.atomic
def reply_with_macro(
    ticket_id: int,
    *,
    by: User,
    macro_id: int,
    body: str,
    public: bool = True,
    new_status: str | None = None,
    expected_version: int | None = None,
    attachments: Sequence[FileLike] = (),
    confirm_open_children: bool = False,
) -> Ticket:
    """Send the (edited) macro text; then apply the macro's priority and tags and record its
    use. The status comes from the reply form, which the macro pre-selected."""
    macro = Macro.objects.filter(pk=macro_id, active=True).prefetch_related("add_tags").first()
    if macro is None:
        raise InvalidInput("That macro no longer exists.", fields={"macro": ["Unknown macro."]})
    ticket = reply(
        ticket_id,
        by=by,
        body=body,
        public=public,
        new_status=new_status,
        expected_version=expected_version,
        attachments=attachments,
        confirm_open_children=confirm_open_children,
    )
    tags = list(macro.add_tags.all())
    if macro.set_priority or tags:
        if ticket.status == Status.CLOSED:
            return ticket
        wanted = list({*ticket.tags.all(), *tags}) if tags else None
        ticket = update_ticket(
            ticket.pk,
            by=by,
            expected_version=ticket.version,
            priority=macro.set_priority or None,
            tags=wanted,
        )
    at = action_time(ticket)
    record(ticket, at, [events.macro_applied(ticket, at, by, macro_id=macro.pk, title=macro.title)])
    return ticket
