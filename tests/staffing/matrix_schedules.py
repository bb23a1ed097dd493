"""Permission matrix rows of schedules (staffing/schedules): managers keep the schedules of
the teams they manage (``team``), directors and admins all; reps see their own (404 else)."""

from __future__ import annotations

from datetime import time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from staffing.schedules.models import Block, Shift
from tests.matrix import Row, api_staff, staff

JSON = "application/json"


def _team(ctx) -> dict:
    return {"pk": ctx["team"].pk}


def _shifts(ctx) -> list:
    return list(Shift.objects.values_list("pk", "user_id", "weekday", "start"))


def _blocks(ctx) -> list:
    return list(Block.objects.values_list("pk", "user_id"))


def _shift(ctx) -> dict:
    s = Shift.objects.create(
        user=ctx["users"]["rep"], team=ctx["team"], weekday=3, start=time(9), end=time(17)
    )
    return {"pk": s.pk}


def _block(ctx) -> dict:
    now = timezone.now()
    b = Block.objects.create(
        user=ctx["users"]["rep"], kind="time_off", starts_at=now, ends_at=now + timedelta(days=1)
    )
    return {"pk": b.pk}


TEAM = staff(200, rep=404, rep_other_team=404)
WRITE = staff(302, rep=404, rep_other_team=404)


def _shift_data(ctx) -> dict:
    return {
        "user": ctx["users"]["rep"].pk,
        "weekday": len(_shifts(ctx)) % 7,
        "start": "08:00",
        "end": "12:00",
    }


ROWS: dict[str, Row] = {
    "staffing:schedules": Row("get", staff(200, rep=302, rep_other_team=302)),
    "staffing:my-schedule": Row("get", staff(200)),
    "staffing:team-schedule": Row("get", TEAM, kwargs=_team),
    "staffing:roster-csv": Row("get", TEAM, kwargs=_team),
    "staffing:shift-add": Row("post", WRITE, kwargs=_team, data=_shift_data, snapshot=_shifts),
    "staffing:shift-delete": Row("post", WRITE, kwargs=_shift, snapshot=_shifts),
    "staffing:block-add": Row(
        "post",
        WRITE,
        kwargs=_team,
        data=lambda ctx: {
            "user": ctx["users"]["rep"].pk,
            "kind": "time_off",
            "starts_at": "2026-12-24T00:00",
            "ends_at": f"2026-12-{26 + len(_blocks(ctx)) % 3}T00:00",
        },
        snapshot=_blocks,
    ),
    "staffing:block-delete": Row("post", WRITE, kwargs=_block, snapshot=_blocks),
    "staffing:roster-import": Row(
        "post",
        WRITE,
        kwargs=_team,
        data=lambda ctx: {
            "file": SimpleUploadedFile(
                "roster.csv", f"{ctx['users']['rep'].username},Tue,09:00,17:00\n".encode()
            )
        },
        snapshot=_shifts,
    ),
    "staffing-api:schedule-shift-list": Row(
        "post",
        api_staff(201, rep=404, rep_other_team=404),
        data=lambda ctx: {"team": ctx["team"].pk, **_shift_data(ctx)},
        snapshot=_shifts,
        content_type=JSON,
    ),
    "staffing-api:schedule-shift-detail": Row(
        "delete", api_staff(204, rep=404, rep_other_team=404), kwargs=_shift, snapshot=_shifts
    ),
    "staffing-api:schedule-block-list": Row("get", api_staff(200)),
    "staffing-api:schedule-block-detail": Row(
        "delete", api_staff(204, rep=404, rep_other_team=404), kwargs=_block, snapshot=_blocks
    ),
}
