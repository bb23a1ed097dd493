"""SLA policy and calendar API serializers: output ones only read; input ones only validate
shapes (the rules are in ``policies.services``; nothing here saves)."""

from __future__ import annotations

from rest_framework import serializers

from csops.bounds import column_bounds
from policies.calendar_text import DAY_KEYS, holidays_as_lines, week_as_text
from policies.models import (
    BusinessCalendar,
    CalendarVersion,
    SlaMetric,
    SlaPolicy,
    SlaPolicyTarget,
    SlaPolicyVersion,
)
from policies.models.sla import PRIORITY_CHOICES

# --- Output ---------------------------------------------------------------------------------


class CalendarVersionSerializer(serializers.ModelSerializer):
    weekly = serializers.SerializerMethodField()
    holidays = serializers.SerializerMethodField()
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = CalendarVersion
        fields = ["id", "number", "time_zone", "weekly", "holidays", "effective_from",
                  "created_at", "created_by"]  # fmt: skip
        read_only_fields = fields

    def get_weekly(self, version: CalendarVersion) -> dict[str, str]:
        return week_as_text(version.weekly)

    def get_holidays(self, version: CalendarVersion) -> list[str]:
        return holidays_as_lines(version.holidays)


class CalendarSerializer(serializers.ModelSerializer):
    versions = CalendarVersionSerializer(many=True, read_only=True)

    class Meta:
        model = BusinessCalendar
        fields = ["id", "name", "created_at", "versions"]
        read_only_fields = fields


class TargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = SlaPolicyTarget
        fields = ["priority", "metric", "minutes", "business"]
        read_only_fields = fields


class PolicyVersionSerializer(serializers.ModelSerializer):
    targets = TargetSerializer(many=True, read_only=True)

    class Meta:
        model = SlaPolicyVersion
        fields = ["id", "number", "calendar", "at_risk_fraction", "teams", "channels",
                  "priorities", "organizations", "categories", "effective_from", "created_at",
                  "targets"]  # fmt: skip
        read_only_fields = fields


class SlaPolicySerializer(serializers.ModelSerializer):
    versions = PolicyVersionSerializer(many=True, read_only=True)

    class Meta:
        model = SlaPolicy
        fields = ["id", "name", "position", "active", "created_at", "versions"]
        read_only_fields = fields


class TicketSlaSerializer(serializers.Serializer):
    """One SLA instance of a ticket evaluated at the time of the request."""

    metric = serializers.CharField()
    index = serializers.IntegerField()
    state = serializers.CharField()
    at_risk = serializers.BooleanField()
    target_minutes = serializers.IntegerField()
    business = serializers.BooleanField()
    elapsed_minutes = serializers.IntegerField()
    due_at = serializers.DateTimeField(allow_null=True)
    ended_at = serializers.DateTimeField(allow_null=True)
    remaining_seconds = serializers.IntegerField(allow_null=True)
    trail = serializers.SerializerMethodField()

    def get_trail(self, target) -> list[dict]:
        return [{"at": e.at, "action": e.action, "reason": e.reason} for e in target.trail]


# --- Input ----------------------------------------------------------------------------------


@column_bounds()
class CalendarInput(serializers.Serializer):
    name = serializers.CharField(max_length=80, required=False)
    time_zone = serializers.CharField(max_length=64)
    weekly = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        help_text=f"Day ({', '.join(DAY_KEYS)}) -> '09:00-12:00, 13:00-17:00'; overnight "
        "'22:00-06:00' ends the next day.",
    )
    holidays = serializers.ListField(
        child=serializers.CharField(), required=False, default=list,
        help_text="'2026-12-25' (closed) or '2026-12-24 09:00-13:00' (open hours only).",
    )  # fmt: skip
    effective_from = serializers.DateTimeField(required=False, allow_null=True, default=None)

    def validate_weekly(self, value: dict) -> dict:
        unknown = sorted(set(value) - set(DAY_KEYS))
        if unknown:
            raise serializers.ValidationError(f"Unknown days: {', '.join(unknown)}.")
        return value


@column_bounds(SlaPolicyTarget)
class TargetInput(serializers.Serializer):
    priority = serializers.ChoiceField(choices=PRIORITY_CHOICES)
    metric = serializers.ChoiceField(choices=SlaMetric.choices)
    minutes = serializers.IntegerField()  # >= 1 is a rule: checked by the service (422)
    business = serializers.BooleanField(default=True)


@column_bounds(SlaPolicy)
class SlaPolicyInput(serializers.Serializer):
    """Create: name and targets required. Update (PUT/PATCH): what is left out keeps the
    current version's value; the result is saved as a new version."""

    name = serializers.CharField(max_length=120, required=False)
    position = serializers.IntegerField(min_value=0, required=False)
    active = serializers.BooleanField(required=False)
    calendar = serializers.PrimaryKeyRelatedField(
        queryset=BusinessCalendar.objects.all(), allow_null=True, required=False
    )
    at_risk_fraction = serializers.DecimalField(max_digits=4, decimal_places=3, required=False)
    teams = serializers.ListField(child=serializers.IntegerField(), required=False)
    channels = serializers.ListField(child=serializers.CharField(), required=False)
    priorities = serializers.ListField(child=serializers.CharField(), required=False)
    organizations = serializers.ListField(child=serializers.IntegerField(), required=False)
    categories = serializers.ListField(child=serializers.IntegerField(), required=False)
    targets = TargetInput(many=True, required=False)
    effective_from = serializers.DateTimeField(required=False, allow_null=True)
