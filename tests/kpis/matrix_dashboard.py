"""Permission rows of the dashboard pages, goals and their API: managers (their teams) and
directors/admins (all) get them; reps get 403; only directors/admins write goals and rebuild."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from kpis.models import Goal, RebuildJob
from tests.matrix import Row, api_staff, staff

READ = staff(403, manager=200, director=200, admin=200)
WRITE = staff(403, director=302, admin=302)


def goal_kwargs(ctx) -> dict:
    now = timezone.now()
    ctx["goal"] = Goal.objects.create(
        metric="first_reply_median",
        target=60,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 3, 31),
        created_at=now,
        updated_at=now,
    )
    return {"pk": ctx["goal"].pk}


ROWS: dict[str, Row] = {
    "kpis:dashboard": Row("get", READ),
    "kpis:drill": Row("get", READ, data=lambda ctx: {"metric": "first_reply_median"}),
    "kpis:freshness": Row("get", READ),
    "kpis:table": Row("get", READ, kwargs=lambda ctx: {"by": "agent"}),
    "kpis:rebuild": Row("post", WRITE, snapshot=lambda ctx: RebuildJob.objects.count()),
    "kpis:rebuild-progress": Row("get", READ),
    "kpis:export": Row("get", READ, kwargs=lambda ctx: {"name": "teams"}),
    "kpis:export-tickets": Row("get", READ),
    "kpis:goals": Row("get", READ),
    "kpis:goal-delete": Row(
        "post", WRITE, kwargs=goal_kwargs, snapshot=lambda ctx: Goal.objects.count()
    ),
    "kpis:voice": Row("get", READ),
    "goals-api:goal-list": Row("get", api_staff(403, manager=200, director=200, admin=200)),
    "goals-api:goal-detail": Row(
        "get", api_staff(403, manager=200, director=200, admin=200), kwargs=goal_kwargs
    ),
}
