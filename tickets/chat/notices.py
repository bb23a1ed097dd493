"""One small function per event: what its chat message says (a ``formats.Notice``), with an
absolute link back to csops (``CSOPS_PUBLIC_URL``). Names are display names, never ids."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.urls import reverse

from csops.people import display_name
from policies.models import SlaMetric
from tickets.chat.formats import Notice
from tickets.models import Escalation, Incident, SpikeAlert, Ticket


def link(name: str, *args: object) -> str:
    return settings.CSOPS_PUBLIC_URL.rstrip("/") + reverse(name, args=args)


def _ticket_facts(t: Ticket) -> list[tuple[str, str]]:
    return [
        ("Team", str(t.team)),
        ("Priority", t.get_priority_display()),
        ("Assignee", display_name(t.assignee, "Unassigned")),
    ]


def sla_breach(t: Ticket, *, metric: str, at: datetime) -> Notice:
    label = SlaMetric(metric).label if metric in SlaMetric.values else metric
    return Notice(
        title=f"SLA breached: #{t.pk} {t.subject}",
        text=f"{label} was due at {at:%Y-%m-%d %H:%M} UTC.",
        url=link("tickets:ticket-detail", t.pk),
        facts=_ticket_facts(t),
        tone="danger",
    )


def escalation(e: Escalation) -> Notice:
    t = e.ticket
    return Notice(
        title=f"Escalated to {e.destination}: #{t.pk} {t.subject}",
        text=f"{e.get_category_display()}: {e.reason}",
        url=link("tickets:ticket-detail", t.pk),
        facts=[("From", str(e.from_team)), ("Raised by", display_name(e.raised_by, "A rule"))],
        tone="warning",
    )


def incident(i: Incident, what: str, *, text: str = "") -> Notice:
    """``what``: declared, updated or resolved."""
    return Notice(
        title=f"Incident {what}: {i.title}",
        text=text or i.customer_update,
        url=link("tickets:incident-detail", i.pk),
        facts=[
            ("Severity", i.get_severity_display()),
            ("Team", str(i.team)),
            ("Public", "yes" if i.public else "no"),
        ],
        tone="good" if what == "resolved" else "danger",
    )


def spike(a: SpikeAlert) -> Notice:
    return Notice(
        title=f"Possible incident: {a.count} new tickets in {a.get_dimension_display().lower()} "
        f"“{a.key_name}”",
        text=(
            f"{a.count} tickets in the hour from {a.hour:%Y-%m-%d %H}:00 UTC, "
            f"usually {a.baseline:.1f}."
        ),
        url=link("tickets:incident-list"),
        facts=[("Tickets", ", ".join(f"#{pk}" for pk in a.ticket_ids[:10]))],
        tone="warning",
    )


def test(channel_name: str, by: str) -> Notice:
    return Notice(
        title=f"Test message for {channel_name}",
        text=f"Sent by {by} from csops: this channel receives csops notifications.",
        url=link("tickets:chat-list"),
        tone="info",
    )
