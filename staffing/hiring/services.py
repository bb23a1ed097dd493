"""Writes of hiring, one function per use case: requisitions and their approval, candidates
and their moves on the board, scorecards, the hiring decision and the hire itself."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from csops import permissions, uploads
from csops.errors import Conflict, InvalidInput, InvalidTransition, NotFound
from staffing.hiring.models import (
    OPEN_STAGES,
    SCORED_STAGES,
    Candidate,
    Competency,
    HiringDecision,
    InterviewScorecard,
    Outcome,
    Rating,
    Requisition,
    RequisitionStatus,
    Stage,
    StageMove,
)
from staffing.models import OnboardingPlan, OnboardingTemplate, Scenario, StaffProfile, Team
from staffing.services import onboarding, people, teams


def _now() -> datetime:
    return timezone.now()


def open_requisition(
    *,
    by: User,
    team: Team,
    role: str,
    title: str,
    count: int,
    reason: str,
    scenario: Scenario | None = None,
) -> Requisition:
    """A request to hire, awaiting a director's approval. Linked to a saved planning
    scenario of the team, it records the gap: the scenario's peak FTE minus the headcount."""
    permissions.ensure_can_hire_for_team(by, team.pk)
    errors: dict[str, list[str]] = {}
    if not reason.strip():
        errors["reason"] = ["Say why the team needs these people."]
    if not title.strip():
        errors["title"] = ["Give the job a title."]
    if count < 1:
        errors["count"] = ["Hire at least one person."]
    if scenario is not None and scenario.team_id != team.pk:
        errors["scenario"] = ["This scenario plans another team."]
    if errors:
        raise InvalidInput("The requisition is not valid.", fields=errors)
    gap = None
    if scenario is not None and scenario.totals:
        peak = max(Decimal(str(w["fte"])) for w in scenario.totals)
        gap = (peak - team.members.count()).quantize(Decimal("0.01"))
    return Requisition.objects.create(
        team=team,
        role=role,
        title=title.strip(),
        count=count,
        reason=reason.strip(),
        scenario=scenario,
        gap_fte=gap,
        created_by=by,
        created_at=_now(),
    )


def decide_requisition(pk: int, *, by: User, approve: bool, note: str = "") -> Requisition:
    """A director approves (it opens for hiring) or declines a pending requisition."""
    permissions.ensure_can_approve_requisitions(by)
    with transaction.atomic():
        req = Requisition.objects.select_for_update().filter(pk=pk).first()
        if req is None:
            raise NotFound(f"Requisition #{pk} does not exist.")
        if req.status != RequisitionStatus.PENDING:
            raise InvalidTransition(
                f"This requisition is already {req.get_status_display().lower()}."
            )
        if not approve and not note.strip():
            raise InvalidInput(
                "Say why the requisition is declined.", fields={"note": ["Give a reason."]}
            )
        req.status = RequisitionStatus.OPEN if approve else RequisitionStatus.DECLINED
        req.decided_by, req.decided_at, req.decision_note = by, _now(), note.strip()
        req.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return req


def close_requisition(pk: int, *, by: User, note: str) -> Requisition:
    """Close a pending or open requisition the team no longer needs (the hiring team or a
    director), once no candidate is left in the pipeline."""
    with transaction.atomic():
        qs = Requisition.objects.select_for_update()
        req = permissions.access_requisition(by, qs, pk)
        if req.status not in (RequisitionStatus.PENDING, RequisitionStatus.OPEN):
            raise InvalidTransition(
                f"This requisition is already {req.get_status_display().lower()}."
            )
        if not note.strip():
            raise InvalidInput("Say why it is closed.", fields={"note": ["Give a reason."]})
        waiting = req.candidates.filter(stage__in=OPEN_STAGES).count()
        if waiting:
            raise InvalidTransition(
                f"{waiting} candidate{'s are' if waiting > 1 else ' is'} still in the pipeline: "
                "move them to rejected or withdrawn first."
            )
        req.status = RequisitionStatus.CLOSED
        req.decided_by, req.decided_at, req.decision_note = by, _now(), note.strip()
        req.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return req


