"""Performance reviews, with a snapshot of the rep's figures frozen on the review.

The snapshot holds what staffing's own records give (training hours, certifications, QA
average). Ticket figures (tickets solved, median first reply and resolution, CSAT) belong to
the kpis layer, which staffing never imports: kpis plugs in with ``register_snapshot_provider``
from its ``AppConfig.ready()``; until it does they are stored as null with a note.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.contrib.auth.models import User
from django.db import transaction

from csops import permissions
from csops.errors import InvalidInput, NotAllowed, NotFound
from csops.notify import notify
from staffing import selectors
from staffing.models import PerformanceReview
from staffing.services._common import now

SnapshotProvider = Callable[[User, date, date], dict]
_snapshot_providers: list[SnapshotProvider] = []
KPI_KEYS = (
    "tickets_solved",
    "median_first_reply_seconds",
    "median_resolution_seconds",
    "csat_percent",
)


def register_snapshot_provider(provider: SnapshotProvider) -> None:
    _snapshot_providers.append(provider)


def build_snapshot(rep: User, start: date, end: date) -> dict:
    qa = selectors.qa_summary(rep_id=rep.pk, start=start, end=end)
    snapshot: dict = {
        "period": [start.isoformat(), end.isoformat()],
        **dict.fromkeys(KPI_KEYS),
        "qa_average": None if qa["average"] is None else str(qa["average"]),
        "qa_reviews": qa["count"],
        "training_hours": str(selectors.training_hours(rep.pk, start, end)),
        "certifications": selectors.certifications_on(rep.pk, end),
        "note": "Ticket figures are computed by the KPI engine (kpis), not yet connected.",
    }
    for provider in _snapshot_providers:
        snapshot |= provider(rep, start, end)
        snapshot.pop("note", None)
    return snapshot


def create_review(
    *, rep: User, by: User, period_start: date, period_end: date, summary: str, goals: str = ""
) -> PerformanceReview:
    permissions.ensure_can_manage_person(by, rep.pk)
    if rep.pk == by.pk:
        raise NotAllowed("You cannot review yourself.")
    if period_end < period_start:
        raise InvalidInput(
            "The period must end on or after its start.",
            fields={"period_end": ["Before the start."]},
        )
    if not summary.strip():
        raise InvalidInput("Write a summary.", fields={"summary": ["Required."]})
    with transaction.atomic():
        review = PerformanceReview.objects.create(
            rep=rep,
            reviewer=by,
            period_start=period_start,
            period_end=period_end,
            summary=summary,
            goals=goals,
            created_at=now(),
            snapshot=build_snapshot(rep, period_start, period_end),
        )
        notify(
            [rep],
            key=f"perf-review:{review.pk}",
            text="You have a new performance review.",
            url=f"/staff/reviews/{review.pk}/",
        )
    return review


def access_review(user: User, pk: int) -> PerformanceReview:
    qs = PerformanceReview.objects.select_related("rep", "reviewer")
    review = permissions.scope_staff_records(user, qs, field="rep").filter(pk=pk).first()
    if review is None:
        raise NotFound(f"Performance review #{pk} does not exist or is not yours to see.")
    return review


def acknowledge(pk: int, *, by: User) -> PerformanceReview:
    review = access_review(by, pk)
    if review.rep_id != by.pk:
        raise NotAllowed("Only the reviewed person may acknowledge.")
    if review.acknowledged_at is None:
        review.acknowledged_at = now()
        review.save(update_fields=["acknowledged_at"])
    return review
