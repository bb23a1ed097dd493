"""CSAT surveys: invite on solve, mail a signed link, record answers (latest answer wins).

Customers never log in: the link carries a ``TimestampSigner`` token (salted for surveys only)
naming the invitation and its ticket. A forged or re-targeted token is refused (400), an
expired one too (410), and nothing about other tickets is reachable through it.

Settings (each may also come from the environment variable of the same name):
``CSAT_SURVEY_DELAY_SECONDS`` (default 3600) between the solve and the mail,
``CSAT_SURVEY_MAX_AGE_SECONDS`` (default 30 days) validity of a link,
``CSAT_SURVEY_SCALE`` ("five" or "good_bad"), ``CSAT_SURVEY_ASK_NPS`` (bool),
``CSOPS_PUBLIC_URL`` (the origin put in links, default http://127.0.0.1:8000).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core import signing
from django.core.mail import DNS_NAME, EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from csops import jobs
from csops.clock import now_s
from csops.errors import DomainError, InvalidInput
from policies.ticket_log import RESOLVED, UNRESOLVED
from tickets.models import (
    Status,
    SurveyInvitation,
    SurveyResponse,
    SurveyScale,
    Ticket,
    TicketEvent,
)
from tickets.models.events import EventType
from tickets.services import escalation_rules
from tickets.services.actions import signal_changed
from tickets.services.survey_attribution import (
    STATE_TYPES,
    RatingAttribution,
    attribute_rating,
    log_events,
)
from tickets.webhooks import services as webhooks

log = logging.getLogger(__name__)

TOKEN_SALT = "csops.tickets.survey"
NEGATIVE_CSAT_TRIGGER = "negative_csat"
SEND_SURVEY = "tickets.send_survey"  # job kind: mail one invitation (tickets/jobs.py)


class SurveyLinkInvalid(DomainError):
    code = "invalid_link"
    status = 400


class SurveyLinkExpired(DomainError):
    code = "expired_link"
    status = 410


# --- Settings ------------------------------------------------------------------------------


def delay_seconds() -> int:
    return settings.CSAT_SURVEY_DELAY_SECONDS


def max_age_seconds() -> int:
    return settings.CSAT_SURVEY_MAX_AGE_SECONDS


def survey_scale() -> str:
    return settings.CSAT_SURVEY_SCALE


def ask_nps() -> bool:
    return settings.CSAT_SURVEY_ASK_NPS


def public_url() -> str:
    return settings.CSOPS_PUBLIC_URL.rstrip("/")


# --- Tokens --------------------------------------------------------------------------------


def make_token(invitation: SurveyInvitation) -> str:
    signer = signing.TimestampSigner(salt=TOKEN_SALT)
    return signer.sign_object({"i": invitation.pk, "t": invitation.ticket_id})


def survey_link(invitation: SurveyInvitation) -> str:
    return public_url() + reverse("survey", kwargs={"token": make_token(invitation)})


def read_token(token: str) -> SurveyInvitation:
    """The invitation a token names, or SurveyLinkInvalid / SurveyLinkExpired."""
    signer = signing.TimestampSigner(salt=TOKEN_SALT)
    try:
        payload = signer.unsign_object(token, max_age=max_age_seconds())
    except signing.SignatureExpired:
        raise SurveyLinkExpired("This survey link has expired.") from None
    except (signing.BadSignature, ValueError, TypeError):
        raise SurveyLinkInvalid("This survey link is not valid.") from None
    invitation_id = payload.get("i") if isinstance(payload, dict) else None
    ticket_id = payload.get("t") if isinstance(payload, dict) else None
    if not isinstance(invitation_id, int) or not isinstance(ticket_id, int):
        raise SurveyLinkInvalid("This survey link is not valid.")
    invitation = (
        SurveyInvitation.objects.select_related("ticket")
        .filter(pk=invitation_id, ticket_id=ticket_id)
        .first()
    )
    if invitation is None:
        raise SurveyLinkInvalid("This survey link is not valid.")
    return invitation


# --- Invitations ---------------------------------------------------------------------------


def latest_solve(ticket_id: int) -> TicketEvent | None:
    """The ticket's last solve event (§2: → solved, or → closed from an unresolved status)."""
    candidates = TicketEvent.objects.filter(
        ticket_id=ticket_id, type=EventType.STATUS_CHANGED, data__to__in=list(RESOLVED)
    ).order_by("-pk")
    for event in candidates[:5]:
        if event.data.get("to") == Status.SOLVED or event.data.get("from") in UNRESOLVED:
            return event
    return None


