"""Writes of schedules: shifts, blocks, and a roster CSV import (one function per use case)."""

from __future__ import annotations

import csv
import io
from datetime import datetime, time

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Q

from csops import permissions
from csops.errors import InvalidInput, NotFound
from staffing.models import Team
from staffing.schedules.models import Block, Shift

DAYS = {name.lower(): i for i, name in enumerate(["mon", "tue", "wed", "thu", "fri", "sat", "sun"])}


def _member(team: Team, user_id: int) -> User:
    person = team.members.filter(pk=user_id).first()
    if person is None:
        raise InvalidInput(
            "Only members of the team can have its shifts.",
            fields={"user": ["Not a member of this team."]},
        )
    return person


def add_shift(team: Team, *, by: User, user_id: int, weekday: int, start: time, end: time) -> Shift:
    permissions.ensure_can_edit_team_schedule(by, team.pk)
    person = _member(team, user_id)
    if start == end:
        raise InvalidInput(
            "A shift cannot start and end at the same time.", fields={"end": ["Same as start."]}
        )
    try:
        with transaction.atomic():
            return Shift.objects.create(
                user=person, team=team, weekday=weekday, start=start, end=end
            )
    except IntegrityError:
        raise InvalidInput(
            "This person already has a shift starting then.",
            fields={"start": ["This person already has a shift starting then."]},
        ) from None


def delete_shift(shift_id: int, *, by: User) -> None:
    shift = Shift.objects.filter(pk=shift_id).first()
    if shift is None or not permissions.can_edit_team_schedule(by, shift.team_id):
        raise NotFound(f"Shift #{shift_id} does not exist or is not one you keep.")
    shift.delete()


def add_block(
    *, by: User, person: User, kind: str, starts_at: datetime, ends_at: datetime, note: str = ""
) -> Block:
    permissions.ensure_can_edit_person_schedule(by, person)
    if ends_at <= starts_at:
        raise InvalidInput(
            "A block must end after it starts.", fields={"ends_at": ["Before start."]}
        )
    return Block.objects.create(
        user=person, kind=kind, starts_at=starts_at, ends_at=ends_at, note=note, created_by=by
    )


def delete_block(block_id: int, *, by: User) -> None:
    block = Block.objects.filter(pk=block_id).select_related("user").first()
    if block is None:
        raise NotFound(f"Block #{block_id} does not exist.")
    permissions.ensure_can_edit_person_schedule(by, block.user)
    block.delete()


def import_roster(team: Team, *, by: User, text: str) -> int:
    """Replace the weekly pattern of each person listed in a CSV roster with its rows:
    ``person,day,start,end`` (person: username or e-mail of a team member; day: Mon..Sun;
    times HH:MM, an end at or before the start runs past midnight). All or nothing: any bad
    line refuses the whole file, naming each line's problem."""
    permissions.ensure_can_edit_team_schedule(by, team.pk)
    rows, errors = [], []
    reader = csv.reader(io.StringIO(text))
    members = {}
    for u in team.members.all():
        members[u.username.lower()] = u
        if u.email:
            members[u.email.lower()] = u
    for n, line in enumerate(reader, start=1):
        if not line or all(not c.strip() for c in line):
            continue
        if n == 1 and line[0].strip().lower() == "person":
            continue
        if len(line) != 4:
            errors.append(f"Line {n}: expected person,day,start,end.")
            continue
        who, day, start, end = (c.strip() for c in line)
        person = members.get(who.lower())
        weekday = DAYS.get(day[:3].lower())
        try:
            t0, t1 = time.fromisoformat(start), time.fromisoformat(end)
        except ValueError:
            t0 = t1 = None
        if person is None:
            errors.append(f"Line {n}: {who!r} is not a member of {team.name}.")
        elif weekday is None:
            errors.append(f"Line {n}: {day!r} is not a day (Mon..Sun).")
        elif t0 is None or t1 is None or t0 == t1:
            errors.append(f"Line {n}: times must be HH:MM and differ.")
        else:
            rows.append(Shift(user=person, team=team, weekday=weekday, start=t0, end=t1))
    if errors:
        raise InvalidInput("The roster was not imported.", fields={"file": errors[:20]})
    if not rows:
        raise InvalidInput("The roster has no shifts.", fields={"file": ["No rows."]})
    keys = {(r.user_id, r.weekday, r.start) for r in rows}
    if len(keys) != len(rows):
        raise InvalidInput("The roster lists a shift twice.", fields={"file": ["Duplicate start."]})
    with transaction.atomic():
        Shift.objects.filter(Q(team=team) & Q(user__in={r.user_id for r in rows})).delete()
        Shift.objects.bulk_create(rows)
    return len(rows)
