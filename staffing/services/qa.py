"""QA scorecards and reviews of tickets."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from csops import permissions
from csops.errors import InvalidInput, InvalidTransition, NotAllowed, NotFound
from csops.notify import notify
from csops.people import display_name
from staffing.models import (
    QAAmendment,
    QACriterion,
    QAReview,
    QAScore,
    Scorecard,
    ScorecardVersion,
)
from staffing.models.qa import Resolution, ReviewState
from staffing.services._common import now

TWO = Decimal("0.01")


@dataclass(frozen=True)
class Outcome:
    raw_score: Decimal  # weighted percentage, 0..100
    score: Decimal  # raw_score, or 0 when a critical criterion failed
    failed_critical: bool
    passed: bool


def weighted_score(
    criteria: list[QACriterion], scores: dict[int, int], pass_percent: Decimal
) -> Outcome:
    """Σ weight·(score/max) / Σ weight, as a percentage rounded to 0.01. A critical criterion
    scored below its ``fail_below`` fails the review: its score becomes 0."""
    total_weight = sum((c.weight for c in criteria), Decimal(0))
    earned = sum(
        (c.weight * Decimal(scores[c.pk]) / Decimal(c.max_score) for c in criteria), Decimal(0)
    )
    raw = (earned * 100 / total_weight).quantize(TWO, ROUND_HALF_UP)
    failed = any(c.critical and scores[c.pk] < c.fail_below for c in criteria)
    score = Decimal("0.00") if failed else raw
    return Outcome(raw, score, failed, not failed and score >= pass_percent)


def create_scorecard(
    *,
    by: User,
    name: str,
    criteria: list[dict],
    description: str = "",
    pass_percent: Decimal = Decimal(80),
) -> Scorecard:
    permissions.ensure_can_edit_staff_catalog(by)
    with transaction.atomic():
        card = Scorecard.objects.create(name=name, description=description)
        _new_version(card, criteria, by=by, pass_percent=pass_percent)
    return card


def revise_scorecard(
    card: Scorecard, *, by: User, criteria: list[dict], pass_percent: Decimal | None = None
) -> ScorecardVersion:
    """A new version with these criteria; reviews scored with older versions keep theirs."""
    permissions.ensure_can_edit_staff_catalog(by)
    current = card.current_version
    if pass_percent is None:
        pass_percent = current.pass_percent if current else Decimal(80)
    with transaction.atomic():
        return _new_version(
            card,
            criteria,
            by=by,
            pass_percent=pass_percent,
        )


def _new_version(
    card: Scorecard, criteria: list[dict], *, by: User, pass_percent
) -> ScorecardVersion:
    if not criteria:
        raise InvalidInput("A scorecard needs at least one criterion.")
    for c in criteria:
        if Decimal(c.get("weight", 1)) <= 0 or int(c.get("max_score", 5)) <= 0:
            raise InvalidInput(f"Criterion {c.get('name')!r}: weight and maximum must be > 0.")
    last = card.versions.order_by("-number").first()
    version = ScorecardVersion.objects.create(
        scorecard=card,
        number=(last.number + 1) if last else 1,
        pass_percent=pass_percent,
        created_at=now(),
        created_by=by,
    )
    QACriterion.objects.bulk_create(
        QACriterion(version=version, order=i, **c) for i, c in enumerate(criteria, start=1)
    )
    return version


def _ticket_model():
    # The review's own foreign key names the Ticket model: staffing never imports tickets.
    return QAReview._meta.get_field("ticket").related_model


def _new_review(ticket, *, version: ScorecardVersion, by: User) -> QAReview:
    if ticket.assignee_id is None:
        raise InvalidInput(f"Ticket #{ticket.pk} has no assignee to review.")
    permissions.ensure_can_manage_person(by, ticket.assignee_id)
    if ticket.assignee_id == by.pk:
        raise NotAllowed("You cannot review your own ticket.")
    return QAReview.objects.create(
        ticket=ticket,
        ticket_number=ticket.pk,
        ticket_subject=ticket.subject,
        rep_id=ticket.assignee_id,
        team_id=ticket.team_id,
        reviewer=by,
        scorecard_version=version,
        created_at=now(),
    )


def start_review(ticket_id: int, *, scorecard: Scorecard, by: User) -> QAReview:
    """A review of one ticket for its assignee, to be scored next."""
    ticket = permissions.access_ticket(by, ticket_id)
    version = scorecard.current_version
    if version is None:
        raise InvalidInput("This scorecard has no version.")
    return _new_review(ticket, version=version, by=by)


def sample_reviews(
    *,
    rep: User,
    start: date,
    end: date,
    count: int,
    scorecard: Scorecard,
    by: User,
    seed: int | None = None,
) -> list[QAReview]:
    """Reviews of ``count`` random tickets the rep solved in [start, end] not yet reviewed."""
    permissions.ensure_can_manage_person(by, rep.pk)
    if end < start:
        raise InvalidInput("The period ends before it starts.", fields={"end": ["Before start."]})
    tz = timezone.get_current_timezone()
    reviewed = QAReview.objects.filter(rep=rep, ticket__isnull=False).values("ticket_id")
    qs = (
        permissions.scope_tickets(by, _ticket_model().objects.all())
        .filter(
            assignee=rep,
            solved_at__gte=datetime.combine(start, time.min, tz),
            solved_at__lt=datetime.combine(end, time.max, tz),
        )
        .exclude(pk__in=reviewed)
    )
    ids = sorted(qs.values_list("pk", flat=True))
    chosen = random.Random(seed).sample(ids, min(count, len(ids)))
    version = scorecard.current_version
    if version is None:
        raise InvalidInput("This scorecard has no version.")
    with transaction.atomic():
        return [
            _new_review(t, version=version, by=by)
            for t in _ticket_model().objects.filter(pk__in=chosen).order_by("pk")
        ]


def access_review(user: User, pk: int, *, for_update: bool = False) -> QAReview:
    qs = QAReview.objects.select_related("rep", "reviewer", "scorecard_version__scorecard", "team")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    review = permissions.scope_staff_records(user, qs, field="rep").filter(pk=pk).first()
    if review is None:
        raise NotFound(f"QA review #{pk} does not exist or is not yours to see.")
    return review


def _check_scores(criteria: list[QACriterion], scores: dict[int, tuple]) -> None:
    """Every criterion scored, each from 0 to its maximum, and nothing else."""
    errors: dict[str, list[str]] = {}
    for c in criteria:
        if c.pk not in scores:
            errors[f"criterion_{c.pk}"] = [f"Score {c.name}."]
        elif not 0 <= scores[c.pk][0] <= c.max_score:
            errors[f"criterion_{c.pk}"] = [f"{c.name} is scored from 0 to {c.max_score}."]
    unknown = set(scores) - {c.pk for c in criteria}
    if unknown:
        errors["scores"] = [f"Not criteria of this scorecard: {sorted(unknown)}."]
    if errors:
        raise InvalidInput("Some scores are not valid.", fields=errors)


def _apply_outcome(review: QAReview, criteria: list[QACriterion], scores: dict[int, int]) -> None:
    outcome = weighted_score(criteria, scores, review.scorecard_version.pass_percent)
    review.raw_score, review.score = outcome.raw_score, outcome.score
    review.failed_critical, review.passed = outcome.failed_critical, outcome.passed


def submit_scores(
    pk: int, *, by: User, scores: dict[int, tuple[int, str]], summary: str = ""
) -> QAReview:
    """Score every criterion (0..its maximum) with an optional comment, then the rep is asked
    to acknowledge. ``scores`` maps criterion id -> (score, comment)."""
    with transaction.atomic():
        review = access_review(by, pk, for_update=True)
        permissions.ensure_can_manage_person(by, review.rep_id)
        if review.state != ReviewState.PENDING:
            raise InvalidTransition("This review is already scored.")
        criteria = list(review.scorecard_version.criteria.all())
        _check_scores(criteria, scores)
        QAScore.objects.bulk_create(
            QAScore(review=review, criterion=c, score=scores[c.pk][0], comment=scores[c.pk][1])
            for c in criteria
        )
        _apply_outcome(review, criteria, {k: v[0] for k, v in scores.items()})
        review.summary, review.state, review.reviewed_at = summary, ReviewState.SUBMITTED, now()
        review.save()
        notify(
            [review.rep],
            key=f"qa:{review.pk}:submitted",
            text=f"QA review of ticket #{review.ticket_number}: {review.score}%. Acknowledge it.",
            url=f"/staff/qa/{review.pk}/",
        )
    return review


def _rep_action(pk: int, by: User, expected: str) -> QAReview:
    review = access_review(by, pk, for_update=True)
    if review.rep_id != by.pk:
        raise NotAllowed("Only the reviewed rep may do this.")
    if review.state != expected:
        raise InvalidTransition(f"The review is {review.get_state_display().lower()}.")
    return review


def acknowledge_review(pk: int, *, by: User) -> QAReview:
    with transaction.atomic():
        review = _rep_action(pk, by, ReviewState.SUBMITTED)
        review.state, review.acknowledged_at = ReviewState.ACKNOWLEDGED, now()
        review.save(update_fields=["state", "acknowledged_at"])
    return review


def dispute_review(pk: int, *, by: User, comment: str) -> QAReview:
    if not comment.strip():
        raise InvalidInput("Say what you dispute.", fields={"comment": ["Required."]})
    with transaction.atomic():
        review = _rep_action(pk, by, ReviewState.SUBMITTED)
        review.state, review.disputed_at = ReviewState.DISPUTED, now()
        review.dispute_comment = comment.strip()
        review.save(update_fields=["state", "disputed_at", "dispute_comment"])
        notify(
            [review.reviewer],
            key=f"qa:{review.pk}:disputed",
            text=f"{display_name(by)} disputes the QA review of ticket #{review.ticket_number}.",
            url=f"/staff/qa/{review.pk}/",
        )
    return review


def _disputed_for_resolution(pk: int, by: User, comment: str) -> QAReview:
    """The disputed review, locked, if ``by`` may resolve it: a manager of the rep's team or
    a director, never the rep."""
    if not comment.strip():
        raise InvalidInput("Explain the resolution.", fields={"comment": ["Required."]})
    review = access_review(by, pk, for_update=True)
    permissions.ensure_can_manage_person(by, review.rep_id)
    if review.rep_id == by.pk:
        raise NotAllowed("You cannot resolve a dispute of your own review.")
    if review.state != ReviewState.DISPUTED:
        raise InvalidTransition("Only a disputed review can be resolved.")
    return review


def _close_dispute(
    review: QAReview, by: User, comment: str, resolution: str, text: str, at: datetime
) -> None:
    review.state, review.resolved_at, review.resolved_by = ReviewState.RESOLVED, at, by
    review.resolution_comment, review.resolution = comment.strip(), resolution
    notify(
        [review.rep],
        key=f"qa:{review.pk}:resolved",
        text=f"Your dispute of the QA review of ticket #{review.ticket_number} is resolved{text}.",
        url=f"/staff/qa/{review.pk}/",
    )


def resolve_dispute(pk: int, *, by: User, comment: str) -> QAReview:
    """Resolve a dispute by upholding the score, with a comment."""
    with transaction.atomic():
        review = _disputed_for_resolution(pk, by, comment)
        _close_dispute(review, by, comment, Resolution.UPHELD, ": the score stands", now())
        fields = ["state", "resolved_at", "resolved_by", "resolution_comment", "resolution"]
        review.save(update_fields=fields)
    return review


def _scoring(review: QAReview, rows: list[QAScore]) -> dict:
    return {
        "raw_score": str(review.raw_score),
        "score": str(review.score),
        "failed_critical": review.failed_critical,
        "passed": review.passed,
        "scores": [
            {
                "criterion": r.criterion_id,
                "name": r.criterion.name,
                "score": r.score,
                "comment": r.comment,
            }
            for r in rows
        ],
    }


def resolve_by_amending(
    pk: int, *, by: User, scores: dict[int, tuple[int, str | None]], comment: str
) -> QAReview:
    """Resolve a dispute by amending the scores. Every criterion is scored again under the
    rules of the first scoring (0..its maximum, weighted, a failed critical criterion fails
    the review) and the review's score is recomputed by ``weighted_score``; a criterion's
    comment of ``None`` keeps the one it had. The scoring it replaces is kept on the
    ``QAAmendment``; figures that read review scores (QA averages, performance-review
    snapshots taken from now on) read the amended one. ``scores``: criterion id ->
    (score, comment)."""
    with transaction.atomic():
        review = _disputed_for_resolution(pk, by, comment)
        criteria = list(review.scorecard_version.criteria.all())
        _check_scores(criteria, scores)
        rows = list(review.scores.select_related("criterion").select_for_update(of=("self",)))
        before = _scoring(review, rows)
        for row in rows:
            score, note = scores[row.criterion_id]
            row.score, row.comment = score, row.comment if note is None else note.strip()
        after_scores = [(r.score, r.comment) for r in rows]
        if after_scores == [(s["score"], s["comment"]) for s in before["scores"]]:
            raise InvalidInput(
                "The scores and comments are unchanged: uphold the score instead.",
                fields={"scores": ["Change at least one score or comment."]},
            )
        QAScore.objects.bulk_update(rows, ["score", "comment"])
        _apply_outcome(review, criteria, {r.criterion_id: r.score for r in rows})
        text = f": the score is amended from {before['score']}% to {review.score}%"
        at = now()
        _close_dispute(review, by, comment, Resolution.AMENDED, text, at)
        review.save()
        QAAmendment.objects.create(
            review=review,
            amended_by=by,
            amended_at=at,
            comment=comment.strip(),
            before=before,
            after=_scoring(review, rows),
        )
    return review
