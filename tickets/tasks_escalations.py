"""Escalation rule task: urgent tickets left without an agent reply for N minutes."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from tickets.models import EscalationRule, RuleTrigger
from tickets.selectors_escalations import urgent_waiting
from tickets.services.escalations import apply_rules


@shared_task(name="tickets.check_urgent_no_reply")
def check_urgent_no_reply() -> int:
    """Apply the active urgent_no_reply rules to urgent tickets waiting at least the smallest
    rule's minutes. Idempotent: a rule fires once per unanswered customer message."""
    minutes = EscalationRule.objects.filter(
        trigger=RuleTrigger.URGENT_NO_REPLY, active=True, minutes__isnull=False
    ).values_list("minutes", flat=True)
    if not minutes:
        return 0
    now = timezone.now()
    fired = 0
    for ticket_id, event_id, since in urgent_waiting(min(minutes), now):
        waited = int((now - since).total_seconds() // 60)
        fired += len(
            apply_rules(
                ticket_id, RuleTrigger.URGENT_NO_REPLY, event_id=event_id, waited_minutes=waited
            )
        )
    return fired
