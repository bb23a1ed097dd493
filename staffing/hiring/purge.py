"""Candidates' personal data is deleted ``HIRING_PURGE_MONTHS`` after they were rejected or
withdrew: name, e-mail, phone, notes and CV go, as do the free text of their scorecards and
of the hiring decision (in its audit history too). Stage, source and dates stay, so the
hiring figures keep counting them anonymously.

A daily beat task makes the recurring job ``PURGE`` due (csops.jobs); the job anonymizes in
batches and runs again while some remain. Idempotent: an anonymized row is never picked again.
"""

from __future__ import annotations

from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from csops import jobs
from staffing.hiring.models import Candidate, HiringDecision, InterviewScorecard, Stage

PURGE = "staffing.purge_candidate_data"  # job kind (staffing/hiring/jobs.py)
PURGE_KEY = "hiring-purge"
BATCH = 200


def enqueue_purge() -> bool:
    """The beat task's call: make the one purge job due (unless one is under way)."""
    return jobs.enqueue_recurring(PURGE, key=PURGE_KEY)


def cutoff(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - relativedelta(months=settings.HIRING_PURGE_MONTHS)


def due(now: datetime | None = None):
    return Candidate.objects.filter(
        stage__in=(Stage.REJECTED, Stage.WITHDRAWN),
        anonymized_at__isnull=True,
        closed_at__lt=cutoff(now),
    )


def purge_batch(now: datetime | None = None, *, batch: int = BATCH) -> tuple[int, bool]:
    """Anonymize up to ``batch`` due candidates; returns (how many, whether more remain)."""
    now = now or timezone.now()
    with transaction.atomic():
        rows = list(due(now).select_for_update(skip_locked=True).order_by("closed_at")[:batch])
        ids = [c.pk for c in rows]
        files = [c.cv for c in rows if c.cv]
        Candidate.objects.filter(pk__in=ids).update(
            name="", email="", phone="", notes="", cv="", anonymized_at=now
        )
        InterviewScorecard.objects.filter(candidate_id__in=ids).update(notes="")
        decisions = HiringDecision.objects.filter(candidate_id__in=ids)
        HiringDecision.history.filter(id__in=decisions.values("pk")).update(reason="")
        decisions.update(reason="")
        if files:
            transaction.on_commit(lambda: [f.storage.delete(f.name) for f in files])
    return len(ids), due(now).exists()
