"""Planning demo data: weekly shift patterns for every team's people (day, late, split and
overnight shifts), time off and a training block next week, and a saved baseline scenario
for Tier 1 (its forecast needs the arrivals folded first, done here)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import timezone

from kpis.forecast.fold import fold_arrivals
from staffing.models import Block, Shift, Team
from staffing.planning import selectors as planning
from staffing.planning import services as planning_services

# (start, end) per pattern; each person gets one, round robin, Monday to Friday.
PATTERNS = [
    [(time(8), time(16, 30))],
    [(time(9), time(17, 30))],
    [(time(11), time(19, 30))],
    [(time(8), time(12)), (time(16), time(20))],  # split
    [(time(22), time(6))],  # overnight
]


def seed_planning(*, director: User, today: date) -> int:
    if Shift.objects.exists():
        return 0
    made = 0
    for team in Team.objects.order_by("tier", "name"):
        people = list(team.members.filter(is_active=True).order_by("pk"))
        for i, person in enumerate(people):
            pattern = PATTERNS[i % len(PATTERNS)] if len(people) >= 5 else PATTERNS[i % 3]
            days = range(5) if i % 4 else (1, 2, 3, 4, 5)  # every fourth works Tue-Sat
            shifts = [
                Shift(user=person, team=team, weekday=d, start=a, end=b)
                for d in days
                for a, b in pattern
            ]
            made += len(Shift.objects.bulk_create(shifts))
    monday = today - timedelta(days=today.weekday()) + timedelta(weeks=1)
    zone = timezone.get_current_timezone()
    tier1 = Team.objects.filter(slug="tier-1-support").first()
    people = list(tier1.members.order_by("pk")[:2]) if tier1 else []
    if len(people) == 2:
        Block.objects.create(
            user=people[0],
            kind="time_off",
            starts_at=datetime.combine(monday + timedelta(days=2), time(0), tzinfo=zone),
            ends_at=datetime.combine(monday + timedelta(days=5), time(0), tzinfo=zone),
            note="Holiday",
            created_by=director,
        )
        Block.objects.create(
            user=people[1],
            kind="training",
            starts_at=datetime.combine(monday, time(13), tzinfo=zone),
            ends_at=datetime.combine(monday, time(16), tzinfo=zone),
            note="Billing refresher course",
            created_by=director,
        )
        made += 2
    if tier1 is not None:
        fold_arrivals(settle=False)
        base = planning.team_plan(tier1)
        if base.weeks:
            planning_services.save_scenario(tier1, by=director, name="Baseline", params=base.params)
            grown = replace(base.params, growth_percent=Decimal("15"))
            planning_services.save_scenario(
                tier1, by=director, name="Spring campaign (+15 %)", params=grown
            )
            made += 2
    return made