def invite_for_solve(ticket_id: int) -> SurveyInvitation | None:
    """Make the invitation for the ticket's latest solve, once, and queue its mail.

    Called on commit of every ticket change (``ticket_changed``); a no-op unless the ticket
    is resolved and its latest solve has no invitation yet. Safe to run twice concurrently.
    """
    ticket = Ticket.objects.select_related("requester").filter(pk=ticket_id).first()
    if ticket is None or ticket.status not in RESOLVED or not ticket.requester.email:
        return None
    solve = latest_solve(ticket_id)
    if solve is None or SurveyInvitation.objects.filter(solve_event=solve).exists():
        return None
    try:
        with transaction.atomic():
            invitation = SurveyInvitation.objects.create(
                ticket=ticket,
                solve_event=solve,
                email=ticket.requester.email,
                scale=survey_scale(),
                ask_nps=ask_nps(),
                created_at=timezone.now(),
            )
            jobs.enqueue(
                SEND_SURVEY,
                key=f"survey-mail:{invitation.pk}",
                payload={"invitation": invitation.pk},
                due_at=invitation.created_at + timedelta(seconds=delay_seconds()),
                priority=jobs.Priority.BULK,
            )
    except IntegrityError:  # another process invited for this solve first
        return None
    return invitation


def on_ticket_changed(sender, *, ticket_id: int, **kwargs) -> None:
    """Receiver of ``tickets.signals.ticket_changed`` (connected in ``TicketsConfig.ready``)."""
    invite_for_solve(ticket_id)


def send_invitation(invitation_id: int) -> bool:
    """Mail the survey once (the ``survey-mail`` job). Skipped (False) if already sent or the
    ticket was reopened since. The row stays locked while the mail goes out and ``sent_at``
    commits with it, so two workers never both mail it; a worker killed between the SMTP
    hand-off and the commit leaves it unsent, and the job's retry mails it again with the same
    Message-ID (at least once, never silently dropped)."""
    with transaction.atomic():
        invitation = (
            # Only the invitation: the ticket row stays free for edits while the mail goes out.
            SurveyInvitation.objects.select_for_update(of=("self",))
            .select_related("ticket")
            .filter(pk=invitation_id, sent_at__isnull=True)
            .first()
        )
        if invitation is None or invitation.ticket.status not in RESOLVED:
            return False
        ticket = invitation.ticket
        body = (
            f"Your request #{ticket.pk} \u201c{ticket.subject}\u201d was solved.\n\n"
            f"How did we do? Tell us in one click:\n{survey_link(invitation)}\n\n"
            "Thank you."
        )
        EmailMessage(
            subject=f"How did we do on request #{ticket.pk}?",
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[invitation.email],
            headers={"Message-ID": f"<survey-{invitation.pk}@{DNS_NAME}>"},
        ).send()
        invitation.sent_at = timezone.now()
        invitation.save(update_fields=["sent_at"])
    return True


# --- Answers -------------------------------------------------------------------------------
# An invitation belongs to one solve. Its link takes answers while that solve is the ticket's
# latest and the ticket is still resolved; the customer may change an answer for
# ``CSAT_ANSWER_CHANGE_SECONDS`` (7 days) after first giving it, then it is final. The
# negative-CSAT rules fire once per solve: for the first negative answer to its invitation.


class SurveyClosed(DomainError):
    code = "survey_closed"
    status = 410


def answer_window() -> timedelta:
    return timedelta(seconds=settings.CSAT_ANSWER_CHANGE_SECONDS)


def first_answered_at(invitation: SurveyInvitation) -> datetime | None:
    return (
        invitation.responses.order_by("submitted_at", "pk")
        .values_list("submitted_at", flat=True)
        .first()
    )


def closed_reason(invitation: SurveyInvitation, *, status: str, now: datetime) -> str | None:
    """Why the invitation takes no (more) answers, or None while it is open."""
    if status not in RESOLVED:
        return "Your request was reopened, so this survey has closed."
    solve = latest_solve(invitation.ticket_id)
    if solve is not None and solve.pk != invitation.solve_event_id:
        return "Your request was solved again since, so this survey has closed."
    first = first_answered_at(invitation)
    if first is not None and now >= first + answer_window():
        return "Your answer is final: it could be changed for a while after you gave it."
    return None


def ensure_open(invitation: SurveyInvitation) -> None:
    """SurveyClosed (410) unless the invitation still takes answers."""
    reason = closed_reason(invitation, status=invitation.ticket.status, now=now_s())
    if reason is not None:
        raise SurveyClosed(reason)


