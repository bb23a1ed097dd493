"""Arrivals per half hour (the demand forecast's input, kpis.forecast).

One row per (reporting day, half-hour slot of the day, team, channel): how many contacts
arrived, i.e. tickets created plus customer messages (public replies by the customer). Written
only by ``kpis.forecast.fold`` from the event log, incrementally past ``ArrivalFold.last_event``;
the forecast reads a team's rows for a few weeks (a few thousand rows, whatever the ticket
count).
"""

from __future__ import annotations

from django.db import models


class ArrivalSlot(models.Model):
    day = models.DateField()
    slot = models.PositiveSmallIntegerField(help_text="Half hour of the local day, 0..47.")
    team_id = models.IntegerField()
    channel = models.CharField(max_length=10)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            # The natural key; the fold's upsert target and the forecast's read (team, days).
            models.UniqueConstraint(
                fields=["team_id", "day", "slot", "channel"],
                name="arrival_slot_unique",
                violation_error_message="An arrivals row for this half hour exists.",
            ),
            models.CheckConstraint(
                condition=models.Q(slot__gte=0, slot__lte=47), name="arrival_slot_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} slot {self.slot} team {self.team_id} {self.channel}: {self.n}"


class ArrivalFold(models.Model):
    """The fold's watermark (the one row pk=1): events with ``id <= last_event`` are counted.
    ``seen_event`` is the highest id seen by the previous run: a run folds only up to it, so
    an event inserted by a transaction that commits late (a lower id showing up after a higher
    one) still gets counted, as long as it commits within one fold period."""

    last_event = models.BigIntegerField(default=0)
    seen_event = models.BigIntegerField(default=0)
    generation = models.PositiveIntegerField(default=1, help_text="Bumped by a refold.")
    folded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="arrival_fold_single")]

    def __str__(self) -> str:
        return f"Arrivals folded up to event {self.last_event}"
