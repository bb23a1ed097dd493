from kpis.digests.models import Cadence, DigestDelivery, DigestSubscription
from kpis.models.arrivals import ArrivalFold, ArrivalSlot
from kpis.models.backlog import BacklogDay, DailyBacklog, OpenTicketsDay, TicketBacklogSpan
from kpis.models.goals import Goal, Hours
from kpis.models.jobs import DirtyBucket, KpiHeartbeat, RebuildChunk, RebuildJob
from kpis.models.rollups import DailyHistogram, DailyRollup, RollupKind
from kpis.models.ticket_metrics import TicketMetricsRow, TicketSlaRow

__all__ = [
    "ArrivalFold",
    "ArrivalSlot",
    "BacklogDay",
    "Cadence",
    "DailyBacklog",
    "DailyHistogram",
    "DailyRollup",
    "DigestDelivery",
    "DigestSubscription",
    "DirtyBucket",
    "Goal",
    "Hours",
    "KpiHeartbeat",
    "OpenTicketsDay",
    "RebuildChunk",
    "RebuildJob",
    "RollupKind",
    "TicketBacklogSpan",
    "TicketMetricsRow",
    "TicketSlaRow",
]
