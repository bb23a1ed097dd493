"""A named set of the queue's filters, sort and columns, personal or shared with one team."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from tickets import columns as queue_columns


class SavedView(models.Model):
    name = models.CharField(max_length=80)
    # The person who saved it; a personal view (no team) is theirs alone.
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # Shared with this team's members and managers (set only by a manager of the team or a
    # director); empty: personal.
    team = models.ForeignKey(
        "staffing.Team", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # The queue's query parameters as a dict of lists ({"status": ["open"], ...}), checked by
    # the queue's own FilterSet when saved.
    query = models.JSONField(default=dict, blank=True)
    # The queue's optional columns shown (``tickets.columns``), in the queue's order; empty:
    # all of them.
    columns = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "name"],
                condition=Q(team__isnull=True),
                name="saved_view_personal_name_once",
                violation_error_message="You already have a view with this name.",
            ),
            models.UniqueConstraint(
                fields=["team", "name"],
                condition=Q(team__isnull=False),
                name="saved_view_team_name_once",
                violation_error_message="The team already has a view with this name.",
            ),
        ]
        indexes = [
            # The queue's sidebar: one's personal views and the views of one's teams.
            models.Index(fields=["owner"], name="saved_view_owner"),
            models.Index(fields=["team"], name="saved_view_team"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """The admin's check of the columns (the API and the queue check them in the service)."""
        if not isinstance(self.columns, list) or queue_columns.unknown(self.columns):
            raise ValidationError(
                {"columns": f"A list of these columns: {', '.join(queue_columns.KEYS)}."}
            )

    @property
    def shared(self) -> bool:
        return self.team_id is not None
