"""Onboarding evidence from tickets: a "first_ticket" step is done on the day the new hire
first solved a ticket on or after the plan's start (registered in ``TicketsConfig.ready``)."""

from __future__ import annotations

from datetime import date, datetime, time

from django.utils import timezone

from tickets.models import TicketEvent


def first_ticket_solved(plan, steps: list) -> dict[int, date]:
    start = datetime.combine(plan.start_date, time.min, timezone.get_current_timezone())
    first = (
        TicketEvent.objects.filter(
            actor_id=plan.user_id, type="status_changed", data__to="solved", at__gte=start
        )
        .order_by("at")
        .values_list("at", flat=True)
        .first()
    )
    if first is None:
        return {}
    return {s.pk: timezone.localdate(first) for s in steps}
