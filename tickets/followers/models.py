"""The addresses that follow an incident's public updates."""

from __future__ import annotations

from django.db import models


class IncidentFollower(models.Model):
    """One address following one incident: made when the address confirmed its link
    (``confirmed_at``); ``unfollowed_at`` set when it unsubscribed (a new confirmation clears
    it). ``email`` is lower-cased."""

    incident = models.ForeignKey(
        "tickets.Incident", on_delete=models.CASCADE, related_name="followers"
    )
    email = models.EmailField(max_length=254)
    confirmed_at = models.DateTimeField()
    unfollowed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["incident", "email"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "email"], name="incident_follower_once"),
        ]

    def __str__(self) -> str:
        return f"{self.email} follows incident #{self.incident_id}"

    @property
    def active(self) -> bool:
        return self.unfollowed_at is None
