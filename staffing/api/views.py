"""Teams, read-only: each user sees the teams ``csops.permissions.scope_teams`` gives them
(their own for reps and managers, every team for directors and admins)."""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import viewsets

from csops import permissions
from staffing.api.serializers import TeamSerializer
from staffing.models import Team


class TeamViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = TeamSerializer
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Team]:
        return permissions.scope_teams(self.request.user, Team.objects.order_by("tier", "name"))
