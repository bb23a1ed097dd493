"""Onboarding step evidence: how a plan's steps tick themselves from real records.

A provider answers, for one plan and its steps of one kind, when each step was done::

    Provider = Callable[[OnboardingPlan, list[OnboardingPlanStep]], dict[int, date]]
    # returns {plan_step.pk: the date the evidence shows it done}; absent = not done

staffing registers the ``course`` and ``certification`` providers (``staffing.apps``). Apps
above staffing plug in the others from their ``AppConfig.ready()``, without staffing
importing them::

    # policies/apps.py — "policy": the plan's user acknowledged the published version of
    # step.policy (policies.Acknowledgment), answered with the acknowledgment's date.
    # tickets/apps.py — "first_ticket": the first ticket assigned to the plan's user that was
    # solved on or after plan.start_date (a "solved" TicketEvent), answered with its date.
    from staffing import step_evidence
    step_evidence.register("policy", policy_acknowledged)

Until a provider is registered for a kind, a manager signs such steps off by hand, as they
always do for shadowing sessions; a manager's sign-off counts for any kind.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date

from django.db.models import Q
from django.utils import timezone

from staffing.models import StaffCertification, TrainingRecord

Provider = Callable[[object, list], dict[int, date]]

_providers: dict[str, Provider] = {}


def register(kind: str, provider: Provider) -> None:
    _providers[kind] = provider


def has_provider(kind: str) -> bool:
    return kind in _providers


def evidence_for(plan, steps: list) -> dict[int, date]:
    """{step pk: date done} for the plan's steps, from providers and manual sign-offs."""
    done: dict[int, date] = {
        s.pk: s.signed_off_at.date() for s in steps if s.signed_off_at is not None
    }
    by_kind: dict[str, list] = defaultdict(list)
    for step in steps:
        if step.pk not in done:
            by_kind[step.kind].append(step)
    for kind, kind_steps in by_kind.items():
        provider = _providers.get(kind)
        if provider is not None:
            done |= provider(plan, kind_steps)
    return done


def course_completed(plan, steps: list) -> dict[int, date]:
    """A course step is done when the person completed that course (at any time)."""
    completions: dict[int, date] = {}
    rows = TrainingRecord.objects.filter(
        user_id=plan.user_id,
        course_id__in=[s.course_id for s in steps],
        completed_on__isnull=False,
    ).values_list("course_id", "completed_on")
    for course_id, completed_on in rows:
        if completed_on is not None:
            completions[course_id] = min(completed_on, completions.get(course_id, completed_on))
    return {s.pk: completions[s.course_id] for s in steps if s.course_id in completions}


def certification_held(plan, steps: list) -> dict[int, date]:
    """A certification step is done while the person holds it, valid (not expired)."""
    today = timezone.localdate()
    rows = StaffCertification.objects.filter(
        Q(expires_on__isnull=True) | Q(expires_on__gt=today),
        user_id=plan.user_id,
        status="active",
        certification_id__in=[s.certification_id for s in steps],
    ).values_list("certification_id", "issued_on")
    held = dict(rows)
    return {s.pk: held[s.certification_id] for s in steps if s.certification_id in held}
