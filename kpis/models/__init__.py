from kpis.models.goals import Goal, Hours
from kpis.models.jobs import DirtyBucket, KpiHeartbeat, RebuildJob
from kpis.models.rollups import DailyRollup, RollupKind
from kpis.models.ticket_metrics import TicketMetricsRow, TicketSlaRow

__all__ = [
    "DailyRollup",
    "DirtyBucket",
    "Goal",
    "Hours",
    "KpiHeartbeat",
    "RebuildJob",
    "RollupKind",
    "TicketMetricsRow",
    "TicketSlaRow",
]
