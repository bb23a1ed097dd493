"""Training, certifications, onboarding, QA reviews, performance reviews and goals for the
demo's Tier 1 team, made through the staffing (and KPI goal) services by its manager and the
director. Where a service only takes dates from today on (a course assigned weeks ago, now
overdue), the record is made through the service and then dated back, as if made then.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import User
from django.utils import timezone

# Goals are the KPI app's: demo seeding is a tool over every app, so it uses their service
# (no domain code of tickets depends on kpis).
from kpis.goals import create_goal
from kpis.refresh import refresh_tickets
from policies.models import PolicyDocument
from staffing.models import (
    Course,
    OnboardingPlanStep,
    StaffProfile,
    Team,
    TrainingRecord,
)
from staffing.models.onboarding import StepKind
from staffing.services import certifications, onboarding, qa, reviews, training
from tickets.models import Ticket

REVIEW_REFRESH_CAP = 5000
CRITERIA = [
    {"name": "Greeting and tone", "weight": Decimal(1), "max_score": 5},
    {"name": "Understood the problem", "weight": Decimal(2), "max_score": 5},
    {"name": "Correct and complete answer", "weight": Decimal(3), "max_score": 5},
    {"name": "Followed the procedure", "weight": Decimal(2), "max_score": 5, "critical": True},
]


def seed_people(
    rng: random.Random, *, manager: User, director: User, reps: list[User], today: date
) -> int:
    """Once (skipped when the first course exists); returns how many records were made."""
    if Course.objects.filter(title="Product fundamentals").exists():
        return 0
    tier1 = Team.objects.get(slug="tier-1-support")
    team = list(tier1.members.filter(is_active=True).order_by("pk"))
    made = _training(rng, manager, director, reps, team, today)
    made += _certifications(rng, manager, director, team, today)
    made += _onboarding(manager, director, reps, team, today)
    made += _qa(manager, reps, today)
    made += _reviews(manager, reps, today)
    made += _goals(director, tier1, today)
    return made


def _training(rng, manager, director, reps, team, today) -> int:
    fundamentals = training.create_course(
        by=director,
        title="Product fundamentals",
        description="Plans, devices and the app, end to end.",
        hours=Decimal(6),
        required_for_roles=["Rep"],
        due_within_days=30,
    )
    privacy = training.create_course(
        by=director,
        title="Data privacy and security",
        description="Identity checks, personal data and phishing.",
        hours=Decimal(2),
        recurrence_months=12,
        due_within_days=30,
    )
    deescalation = training.create_course(
        by=director,
        title="De-escalation skills",
        description="Calming upset customers and setting expectations.",
        hours=Decimal("3.5"),
        delivery="classroom",
    )
    made = 0
    for course, weeks_ago in ((privacy, 6), (deescalation, 3)):
        records = training.assign_course(course, by=manager, due_date=today, users=team)
        made += len(records)
        assigned = timezone.now() - timedelta(weeks=weeks_ago)
        due = today - timedelta(weeks=weeks_ago) + timedelta(days=course.due_within_days or 14)
        TrainingRecord.objects.filter(pk__in=[r.pk for r in records]).update(
            assigned_at=assigned, due_date=due
        )
        for record in records:
            if record.user_id == reps[0].pk or rng.random() < 0.35:
                continue  # still open: the demo rep and some others are overdue
            training.complete_training(
                record.pk,
                by=manager,
                completed_on=min(due, today) - timedelta(days=rng.randint(0, 10)),
                hours=course.hours,
                score=Decimal(rng.randint(75, 100)),
                verify=True,
            )
    made += len(
        training.assign_course(
            fundamentals, by=manager, due_date=today + timedelta(days=21), users=reps
        )
    )
    return made


def _certifications(rng, manager, director, team, today) -> int:
    ccsp = certifications.create_certification(
        by=director,
        name="Certified Customer Service Professional",
        issuing_body="Customer Service Institute",
        validity_months=24,
        ce_hours_required=Decimal(10),
        ce_cycle_months=24,
    )
    pci = certifications.create_certification(
        by=director,
        name="PCI DSS awareness",
        issuing_body="PCI Security Standards Council",
        validity_months=12,
    )
    made = 0
    for i, person in enumerate(team):
        # Every third one expires within the month (the reminders and the home page show it).
        soon = i % 3 == 0
        issued = (
            today - relativedelta(months=23 if soon else 8) + timedelta(days=rng.randint(5, 25))
        )
        certifications.record_certification(
            user=person, certification=ccsp, issued_on=issued, by=manager,
            credential_id=f"CSP-{2024 + i % 2}-{1000 + person.pk}",
        )  # fmt: skip
        if i % 2 == 0:
            issued = today - relativedelta(months=11 if i % 4 == 0 else 3)
            certifications.record_certification(
                user=person, certification=pci, issued_on=issued, by=manager
            )
            made += 1
        made += 1
    return made


def _onboarding(manager, director, reps, team, today) -> int:
    course = Course.objects.get(title="Product fundamentals")
    policy = PolicyDocument.objects.filter(title="Refund policy").first()
    steps = [
        {"kind": StepKind.COURSE, "title": "Product fundamentals", "course": course,
         "due_after_days": 14},
        {"kind": StepKind.SHADOWING, "title": "Shadow a senior agent for a day",
         "due_after_days": 3},
        {"kind": StepKind.SHADOWING, "title": "Shadow the phone queue", "due_after_days": 7},
        {"kind": StepKind.FIRST_TICKET, "title": "Solve a first ticket", "due_after_days": 10},
    ]  # fmt: skip
    if policy is not None:
        steps.insert(
            2,
            {"kind": StepKind.POLICY, "title": "Read the refund policy", "policy": policy,
             "due_after_days": 5},
        )  # fmt: skip
    template = onboarding.create_template(
        by=director,
        name="New agent onboarding",
        role="Rep",
        description="The first month of a new agent on Tier 1.",
        steps=steps,
    )
    newcomer = next(
        (p for p in reversed(team) if p not in reps and p.groups.filter(name="Rep").exists()), None
    )
    if newcomer is None:
        return 0
    start = today - timedelta(days=9)
    StaffProfile.objects.filter(user=newcomer).update(hire_date=start)
    plan = onboarding.create_plan(
        user=newcomer, template=template, start_date=start, by=manager, mentor=reps[-1]
    )
    first = OnboardingPlanStep.objects.filter(plan=plan, kind=StepKind.SHADOWING).order_by("order")
    onboarding.sign_off_step(first[0].pk, by=manager, note="Great questions all day.")
    return 1


def _qa(manager, reps, today) -> int:
    card = qa.create_scorecard(
        by=User.objects.get(username="director"),
        name="Email and web quality",
        description="How Tier 1 answers written tickets.",
        criteria=CRITERIA,
    )
    made = 0
    for rep in reps:
        solved = list(
            Ticket.objects.filter(assignee=rep, status__in=["solved", "closed"])
            .order_by("-updated_at", "-pk")
            .values_list("pk", flat=True)[:3]
        )
        for n, ticket_id in enumerate(solved):
            review = qa.start_review(ticket_id, scorecard=card, by=manager)
            made += 1
            if n == 2:
                continue  # still to score
            criteria = list(review.scorecard_version.criteria.order_by("order"))
            marks = (5, 4, 4, 5) if n == 0 else (4, 3, 3, 4)
            scores = {
                c.pk: (m, "" if m >= 4 else "Check the knowledge base first.")
                for c, m in zip(criteria, marks, strict=True)
            }
            qa.submit_scores(review.pk, by=manager, scores=scores, summary="Solid work overall.")
            if rep != reps[0] and n == 0:
                qa.acknowledge_review(review.pk, by=rep)
    return made


def _reviews(manager, reps, today) -> int:
    """90-day reviews of the demo reps. Their snapshot's ticket figures come from the KPI
    rows, which the bulk-loaded tickets get only from ``rebuild_kpis`` (after the seed): the
    reps' tickets of the period are refreshed first, unless there are more than
    ``REVIEW_REFRESH_CAP`` (a huge seed; its reviews then show what the rows hold)."""
    start = today - timedelta(days=89)
    ids = list(
        Ticket.objects.filter(
            assignee__in=reps, updated_at__gte=timezone.now() - timedelta(days=90)
        ).values_list("pk", flat=True)[: REVIEW_REFRESH_CAP + 1]
    )
    if len(ids) <= REVIEW_REFRESH_CAP:
        refresh_tickets(ids)
    made = 0
    for rep in reps:
        review = reviews.create_review(
            rep=rep,
            by=manager,
            period_start=start,
            period_end=today,
            summary=(
                f"{rep.first_name} handles a full Tier 1 queue with steady quality and good "
                "customer feedback. Next: mentor new joiners and take on phone shifts."
            ),
            goals="Keep first replies under four business hours; finish the privacy course.",
        )
        if rep != reps[0]:
            reviews.acknowledge(review.pk, by=rep)
        made += 1
    return made


def _goals(director, tier1, today) -> int:
    start = today.replace(day=1)
    end = (start + relativedelta(months=3)) - timedelta(days=1)
    for metric, target, team in (
        ("sla_attainment", Decimal(85), None),
        ("csat", Decimal(85), None),
        ("first_reply_median", Decimal(240), tier1),
        ("reopen_rate", Decimal(8), None),
    ):
        create_goal(
            by=director,
            metric=metric,
            target=target,
            period_start=start,
            period_end=end,
            team=team,
        )
    return 4
