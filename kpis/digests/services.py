"""Subscribe to KPI digests, unsubscribe, ask for a preview, and send the digests that are due.

``send_due`` is the body of the recurring job (``kpis.digests.jobs``). For each active
subscription whose last complete week or month has no delivery yet, ``deliver`` locks the
subscription (SKIP LOCKED: a second worker passes it by), checks again that the period has no
delivery, reads the figures and, in one transaction, records the delivery and queues the mail
in the outbox (its own durable send job). The unique (subscription, period) backs the check.
So a digest is queued once per period however many workers run the job; a worker that dies
mid-way rolls its transaction back and the next run (after the job's lease) sends it.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from csops import permissions
from csops.errors import InvalidInput, NotAllowed, NotFound
from csops.people import display_name
from kpis.digests import figures, periods, render
from kpis.digests.models import Cadence, DigestDelivery, DigestSubscription
from kpis.zone import day_of, day_start
from staffing.models import Team
from tickets.mail import services as outbox
from tickets.mail.models import OutboundMessage

log = logging.getLogger(__name__)

RUN = "kpis.send_due_digests"  # job kind (kpis/digests/jobs.py): one run over due digests
RUN_KEY = "kpi-digests"  # the one recurring job of that kind
_SALT = "kpis.digests.unsubscribe"


# --- Reads ---------------------------------------------------------------------------------


def subscriptions_of(user: User) -> list[DigestSubscription]:
    return list(
        DigestSubscription.objects.filter(user=user).prefetch_related("teams").order_by("cadence")
    )


def access_subscription(user: User, pk: int) -> DigestSubscription:
    """The person's own subscription (nobody else's, whatever their role)."""
    sub = DigestSubscription.objects.filter(pk=pk, user_id=user.pk).first()
    if sub is None:
        raise NotFound(f"Digest subscription #{pk} does not exist or is not yours.")
    return sub


def unsubscribe_token(sub: DigestSubscription) -> str:
    return signing.dumps(sub.pk, salt=_SALT)


def unsubscribe_url(sub: DigestSubscription) -> str:
    path = reverse("kpis:digest-unsubscribe", args=[unsubscribe_token(sub)])
    return render.absolute(path)


def subscription_for_token(token: str) -> DigestSubscription:
    try:
        pk = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        raise NotFound("This unsubscribe link is not valid.") from None
    sub = DigestSubscription.objects.select_related("user").filter(pk=pk).first()
    if sub is None:
        raise NotFound("This digest subscription no longer exists.")
    return sub


# --- Writes by people ----------------------------------------------------------------------


@transaction.atomic
def subscribe(
    *, by: User, cadence: str, teams: list[int], business_hours: bool = False
) -> DigestSubscription:
    """Subscribe ``by`` to the weekly or monthly digest of ``teams`` (empty: their whole
    scope); subscribing again to a cadence changes its teams and hours (and reactivates it)."""
    if cadence not in Cadence.values:
        raise InvalidInput("Choose weekly or monthly.", fields={"cadence": ["Weekly or monthly."]})
    ids = sorted(set(teams))
    found = set(Team.objects.filter(pk__in=ids).values_list("pk", flat=True))
    if missing := [pk for pk in ids if pk not in found]:
        raise InvalidInput("Unknown team.", fields={"teams": [f"No team #{pk}." for pk in missing]})
    permissions.ensure_can_subscribe_digest(by, ids)
    if not by.email:
        raise InvalidInput(
            "Your account has no email address: ask an admin to add one.",
            fields={"cadence": ["No email address to send the digest to."]},
        )
    now = timezone.now()
    sub, created = DigestSubscription.objects.select_for_update().get_or_create(
        user=by, cadence=cadence, defaults={"since": now, "created_at": now}
    )
    if not sub.active:
        sub.active, sub.since = True, now
    sub.business_hours = business_hours
    sub.save()
    sub.teams.set(ids)
    return sub


@transaction.atomic
def unsubscribe(pk: int, *, by: User) -> DigestSubscription:
    sub = access_subscription(by, pk)
    DigestSubscription.objects.filter(pk=sub.pk).update(active=False)
    sub.active = False
    return sub


@transaction.atomic
def unsubscribe_by_token(token: str) -> DigestSubscription:
    """The mail's unsubscribe link (a signed subscription id; no login needed)."""
    sub = subscription_for_token(token)
    DigestSubscription.objects.filter(pk=sub.pk).update(active=False)
    sub.active = False
    return sub


