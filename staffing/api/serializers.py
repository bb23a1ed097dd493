from __future__ import annotations

from rest_framework import serializers

from staffing.models import Team


class TeamSerializer(serializers.ModelSerializer):
    class Meta:
        model = Team
        fields = ["id", "name", "slug", "tier", "description"]
        read_only_fields = fields
