"""Staff certifications, continuing-education hours and expiry reminders."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import User
from django.db import transaction

from csops import permissions
from csops.errors import InvalidInput, NotFound
from csops.notify import notify
from csops.people import display_name
from staffing.models import CEEntry, Certification, StaffCertification, Team
from staffing.models.certifications import REMINDER_DAYS, CertStatus
from staffing.services._common import now, today


def create_certification(*, by: User, name: str, **fields) -> Certification:
    permissions.ensure_can_edit_staff_catalog(by)
    if Certification.objects.filter(name__iexact=name).exists():
        raise InvalidInput("A certification with this name exists.", fields={"name": ["Exists."]})
    teams = fields.pop("required_for_teams", [])
    cert = Certification.objects.create(name=name, **fields)
    cert.required_for_teams.set(teams)
    return cert


def record_certification(
    *,
    user: User,
    certification: Certification,
    issued_on: date,
    by: User,
    expires_on: date | None = None,
    credential_id: str = "",
) -> StaffCertification:
    """Record a certification a person holds. Without ``expires_on`` the catalog's validity
    gives it. A renewal supersedes a held one that has expired; a still-valid one is refused."""
    permissions.ensure_can_manage_person(by, user.pk)
    if expires_on is None and certification.validity_months:
        expires_on = issued_on + relativedelta(months=certification.validity_months)
    if expires_on is not None and expires_on <= issued_on:
        raise InvalidInput(
            "The expiry date must be after the issue date.",
            fields={"expires_on": ["Must be after the issue date."]},
        )
    if issued_on > today():
        raise InvalidInput("The issue date is in the future.", fields={"issued_on": ["Future."]})
    with transaction.atomic():
        held = (
            StaffCertification.objects.select_for_update()
            .filter(user=user, certification=certification, status=CertStatus.ACTIVE)
            .first()
        )
        if held is not None:
            if held.state(today()) != "expired":
                raise InvalidInput(
                    f"{display_name(user)} already holds an active {certification.name} "
                    f"(expires {held.expires_on or 'never'}).",
                    fields={"certification": ["Duplicate active certification."]},
                )
            held.status = CertStatus.SUPERSEDED
            held.save(update_fields=["status"])
        return StaffCertification.objects.create(
            user=user,
            certification=certification,
            issued_on=issued_on,
            expires_on=expires_on,
            credential_id=credential_id,
            recorded_by=by,
            recorded_at=now(),
        )


def access_staff_certification(user: User, pk: int) -> StaffCertification:
    qs = StaffCertification.objects.select_related("certification", "user")
    held = permissions.scope_staff_records(user, qs).filter(pk=pk).first()
    if held is None:
        raise NotFound(f"Certification record #{pk} does not exist or is not yours to see.")
    return held


def log_ce_hours(
    pk: int, *, by: User, hours: Decimal, completed_on: date, description: str
) -> CEEntry:
    """Log continuing-education hours against the certification's current cycle."""
    held = access_staff_certification(by, pk)
    if held.user_id != by.pk:
        permissions.ensure_can_manage_person(by, held.user_id)
    errors: dict[str, list[str]] = {}
    if hours <= 0:
        errors["hours"] = ["Hours must be more than zero."]
    if completed_on < held.issued_on:
        errors["completed_on"] = [f"Before this certification was issued ({held.issued_on})."]
    elif completed_on > today():
        errors["completed_on"] = ["In the future."]
    if errors:
        raise InvalidInput("The CE entry is not valid.", fields=errors)
    return CEEntry.objects.create(
        staff_certification=held,
        hours=hours,
        completed_on=completed_on,
        description=description,
        recorded_by=by,
    )


def _threshold(days_left: int) -> str | None:
    if days_left <= 0:
        return "expired"
    reached = [d for d in REMINDER_DAYS if days_left <= d]
    return f"{min(reached)}d" if reached else None


def send_expiry_reminders(on: date | None = None) -> int:
    """Notify holders and their managers at 90/60/30 days before expiry and on expiry.

    Each (certification record, threshold) notice has its own ``csops.notify`` key, so a run
    twice a day, or a missed day, never sends one twice. A run after a gap sends only the
    nearest threshold reached. Returns the number of new notices.
    """
    on = on or today()
    horizon = on + relativedelta(days=max(REMINDER_DAYS))
    due = StaffCertification.objects.filter(
        status=CertStatus.ACTIVE, expires_on__isnull=False, expires_on__lte=horizon
    ).select_related("certification", "user")
    sent = 0
    for held in due:
        assert held.expires_on is not None  # filtered above
        threshold = _threshold((held.expires_on - on).days)
        if threshold is None:
            continue
        managers = list(
            User.objects.filter(managed_teams__in=Team.objects.filter(members=held.user)).distinct()
        )
        name = display_name(held.user)
        if threshold == "expired":
            text = f"{held.certification.name} of {name} expired on {held.expires_on}."
        else:
            text = f"{held.certification.name} of {name} expires on {held.expires_on}."
        sent += notify(
            [held.user, *managers],
            key=f"staffcert:{held.pk}:{threshold}",
            text=text,
            url=f"/staff/people/{held.user_id}/",
        )
    return sent
