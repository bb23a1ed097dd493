"""Admin for the KPI engine's tables: derived data, shown read-only (never edited by hand)."""

from django.contrib import admin
from django.http import HttpRequest

from csops.admin_people import PeopleAdminMixin, person
from kpis.digests import admin as digest_admin  # noqa: F401 (KPI digests)
from kpis.models import (
    ArrivalFold,
    ArrivalSlot,
    BacklogDay,
    DailyBacklog,
    DailyHistogram,
    DailyRollup,
    DirtyBucket,
    KpiHeartbeat,
    OpenTicketsDay,
    RebuildChunk,
    RebuildJob,
    TicketBacklogSpan,
    TicketMetricsRow,
    TicketSlaRow,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(TicketMetricsRow)
class TicketMetricsRowAdmin(ReadOnlyAdmin):
    list_display = ["ticket", "status", "created_day", "first_reply_cal", "resolved_day"]
    list_filter = ["status", "channel", "resolved"]
    search_fields = ["=ticket__pk"]
    raw_id_fields = ["ticket"]


@admin.register(TicketSlaRow)
class TicketSlaRowAdmin(ReadOnlyAdmin):
    list_display = ["ticket", "metric", "index", "outcome", "due_at", "outcome_day"]
    list_filter = ["metric", "outcome", "finished"]
    search_fields = ["=ticket__pk"]
    raw_id_fields = ["ticket"]


@admin.register(DailyRollup)
class DailyRollupAdmin(ReadOnlyAdmin):
    list_display = ["kind", "day", "team_id", "agent_id", "channel", "priority", "metric", "n"]
    list_filter = ["kind", "channel", "priority"]
    date_hierarchy = "day"


@admin.register(DailyHistogram)
class DailyHistogramAdmin(ReadOnlyAdmin):
    list_display = ["kind", "hours", "day", "span", "level", "team_id", "bin", "n"]
    list_filter = ["kind", "hours", "level"]
    date_hierarchy = "day"


@admin.register(TicketBacklogSpan)
class TicketBacklogSpanAdmin(ReadOnlyAdmin):
    list_display = ["ticket", "start", "end", "first_day", "last_day", "actionable", "team_id"]
    list_filter = ["actionable", "channel", "priority"]
    search_fields = ["=ticket__pk"]
    raw_id_fields = ["ticket"]


@admin.register(DailyBacklog)
class DailyBacklogAdmin(ReadOnlyAdmin):
    list_display = ["day", "level", "team_id", "agent_id", "channel", "priority", "n"]
    list_filter = ["level", "channel", "priority"]
    date_hierarchy = "day"


@admin.register(OpenTicketsDay)
class OpenTicketsDayAdmin(ReadOnlyAdmin):
    list_display = ["created_day", "actionable", "n"]
    list_filter = ["actionable"]


@admin.register(BacklogDay)
class BacklogDayAdmin(ReadOnlyAdmin):
    list_display = ["day", "folded_at"]


@admin.register(RebuildChunk)
class RebuildChunkAdmin(ReadOnlyAdmin):
    list_display = ["job", "lo", "hi", "tickets", "done_at"]


@admin.register(DirtyBucket)
class DirtyBucketAdmin(ReadOnlyAdmin):
    list_display = ["kind", "day", "marked_at", "claimed_at"]


@admin.register(RebuildJob)
class RebuildJobAdmin(PeopleAdminMixin, ReadOnlyAdmin):
    list_display = [
        "pk",
        "state",
        person("requested_by"),
        "created_at",
        "done",
        "total",
        "finished_at",
    ]


@admin.register(KpiHeartbeat)
class KpiHeartbeatAdmin(ReadOnlyAdmin):
    list_display = ["name", "at"]


from kpis import admin_goals  # noqa: E402,F401  (goals admin, owned by the dashboard)


@admin.register(ArrivalSlot)
class ArrivalSlotAdmin(admin.ModelAdmin):
    """Arrivals per half hour (kpis.forecast.fold writes them; read-only here)."""

    list_display = ["day", "slot", "team_id", "channel", "n"]
    list_filter = ["channel"]
    date_hierarchy = "day"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ArrivalFold)
class ArrivalFoldAdmin(admin.ModelAdmin):
    list_display = ["last_event", "seen_event", "generation", "folded_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
