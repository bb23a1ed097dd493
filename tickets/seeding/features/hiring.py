"""Hiring demo data: an approved Tier 1 requisition linked to the spring scenario, with
candidates at every stage (scorecards at screen, interview and offer; one hired through the
service, so the new agent has a login, a profile and an onboarding plan; one rejected, one
withdrawn), and a Tier 2 requisition awaiting the director's approval. Dates are set back
so time to hire reads like a real one; names and sources are fixed (deterministic)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from staffing.hiring import competencies, services
from staffing.hiring.models import Candidate, Competency, Requisition, Stage, StageMove
from staffing.models import OnboardingTemplate, Scenario, Team

# name, e-mail, source, final stage, days since applying
CANDIDATES = [
    ("Lena Fischer", "lena.fischer@example.com", "careers", Stage.APPLIED, 2),
    ("Omar Haddad", "omar.haddad@example.com", "job_board", Stage.APPLIED, 1),
    ("Priya Nair", "priya.nair@example.com", "referral", Stage.SCREEN, 6),
    ("Tomás Ruiz", "tomas.ruiz@example.com", "job_board", Stage.INTERVIEW, 11),
    ("Grace Okafor", "grace.okafor@example.com", "referral", Stage.OFFER, 16),
    ("Jonas Berg", "jonas.berg@example.com", "careers", Stage.HIRED, 24),
    ("Mark Evans", "mark.evans@example.com", "agency", Stage.REJECTED, 9),
    ("Sara Lind", "sara.lind@example.com", "careers", Stage.WITHDRAWN, 8),
]
# The moves that bring a candidate to its final stage.
MOVES = {
    Stage.APPLIED: [],
    Stage.SCREEN: [Stage.SCREEN],
    Stage.INTERVIEW: [Stage.SCREEN, Stage.INTERVIEW],
    Stage.OFFER: [Stage.SCREEN, Stage.INTERVIEW, Stage.OFFER],
    Stage.HIRED: [Stage.SCREEN, Stage.INTERVIEW, Stage.OFFER, Stage.HIRED],
    Stage.REJECTED: [Stage.SCREEN, Stage.INTERVIEW, Stage.REJECTED],
    Stage.WITHDRAWN: [Stage.SCREEN, Stage.WITHDRAWN],
}
REASONS = {
    Stage.HIRED: "Best written replies of the round; strong references.",
    Stage.REJECTED: "Cannot work the late shift the role needs.",
}


def seed_hiring(*, manager: User, director: User) -> int:
    if Requisition.objects.exists():
        return 0
    tier1 = Team.objects.filter(slug="tier-1-support").first()
    tier2 = Team.objects.filter(slug="tier-2-technical").first()
    if tier1 is None or tier2 is None:
        return 0
    competencies.ensure_defaults()
    scenario = Scenario.objects.filter(team=tier1).order_by("-pk").first()
    req = services.open_requisition(
        by=manager,
        team=tier1,
        role="Rep",
        title="Support agent",
        count=3,
        reason="The spring campaign adds chat and e-mail volume; the plan shows a gap.",
        scenario=scenario,
    )
    req = services.decide_requisition(req.pk, by=director, approve=True, note="Approved for Q1.")
    services.open_requisition(
        by=manager,
        team=tier2,
        role="Rep",
        title="Technical support specialist",
        count=1,
        reason="Device escalations wait two days for Tier 2.",
    )
    can_hire = OnboardingTemplate.objects.filter(role="Rep", active=True).exists()
    made = 2
    for name, email, source, stage, days in CANDIDATES:
        if stage == Stage.HIRED and not can_hire:
            continue
        c = services.add_candidate(req, by=manager, name=name, email=email, source=source)
        for step in MOVES[stage]:
            services.move_candidate(c.pk, by=manager, to=step, reason=REASONS.get(step, ""))
            if step in (Stage.SCREEN, Stage.INTERVIEW, Stage.OFFER):
                _score(c, step, manager, director)
        _backdate(c.pk, days)
        made += 1
    return made


def _score(c: Candidate, stage: str, manager: User, director: User) -> None:
    """The manager scores every stage but the interview (the director has, the manager not
    yet: the page shows a hidden scorecard); the director scores interview and offer."""
    ratings = {
        comp.pk: 3 + (comp.pk + len(c.name)) % 3
        for comp in Competency.objects.filter(stage=stage, active=True)
    }
    if stage != Stage.INTERVIEW or c.name != "Tomás Ruiz":
        services.submit_scorecard(c.pk, by=manager, stage=stage, ratings=ratings)
    if stage in (Stage.INTERVIEW, Stage.OFFER):
        services.submit_scorecard(
            c.pk, by=director, stage=stage, ratings={k: max(1, v - 1) for k, v in ratings.items()}
        )


def _backdate(pk: int, days: int) -> None:
    """Spread the candidate's moves evenly from ``days`` ago to now."""
    now = timezone.now()
    start = now - timedelta(days=days)
    moves = list(StageMove.objects.filter(candidate_id=pk).order_by("pk"))
    step = timedelta(days=days) / max(1, len(moves) - 1) if len(moves) > 1 else timedelta(0)
    for i, move in enumerate(moves):
        StageMove.objects.filter(pk=move.pk).update(at=start + step * i)
    last = start + step * (len(moves) - 1)
    closed = Candidate.objects.filter(pk=pk).exclude(closed_at=None)
    closed.update(closed_at=last)
    Candidate.objects.filter(pk=pk).update(applied_at=start, stage_changed_at=last)