def change_until(invitation: SurveyInvitation) -> datetime | None:
    """Until when an answer given to this invitation may still be changed."""
    first = first_answered_at(invitation)
    return first + answer_window() if first is not None else None


def is_positive(scale: str, rating: int) -> bool:
    """§6: 4–5 on the five-point scale, "good" (1) on good/bad."""
    return rating >= 4 if scale == SurveyScale.FIVE else rating == 1


def _validate(invitation: SurveyInvitation, rating: int, nps: int | None) -> None:
    allowed = range(1, 6) if invitation.scale == SurveyScale.FIVE else range(0, 2)
    if rating not in allowed:
        raise InvalidInput("Choose a rating.", fields={"rating": ["Choose a rating."]})
    if nps is not None and (not invitation.ask_nps or not 0 <= nps <= 10):
        raise InvalidInput("Choose 0 to 10.", fields={"nps": ["Choose 0 to 10."]})


@transaction.atomic
def submit_response(
    invitation: SurveyInvitation, *, rating: int, comment: str = "", nps: int | None = None
) -> SurveyResponse:
    """The customer answers through the link: refused (SurveyClosed, 410) once the invitation
    is closed (see ``closed_reason``), else recorded by ``record_response``."""
    _validate(invitation, rating, nps)
    # Lock the ticket row (fixed order: ticket first) so no reopen commits between the check
    # and the insert; ``record_response`` takes the same lock again.
    status = (
        Ticket.objects.select_for_update()
        .filter(pk=invitation.ticket_id)
        .values_list("status", flat=True)
        .first()
    )
    reason = closed_reason(invitation, status=status or "", now=now_s())
    if reason is not None:
        raise SurveyClosed(reason)
    return record_response(invitation, rating=rating, comment=comment, nps=nps)


@transaction.atomic
def record_response(
    invitation: SurveyInvitation, *, rating: int, comment: str = "", nps: int | None = None
) -> SurveyResponse:
    """Record an answer; it becomes the ticket's current one (the latest answer wins). The
    link's rules (closed surveys, the change window) are ``submit_response``'s: this stores
    any answer, as imports and the attribution's own tests need.

    It is attributed to the agent, team and priority at the ticket's last solve at or before
    it (§9.17), read from the log under the ticket lock."""
    _validate(invitation, rating, nps)
    # Lock the ticket row: answers of one ticket are serialized (fixed order: ticket first),
    # and no ticket action commits events between the log read and the insert.
    Ticket.objects.select_for_update().filter(pk=invitation.ticket_id).values_list("pk").first()
    now = now_s()
    negative_before = invitation.responses.filter(positive=False).exists()
    where = rating_attribution(invitation.ticket_id, now)
    SurveyResponse.objects.filter(ticket_id=invitation.ticket_id, is_current=True).update(
        is_current=False
    )
    positive = is_positive(invitation.scale, rating)
    response = SurveyResponse.objects.create(
        invitation=invitation,
        ticket_id=invitation.ticket_id,
        scale=invitation.scale,
        rating=rating,
        positive=positive,
        nps=nps,
        comment=comment.strip()[:5000],
        submitted_at=now,
        is_current=True,
        attributed=where.attributed,
        agent_id=where.agent_id,
        team_id=where.team_id,
        priority=where.priority,
    )
    ticket_id = invitation.ticket_id
    webhooks.record_survey_answer(response)
    # The analytics layer refreshes the ticket (its CSAT bucket) on this signal.
    signal_changed(ticket_id)
    if not positive and not negative_before:  # once per solve, not on each change
        transaction.on_commit(partial(_escalate_negative, ticket_id, response.pk))
    return response


def rating_attribution(ticket_id: int, submitted_at: datetime) -> RatingAttribution:
    """§9.17 for a rating of the ticket at ``submitted_at``: one read of its state events."""
    rows = (
        TicketEvent.objects.filter(ticket_id=ticket_id, type__in=STATE_TYPES)
        .order_by("pk")
        .values_list("pk", "at", "type", "data")
    )
    return attribute_rating(log_events(rows), submitted_at)


def _escalate_negative(ticket_id: int, response_id: int) -> None:
    """Run the ``negative_csat`` escalation rules (tickets.services.escalation_rules)."""
    escalation_rules.apply_rules(ticket_id, NEGATIVE_CSAT_TRIGGER, response_id=response_id)


def current_response(ticket_id: int) -> SurveyResponse | None:
    return SurveyResponse.objects.filter(ticket_id=ticket_id, is_current=True).first()


def answered_at(invitation: SurveyInvitation) -> datetime | None:
    latest = invitation.responses.order_by("-submitted_at", "-pk").first()
    return latest.submitted_at if latest else None