def add_candidate(
    requisition: Requisition,
    *,
    by: User,
    name: str,
    email: str = "",
    phone: str = "",
    source: str,
    cv: UploadedFile | None = None,
    notes: str = "",
) -> Candidate:
    """A new applicant on an open requisition; the CV passes the upload check."""
    permissions.ensure_can_hire_for_team(by, requisition.team_id)
    if not name.strip():
        raise InvalidInput("A candidate needs a name.", fields={"name": ["Enter a name."]})
    if cv is not None:
        uploads.check_upload(cv, field="cv")
    at = _now()
    with transaction.atomic():
        # The row's status now, locked against a close or approval under way.
        requisition = Requisition.objects.select_for_update().get(pk=requisition.pk)
        if requisition.status != RequisitionStatus.OPEN:
            raise InvalidTransition(
                "Candidates join open requisitions only "
                f"(this one is {requisition.get_status_display().lower()})."
            )
        candidate = Candidate.objects.create(
            requisition=requisition,
            name=name.strip(),
            email=email.strip(),
            phone=phone.strip(),
            source=source,
            notes=notes,
            applied_at=at,
            stage_changed_at=at,
        )
        if cv is not None:
            candidate.cv.save(cv.name or "cv", cv, save=True)
        StageMove.objects.create(candidate=candidate, to_stage=Stage.APPLIED, by=by, at=at)
    return candidate


def _lock_candidate(pk: int, by: User, expected_version: int | None) -> Candidate:
    qs = Candidate.objects.select_for_update(of=("self",)).select_related("requisition")
    candidate = permissions.access_candidate(by, qs, pk)
    if expected_version is not None and candidate.version != expected_version:
        raise Conflict(
            f"{candidate} was moved by someone else meanwhile (now {candidate.get_stage_display()})"
            "; reload the board."
        )
    return candidate


def _record_move(candidate: Candidate, to: str, by: User, at: datetime) -> None:
    StageMove.objects.create(
        candidate=candidate, from_stage=candidate.stage, to_stage=to, by=by, at=at
    )
    candidate.stage, candidate.stage_changed_at = to, at
    candidate.version += 1
    if to not in OPEN_STAGES:
        candidate.closed_at = at
    candidate.save(update_fields=["stage", "stage_changed_at", "version", "closed_at"])


def move_candidate(
    pk: int,
    *,
    by: User,
    to: str,
    reason: str = "",
    expected_version: int | None = None,
    start_date: date | None = None,
) -> Candidate:
    """Move a candidate on the board. Between open stages any way; to rejected with a
    decision and its reason; to withdrawn (the candidate's choice); to hired from the offer
    stage only, which is the hire (``hire``)."""
    if to == Stage.HIRED:
        return hire(
            pk, by=by, reason=reason, start_date=start_date, expected_version=expected_version
        )
    if to not in Stage.values:
        raise InvalidInput(f"{to!r} is not a stage.", fields={"to": ["Choose a stage."]})
    with transaction.atomic():
        candidate = _lock_candidate(pk, by, expected_version)
        if candidate.stage not in OPEN_STAGES:
            raise InvalidTransition(
                f"{candidate} is already {candidate.get_stage_display().lower()}."
            )
        if to == candidate.stage:
            raise InvalidTransition(f"{candidate} is already at {candidate.get_stage_display()}.")
        at = _now()
        if to == Stage.REJECTED:
            if not reason.strip():
                raise InvalidInput(
                    "Say why the candidate is rejected.", fields={"reason": ["Give a reason."]}
                )
            HiringDecision.objects.create(
                candidate=candidate,
                outcome=Outcome.REJECT,
                reason=reason.strip(),
                decided_by=by,
                decided_at=at,
            )
        _record_move(candidate, to, by, at)
    return candidate


def _username_for(candidate: Candidate) -> str:
    """The e-mail's local part (else the name), in the characters usernames allow."""
    raw = candidate.email.split("@")[0] if candidate.email else candidate.name
    ascii_raw = slugify(raw.replace(".", " ").replace("_", " "))
    base = (ascii_raw.replace("-", ".") or "newhire")[:140]
    name, n = base, 1
    while User.objects.filter(username__iexact=name).exists():
        n += 1
        name = f"{base}{n}"
    return name


