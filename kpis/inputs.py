"""The one place the KPI engine reads a ticket's SLA policy and schedule versions.

Wired to the SLA engine's records: ``Ticket.sla_policy_version`` and ``Ticket.calendar_version``
are chosen once at creation (``tickets.services.sla.versions_for_new_ticket``, §9.5, §9.19).
No policy -> no SLA instances; no calendar version -> 24/7 calendar hours (business =
calendar), exactly as ``tickets.services.sla.evaluate_ticket`` does. Versions are immutable,
so the engine objects are memoised per version id (a Schedule also keeps its day cache).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from policies.business_time import CALENDAR_HOURS, Hours
from policies.models import CalendarVersion, SlaPolicyVersion
from policies.selectors import engine_policy
from policies.sla import SlaPolicy
from tickets.models import Ticket

SlaInputs = tuple[SlaPolicy | None, Hours]


@lru_cache(maxsize=256)
def _policy(version_id: int) -> SlaPolicy:
    return engine_policy(SlaPolicyVersion.objects.prefetch_related("targets").get(pk=version_id))


@lru_cache(maxsize=256)
def _schedule(version_id: int) -> Hours:
    return CalendarVersion.objects.get(pk=version_id).schedule()


def clear_cache() -> None:
    """Forget memoised versions (tests that reuse primary keys across databases)."""
    _policy.cache_clear()
    _schedule.cache_clear()


def sla_inputs(ticket_ids: Iterable[int]) -> dict[int, SlaInputs]:
    """``{ticket_id: (policy version or None, schedule version)}`` for each ticket."""
    rows = Ticket.objects.filter(pk__in=list(ticket_ids)).values_list(
        "pk", "sla_policy_version_id", "calendar_version_id"
    )
    return {
        pk: (
            None if policy_id is None else _policy(policy_id),
            CALENDAR_HOURS if calendar_id is None else _schedule(calendar_id),
        )
        for pk, policy_id, calendar_id in rows
    }