@transaction.atomic
def send_preview(pk: int, *, by: User, now: datetime | None = None) -> OutboundMessage:
    """Mail the subscriber their digest of the last complete period now, marked as a
    preview (no delivery is recorded: the scheduled digest still goes out)."""
    sub = access_subscription(by, pk)
    if not by.email:
        raise InvalidInput("Your account has no email address: ask an admin to add one.")
    now = now or timezone.now()
    start, end = periods.last_complete(sub.cadence, day_of(now))
    digest = _compute(sub, by, start, end, now)
    return _queue(sub, digest, preview=True)


# --- The recurring run ---------------------------------------------------------------------


@dataclass(frozen=True)
class RunResult:
    queued: int = 0
    skipped: int = 0
    more: bool = False  # the budget ran out with digests still due


def due(cadence: str, today: date) -> tuple[date, date, list[int]]:
    """The period a cadence's digests cover today, and the active subscriptions (ids) made
    before it ended that have no delivery for it."""
    start, end = periods.last_complete(cadence, today)
    ids = list(
        DigestSubscription.objects.filter(
            active=True, cadence=cadence, since__lt=day_start(end + timedelta(days=1))
        )
        .exclude(deliveries__period_start=start)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return start, end, ids


def send_due(*, now: datetime | None = None, budget_seconds: float | None = None) -> RunResult:
    """Deliver every due digest (see the module docstring), for at most ``budget_seconds``."""
    budget = settings.DIGEST_RUN_BUDGET_SECONDS if budget_seconds is None else budget_seconds
    deadline = time.monotonic() + budget
    queued = skipped = 0
    for cadence in Cadence.values:
        start, end, ids = due(cadence, day_of(now or timezone.now()))
        for pk in ids:
            if time.monotonic() > deadline:
                return RunResult(queued, skipped, more=True)
            delivery = deliver(pk, start=start, end=end, now=now or timezone.now())
            if delivery is not None:
                queued += delivery.state == DigestDelivery.State.QUEUED
                skipped += delivery.state == DigestDelivery.State.SKIPPED
    return RunResult(queued, skipped)


@transaction.atomic
def deliver(pk: int, *, start: date, end: date, now: datetime) -> DigestDelivery | None:
    """The digest of one subscription for [start, end], once: None when another worker holds
    the subscription, it is inactive or gone, or the period was already delivered."""
    sub = (
        DigestSubscription.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("user")
        .filter(pk=pk, active=True)
        .first()
    )
    if sub is None or sub.deliveries.filter(period_start=start).exists():
        return None
    delivery = DigestDelivery(
        subscription=sub, period_start=start, period_end=end, as_of=now, created_at=now
    )
    user = sub.user
    delivery.state, delivery.note = DigestDelivery.State.SKIPPED, ""
    digest = None
    if not user.is_active or not user.email:
        delivery.note = "The person's account is inactive or has no email address."
    else:
        try:
            digest = _compute(sub, user, start, end, now)
        except NotAllowed:
            delivery.note = "The person no longer reads KPI dashboards."
        else:
            if not digest.sections:
                delivery.note = "None of the chosen teams is among the person's teams now."
    if digest is not None and digest.sections:
        delivery.message = _queue(sub, digest)
        delivery.state = DigestDelivery.State.QUEUED
    delivery.save()
    return delivery


def _compute(
    sub: DigestSubscription, user: User, start: date, end: date, now: datetime
) -> figures.Digest:
    return figures.compute(
        user,
        cadence=sub.cadence,
        start=start,
        end=end,
        team_ids=[t.pk for t in sub.teams.all()],
        business=sub.business_hours,
        now=now,
    )


def _queue(sub: DigestSubscription, digest: figures.Digest, *, preview: bool = False):
    url = unsubscribe_url(sub)
    mail = render.mail(digest, name=display_name(sub.user), unsubscribe_url=url, preview=preview)
    return outbox.queue_staff_mail(
        recipient=sub.user.email,
        subject=mail.subject,
        text=mail.text,
        html=mail.html,
        tag=f"digest.{sub.pk}",
        files=mail.files,
        headers={
            "List-Unsubscribe": f"<{url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
