"""Reads of hiring: the pipeline board, scorecards as the reader may see them, and the
figures (time to hire, source of hire) from the candidate rows, anonymized ones included."""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

from django.contrib.auth.models import User
from django.db.models import Count, Q, QuerySet

from csops import permissions
from staffing.hiring.models import (
    CLOSED_STAGES,
    OPEN_STAGES,
    Candidate,
    InterviewScorecard,
    Requisition,
    RequisitionStatus,
    Source,
    Stage,
)

BOARD_STAGES = (*OPEN_STAGES, *CLOSED_STAGES)


def requisitions_for(user: User) -> QuerySet[Requisition]:
    qs = Requisition.objects.select_related("team", "created_by", "decided_by", "scenario")
    return permissions.scope_requisitions(user, qs).annotate(
        open_candidates=Count("candidates", filter=Q(candidates__stage__in=OPEN_STAGES)),
        hired=Count("candidates", filter=Q(candidates__stage=Stage.HIRED)),
    )


def pending_approvals(user: User) -> QuerySet[Requisition]:
    if not permissions.can_approve_requisitions(user):
        return Requisition.objects.none()
    return requisitions_for(user).filter(status=RequisitionStatus.PENDING)


@dataclass
class Column:
    stage: str
    label: str
    candidates: list[Candidate]


def board(requisition: Requisition) -> list[Column]:
    """One column per stage, the open ones first; candidates in the order they arrived there."""
    by_stage: dict[str, list[Candidate]] = {s: [] for s in BOARD_STAGES}
    for c in requisition.candidates.order_by("stage_changed_at", "pk"):
        by_stage[c.stage].append(c)
    return [Column(s, Stage(s).label, by_stage[s]) for s in BOARD_STAGES]


@dataclass
class StageCards:
    stage: str
    label: str
    mine: InterviewScorecard | None
    others: list[InterviewScorecard]  # empty while hidden
    hidden: int  # how many others are submitted but not yet shown to the reader


def scorecards_for(candidate: Candidate, reader: User) -> list[StageCards]:
    """Each scored stage the candidate reached, with the reader's own scorecard and the
    others' — shown only once the reader submitted theirs, or the candidate has left that
    stage (ratings are then no longer being collected independently)."""
    cards = list(
        candidate.scorecards.select_related("interviewer").prefetch_related("ratings__competency")
    )
    reached = list(dict.fromkeys(candidate.moves.values_list("to_stage", flat=True)))
    out = []
    for stage in (Stage.SCREEN, Stage.INTERVIEW, Stage.OFFER):
        if stage not in reached:
            continue
        here = [c for c in cards if c.stage == stage]
        mine = next((c for c in here if c.interviewer_id == reader.pk), None)
        others = [c for c in here if c.interviewer_id != reader.pk]
        visible = mine is not None or candidate.stage != stage
        out.append(
            StageCards(
                stage.value,
                str(stage.label),
                mine,
                others if visible else [],
                0 if visible else len(others),
            )
        )
    return out


@dataclass
class HiringStats:
    hires: int
    median_days_to_hire: float | None
    by_source: list[tuple[str, int, int]]  # (source label, applicants, hires)


def stats(requisitions: QuerySet[Requisition]) -> HiringStats:
    """Time to hire (applied → hired, median days) and source of hire, over the candidates
    of ``requisitions`` (anonymized candidates still count: their dates and source stay)."""
    qs = Candidate.objects.filter(requisition__in=requisitions.values("pk"))
    hired = list(qs.filter(stage=Stage.HIRED).values_list("applied_at", "closed_at"))
    days = [(closed - applied).total_seconds() / 86400 for applied, closed in hired if closed]
    rows = {
        r["source"]: (r["n"], r["hires"])
        for r in qs.values("source").annotate(
            n=Count("pk"), hires=Count("pk", filter=Q(stage=Stage.HIRED))
        )
    }
    by_source = [(label, *rows[value]) for value, label in Source.choices if value in rows]
    return HiringStats(
        hires=len(hired),
        median_days_to_hire=round(median(days), 1) if days else None,
        by_source=by_source,
    )
