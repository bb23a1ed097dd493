"""Input and output serializers of the KPI API."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from rest_framework import serializers

from csops.bounds import column_bounds
from kpis.selectors import GRAINS, SERIES_METRICS, DashboardFilter
from kpis.zone import day_of
from tickets.models import Channel, Priority


@column_bounds()
class FilterInput(serializers.Serializer):
    """The dashboard's filters. Default range: the last 30 days (reporting zone)."""

    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)
    grain = serializers.ChoiceField(GRAINS, default="day")
    team = serializers.IntegerField(required=False, min_value=1)
    agent = serializers.CharField(required=False, help_text="A user id or 'unassigned'.")
    channel = serializers.ChoiceField(Channel.values, required=False)
    priority = serializers.ChoiceField([*Priority.values, "none"], required=False)
    hours = serializers.ChoiceField(["calendar", "business"], default="calendar")

    def validate_agent(self, value: str) -> int | str:
        if value == "unassigned":
            return value
        if not value.isdigit():
            raise serializers.ValidationError("A user id or 'unassigned'.")
        return int(value)

    def validate(self, attrs: dict) -> dict:
        end = attrs.get("end") or day_of(timezone.now())
        start = attrs.get("start") or end - timedelta(days=29)
        if end < start:
            raise serializers.ValidationError({"end": ["The range ends before it starts."]})
        if (end - start).days > 3 * 366:
            raise serializers.ValidationError({"start": ["At most 3 years."]})
        attrs["start"], attrs["end"] = start, end
        return attrs

    def filter(self) -> DashboardFilter:
        d = self.validated_data
        return DashboardFilter(
            start=d["start"],
            end=d["end"],
            grain=d["grain"],
            team=d.get("team"),
            agent=d.get("agent"),
            channel=d.get("channel"),
            priority=d.get("priority"),
            business=d["hours"] == "business",
        )


@column_bounds()
class TimeseriesInput(FilterInput):
    metric = serializers.ChoiceField(SERIES_METRICS, default="created")


class StatSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    mean = serializers.FloatField(allow_null=True)
    median = serializers.FloatField(allow_null=True)
    p90 = serializers.FloatField(allow_null=True)


class TileSerializer(serializers.Serializer):
    key = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
    previous = serializers.FloatField(allow_null=True)
    count = serializers.IntegerField(allow_null=True)


class BacklogSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    actionable = serializers.IntegerField()
    median_age_days = serializers.FloatField(allow_null=True)
    p90_age_days = serializers.FloatField(allow_null=True)
    buckets = serializers.DictField(child=serializers.IntegerField())


class SlaTileSerializer(serializers.Serializer):
    metric = serializers.CharField()
    achieved = serializers.IntegerField()
    breached = serializers.IntegerField()
    attainment = serializers.FloatField(allow_null=True)
    previous = serializers.FloatField(allow_null=True)


class FilterEcho(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    grain = serializers.CharField()
    team = serializers.IntegerField(allow_null=True)
    agent = serializers.CharField(allow_null=True)
    channel = serializers.CharField(allow_null=True)
    priority = serializers.CharField(allow_null=True)
    business = serializers.BooleanField()


class SummarySerializer(serializers.Serializer):
    """Durations in minutes; rates in percent; backlog ages in days."""

    filter = FilterEcho()
    as_of = serializers.DateTimeField()
    tiles = serializers.SerializerMethodField()
    first_reply = StatSerializer()
    full_resolution = StatSerializer()
    backlog = BacklogSerializer()
    sla = SlaTileSerializer(many=True)
    breached_active = serializers.IntegerField()

    def get_tiles(self, obj) -> dict[str, dict]:
        return {k: TileSerializer(t).data for k, t in obj.tiles.items()}


class PointSerializer(serializers.Serializer):
    start = serializers.DateField(source="key")
    value = serializers.FloatField(allow_null=True)
    count = serializers.IntegerField()
    stat = StatSerializer(allow_null=True)


class TimeseriesSerializer(serializers.Serializer):
    metric = serializers.CharField()
    grain = serializers.CharField()
    points = PointSerializer(many=True)


class TicketMetricsSerializer(serializers.Serializer):
    """One ticket's stored metrics (§4) at its latest event; durations in minutes."""

    ticket = serializers.IntegerField(source="ticket_id")
    as_of = serializers.DateTimeField(source="last_event_at")
    computed_at = serializers.DateTimeField()
    source_event_id = serializers.IntegerField()
    status = serializers.CharField()
    channel = serializers.CharField()
    inbound = serializers.BooleanField()
    resolved = serializers.BooleanField()
    durations = serializers.SerializerMethodField()
    counts = serializers.SerializerMethodField()
    flags = serializers.SerializerMethodField()
    attribution = serializers.SerializerMethodField()

    def get_durations(self, row) -> dict[str, dict[str, float | None]]:
        names = (
            "first_reply",
            "first_resolution",
            "full_resolution",
            "requester_wait",
            "agent_work",
            "agent_wait",
            "on_hold",
        )
        out = {}
        for n in names:
            cal, bus = getattr(row, f"{n}_cal"), getattr(row, f"{n}_bus")
            out[n] = {
                "calendar_minutes": None if cal is None else cal / 60,
                "business_minutes": None if bus is None else bus / 60,
            }
        return out

    def get_counts(self, row) -> dict[str, int]:
        names = (
            "reopens",
            "agent_replies",
            "customer_followups",
            "escalations",
            "assignee_stations",
            "group_stations",
        )
        return {n: getattr(row, n) for n in names}

    def get_flags(self, row) -> dict[str, bool | None]:
        return {n: getattr(row, n) for n in ("zero_touch", "one_touch", "two_touch", "fcr")}

    def get_attribution(self, row) -> dict[str, dict | None]:
        out: dict[str, dict | None] = {}
        for key, prefix in (
            ("created", "created"),
            ("first_reply", "first_reply"),
            ("first_resolution", "first_resolution"),
            ("last_solve", "resolved"),
        ):
            day = getattr(row, f"{prefix}_day")
            out[key] = (
                None
                if day is None
                else {
                    "day": day.isoformat(),
                    "agent": getattr(row, f"{prefix}_agent_id"),
                    "team": getattr(row, f"{prefix}_team_id"),
                    "priority": getattr(row, f"{prefix}_priority"),
                }
            )
        return out
