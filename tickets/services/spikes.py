"""Spike detection: "possible incident" alerts when an hour's new tickets in a category or
tag jump far above its usual level.

Rule (decided; the spec is silent): for the hour H = [h, h+1h), count new tickets (created_at)
per category and per tag. The baseline is the mean count of the same hour on the previous
4 weeks (h-7d, h-14d, h-21d, h-28d; a week without tickets counts 0). H spikes when
count >= SPIKE_MIN_TICKETS and count >= SPIKE_FACTOR x baseline. One alert per
(dimension, key, hour): re-running the detection for the same hour adds nothing.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, QuerySet
from django.utils import timezone

from policies.models import Category, Tag
from tickets.chat import services as chat
from tickets.models import SpikeAlert, Ticket
from tickets.models.incidents import SpikeDimension

WEEKS = 4


def _min_tickets() -> int:
    return settings.SPIKE_MIN_TICKETS


def _factor() -> float:
    return settings.SPIKE_FACTOR


def _counts(hour: datetime, dimension: str) -> dict[int, int]:
    """{key id: tickets created in [hour, hour+1h)} for categories or tags (one query)."""
    qs = Ticket.objects.filter(created_at__gte=hour, created_at__lt=hour + timedelta(hours=1))
    field = "category" if dimension == SpikeDimension.CATEGORY else "tags"
    rows = qs.filter(**{f"{field}__isnull": False}).values(field).annotate(n=Count("pk"))
    return {row[field]: row["n"] for row in rows}


def _names(dimension: str, ids: list[int]) -> dict[int, str]:
    model = Category if dimension == SpikeDimension.CATEGORY else Tag
    return dict(model.objects.filter(pk__in=ids).values_list("pk", "name"))


def _ticket_ids(hour: datetime, dimension: str, key_id: int) -> list[int]:
    field = "category_id" if dimension == SpikeDimension.CATEGORY else "tags"
    qs = Ticket.objects.filter(
        created_at__gte=hour, created_at__lt=hour + timedelta(hours=1), **{field: key_id}
    )
    return sorted(qs.values_list("pk", flat=True))


def detect_spikes(hour: datetime) -> list[SpikeAlert]:
    """Record alerts for the hour starting at ``hour``; returns the alerts new this run."""
    hour = hour.replace(minute=0, second=0, microsecond=0)
    created: list[SpikeAlert] = []
    now = timezone.now()
    for dimension in SpikeDimension.values:
        current = _counts(hour, dimension)
        if not current:
            continue
        history: dict[int, int] = defaultdict(int)
        for week in range(1, WEEKS + 1):
            for key, n in _counts(hour - timedelta(weeks=week), dimension).items():
                history[key] += n
        spiking = {
            key: n
            for key, n in current.items()
            if n >= _min_tickets() and n >= _factor() * history[key] / WEEKS
        }
        names = _names(dimension, list(spiking))
        for key, n in spiking.items():
            alert, new = SpikeAlert.objects.get_or_create(
                dimension=dimension,
                key_id=key,
                hour=hour,
                defaults={
                    "key_name": names.get(key, str(key)),
                    "count": n,
                    "baseline": history[key] / WEEKS,
                    "ticket_ids": _ticket_ids(hour, dimension, key),
                    "created_at": now,
                },
            )
            if new:
                created.append(alert)
                chat.record_spike(alert)
    return created


def open_alerts() -> QuerySet[SpikeAlert]:
    """Alerts of the last 24 hours not dismissed or turned into an incident."""
    since = timezone.now() - timedelta(hours=24)
    return SpikeAlert.objects.filter(
        hour__gte=since, dismissed_at__isnull=True, incident__isnull=True
    )


def dismiss(alert_id: int) -> None:
    SpikeAlert.objects.filter(pk=alert_id, dismissed_at__isnull=True).update(
        dismissed_at=timezone.now()
    )
