"""Schedules (staffing/schedules): coverage per half hour (split, overnight, blocks), the
pages and roster import, scope, and required vs scheduled on the planning heat map."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from staffing.planning.requirement import staffing_state
from staffing.schedules import coverage
from staffing.schedules.models import Block, Shift

MONDAY = date(2026, 12, 7)


def test_split_shift_counts_both_parts():
    shifts = [
        coverage.ShiftSpec(1, 0, time(8), time(12)),
        coverage.ShiftSpec(1, 0, time(16), time(20)),
    ]
    counts = coverage.scheduled(shifts, [], MONDAY, UTC)
    assert counts[16:24] == [1] * 8  # 08:00-12:00
    assert counts[24:32] == [0] * 8
    assert counts[32:40] == [1] * 8
    assert sum(counts) == 16


def test_overnight_shift_runs_into_the_next_day_and_sunday_into_monday():
    counts = coverage.scheduled(
        [coverage.ShiftSpec(1, 2, time(22), time(6)), coverage.ShiftSpec(2, 6, time(23), time(1))],
        [],
        MONDAY,
        UTC,
    )
    wed, thu = 2 * 48, 3 * 48
    assert counts[wed + 44 : wed + 48] == [1] * 4  # Wed 22:00-24:00
    assert counts[thu : thu + 12] == [1] * 12  # Thu 00:00-06:00
    assert counts[thu + 12] == 0
    assert counts[6 * 48 + 46 :] == [1, 1]  # Sunday 23:00-24:00
    assert counts[0:2] == [1, 1]  # ... and Monday 00:00-01:00 of the pattern
    assert sum(counts) == 16 + 4


def test_time_off_and_training_take_people_off():
    zone = ZoneInfo("Europe/Berlin")
    shifts = [
        coverage.ShiftSpec(1, 0, time(9), time(17)),
        coverage.ShiftSpec(2, 0, time(9), time(17)),
    ]
    training = coverage.BlockSpec(
        1, datetime(2026, 12, 7, 13, 0, tzinfo=zone), datetime(2026, 12, 7, 15, 0, tzinfo=zone)
    )
    counts = coverage.scheduled(shifts, [training], MONDAY, zone)
    assert counts[18:26] == [2] * 8  # 09:00-13:00
    assert counts[26:30] == [1] * 4  # 13:00-15:00: one in training
    assert counts[30:34] == [2] * 4


def test_staffing_state():
    assert staffing_state(5, 4) == "under"
    assert staffing_state(5, 6) == ""
    assert staffing_state(5, 7) == "over"
    assert staffing_state(0, 1) == ""
    assert staffing_state(0, 2) == "over"


@pytest.mark.django_db
def test_manager_adds_split_and_overnight_shifts(team, rep, manager_client):
    url = reverse("staffing:shift-add", args=[team.pk])
    r = manager_client.post(url, {"user": rep.pk, "weekday": 0, "start": "22:00", "end": "06:00"})
    assert r.status_code == 302
    r = manager_client.post(url, {"user": rep.pk, "weekday": 0, "start": "08:00", "end": "12:00"})
    assert r.status_code == 302
    shifts = list(Shift.objects.filter(user=rep).order_by("start"))
    assert [s.overnight for s in shifts] == [False, True]
    dup = manager_client.post(url, {"user": rep.pk, "weekday": 0, "start": "08:00", "end": "10:00"})
    assert dup.status_code == 422
    assert b"already has a shift" in dup.content
    page = manager_client.get(reverse("staffing:team-schedule", args=[team.pk]))
    assert b"22:00" in page.content
    assert rep.username.encode() not in page.content.split(b'id="roster"')[1].split(b"</table>")[0]


@pytest.mark.django_db
def test_roster_import_replaces_patterns_all_or_nothing(team, rep, rep2, manager_client):
    Shift.objects.create(user=rep, team=team, weekday=4, start=time(9), end=time(17))
    url = reverse("staffing:roster-import", args=[team.pk])
    bad = SimpleUploadedFile(
        "r.csv",
        f"person,day,start,end\n{rep.username},Mon,09:00,17:00\nnobody,Tue,09:00,17:00\n".encode(),
    )
    r = manager_client.post(url, {"file": bad})
    assert r.status_code == 422
    assert b"Line 3" in r.content
    assert Shift.objects.filter(user=rep).count() == 1  # nothing changed
    good = SimpleUploadedFile(
        "r.csv",
        f"person,day,start,end\n{rep.username},Mon,09:00,13:00\n{rep.email},Mon,17:00,21:00\n{rep2.username},Sun,22:00,06:00\n".encode(),
    )
    r = manager_client.post(url, {"file": good})
    assert r.status_code == 302
    assert sorted(Shift.objects.filter(user=rep).values_list("weekday", "start")) == [
        (0, time(9)),
        (0, time(17)),
    ]
    assert Shift.objects.get(user=rep2).overnight
    export = manager_client.get(reverse("staffing:roster-csv", args=[team.pk]))
    assert export.content.decode().splitlines()[0] == "person,day,start,end,name"
    assert len(export.content.decode().splitlines()) == 4


@pytest.mark.django_db
def test_rep_sees_own_schedule_only(team, rep, rep2, rep_client, client_for):
    Shift.objects.create(user=rep, team=team, weekday=1, start=time(7), end=time(15))
    Shift.objects.create(user=rep2, team=team, weekday=2, start=time(11), end=time(19))
    assert rep_client.get(reverse("staffing:schedules")).status_code == 302
    page = rep_client.get(reverse("staffing:my-schedule"))
    assert b"07:00" in page.content
    assert b"11:00" not in page.content
    assert rep_client.get(reverse("staffing:team-schedule", args=[team.pk])).status_code == 404
    api = rep_client.get("/api/v1/schedules/shifts/")
    assert [s["user"] for s in api.json()["results"]] == [rep.pk]


@pytest.mark.django_db
def test_manager_cannot_edit_other_teams(other_team, rep_other_team, manager_client):
    r = manager_client.post(
        reverse("staffing:shift-add", args=[other_team.pk]),
        {"user": rep_other_team.pk, "weekday": 0, "start": "08:00", "end": "12:00"},
    )
    assert r.status_code == 404
    assert not Shift.objects.exists()


@pytest.mark.django_db
def test_training_block_via_api_and_refused_for_others(
    team, rep, manager, manager_client, rep_client
):
    body = {
        "user": rep.pk,
        "kind": "training",
        "starts_at": "2026-12-08T09:00:00Z",
        "ends_at": "2026-12-08T12:00:00Z",
        "note": "Billing course",
    }
    r = rep_client.post("/api/v1/schedules/blocks/", body, content_type="application/json")
    assert r.status_code == 404
    r = manager_client.post("/api/v1/schedules/blocks/", body, content_type="application/json")
    assert r.status_code == 201
    assert Block.objects.get().created_by == manager