def hire(
    pk: int,
    *,
    by: User,
    reason: str,
    start_date: date | None = None,
    expected_version: int | None = None,
) -> Candidate:
    """Hire a candidate at the offer stage, in one transaction: the hiring decision, the user
    with the requisition's role and team, the staff profile with the hire date, the role's
    onboarding plan and the courses it and the team require. The requisition is filled when
    its count is reached."""
    start_date = start_date or timezone.localdate()
    with transaction.atomic():
        candidate = _lock_candidate(pk, by, expected_version)
        req = Requisition.objects.select_for_update().get(pk=candidate.requisition_id)
        if candidate.stage != Stage.OFFER:
            raise InvalidTransition(
                f"Only a candidate with an offer is hired ({candidate} is at "
                f"{candidate.get_stage_display()})."
            )
        if req.status != RequisitionStatus.OPEN:
            raise InvalidTransition(
                f"The requisition is {req.get_status_display().lower()}: no more hires on it."
            )
        if not reason.strip():
            raise InvalidInput(
                "Say why the candidate is hired.", fields={"reason": ["Give a reason."]}
            )
        template = (
            OnboardingTemplate.objects.filter(role=req.role, active=True).order_by("name").first()
        )
        if template is None:
            raise InvalidInput(
                f"There is no active onboarding template for the {req.role} role: add one "
                "before hiring.",
                fields={"reason": ["No onboarding template for this role."]},
            )
        at = _now()
        first, _, last = candidate.name.partition(" ")
        try:
            with transaction.atomic():
                user = User.objects.create(
                    username=_username_for(candidate),
                    first_name=first[:150],
                    last_name=last[:150],
                    email=candidate.email,
                )
        except IntegrityError:
            raise Conflict("Someone took this username a moment ago; try again.") from None
        user.set_unusable_password()
        user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=req.role))
        StaffProfile.objects.create(user=user, title=req.title, manager=by, hire_date=start_date)
        teams.add_member(req.team, user, by=by)
        people.role_changed(user, by=by)
        # A fresh instance of the hirer: scope caches on ``by`` predate the new member.
        onboarding.create_plan(
            user=user, template=template, start_date=start_date, by=User.objects.get(pk=by.pk)
        )
        HiringDecision.objects.create(
            candidate=candidate,
            outcome=Outcome.HIRE,
            reason=reason.strip(),
            decided_by=by,
            decided_at=at,
        )
        candidate.hired_user = user
        candidate.save(update_fields=["hired_user"])
        _record_move(candidate, Stage.HIRED, by, at)
        if req.candidates.filter(stage=Stage.HIRED).count() >= req.count:
            req.status = RequisitionStatus.FILLED
            req.save(update_fields=["status"])
    return candidate


def onboarding_plan_of(candidate: Candidate) -> OnboardingPlan | None:
    if candidate.hired_user_id is None:
        return None
    return OnboardingPlan.objects.filter(user_id=candidate.hired_user_id).first()


def submit_scorecard(
    pk: int, *, by: User, stage: str, ratings: dict[int, int], notes: str = ""
) -> InterviewScorecard:
    """One interviewer's ratings of every active competency of ``stage`` (1–5), for a stage
    the candidate has reached. Submitted once; the others' become visible to them then."""
    with transaction.atomic():
        candidate = _lock_candidate(pk, by, None)
        if stage not in SCORED_STAGES:
            raise InvalidInput(
                "Scorecards are for the screen, interview and offer stages.",
                fields={"stage": ["Choose a scored stage."]},
            )
        reached = set(candidate.moves.values_list("to_stage", flat=True))
        if stage not in reached or candidate.anonymized_at is not None:
            raise InvalidTransition(f"{candidate} has not reached the {stage} stage.")
        competencies = list(Competency.objects.filter(stage=stage, active=True))
        missing = [c.name for c in competencies if c.pk not in ratings]
        bad = [c.name for c in competencies if c.pk in ratings and ratings[c.pk] not in range(1, 6)]
        if not competencies:
            raise InvalidInput(f"No competencies are set for the {stage} stage.")
        if missing or bad:
            fields = {}
            if missing:
                fields["ratings"] = [f"Rate {', '.join(missing)}."]
            if bad:
                fields.setdefault("ratings", []).append(f"Ratings are 1–5: {', '.join(bad)}.")
            raise InvalidInput("The scorecard is not complete.", fields=fields)
        try:
            with transaction.atomic():
                card = InterviewScorecard.objects.create(
                    candidate=candidate,
                    stage=stage,
                    interviewer=by,
                    submitted_at=_now(),
                    notes=notes.strip(),
                )
        except IntegrityError:
            raise Conflict("You already submitted a scorecard for this stage.") from None
        Rating.objects.bulk_create(
            Rating(scorecard=card, competency=c, score=ratings[c.pk]) for c in competencies
        )
    return card
