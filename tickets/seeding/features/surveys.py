"""Answered CSAT surveys on seeded solves, so CSAT, NPS and the voice of the customer show
figures. Each answer is made as the survey flow would have left it: an invitation for the
ticket's latest solve, already sent, and one current answer attributed (§9.17) by the same
pure function the submit service uses. Nothing is queued: the mail was sent long ago.

A fixed number per day over the last ``DAYS`` days (indexed reads), whatever the seed size.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from policies.ticket_log import RESOLVED, UNRESOLVED
from tickets.models import SurveyInvitation, SurveyResponse, Ticket, TicketEvent
from tickets.services.survey_attribution import attribute_rating
from tickets.services.surveys import is_positive

DAYS = 60
PER_DAY = 3
POSITIVE = (
    "Quick and friendly, thank you!",
    "Solved on the first try, great service.",
    "Clear answer and the refund arrived as promised.",
    "Riley walked me through every step. Very patient.",
    "Fast reply even on a weekend.",
    "",
    "",
)
NEGATIVE = (
    "It took three emails to get a real answer.",
    "The package is still missing and nobody called back.",
    "I had to explain the problem twice to different people.",
    "The fix worked but the wait was far too long.",
)
# Rating weights (1..5): most customers are happy, a few are not.
RATINGS = (1, 2, 3, 4, 5)
WEIGHTS = (3, 3, 6, 26, 62)


def seed_surveys(rng: random.Random, until: datetime) -> int:
    """Answers for up to ``PER_DAY`` tickets solved on each of the last ``DAYS`` days that
    have none yet; returns how many were made."""
    if SurveyResponse.objects.exists():
        return 0
    chosen: list[int] = []
    for day in range(DAYS):
        end = until - timedelta(days=day, hours=2)
        start = end - timedelta(days=1)
        chosen += list(
            Ticket.objects.filter(
                updated_at__gt=start,
                updated_at__lte=end,
                status__in=sorted(RESOLVED),
                survey_invitations__isnull=True,
            )
            .order_by("-updated_at", "-pk")
            .values_list("pk", flat=True)[:PER_DAY]
        )
    logs: dict[int, list[TicketEvent]] = {}
    for event in TicketEvent.objects.filter(ticket_id__in=chosen).order_by("ticket_id", "pk"):
        logs.setdefault(event.ticket_id, []).append(event)
    emails = dict(Ticket.objects.filter(pk__in=chosen).values_list("pk", "requester__email"))
    invitations, answers = [], []
    for ticket_id in chosen:
        log = logs.get(ticket_id, [])
        solve = _latest_solve(log)
        if solve is None or not emails.get(ticket_id):
            continue
        sent = solve.at + timedelta(minutes=rng.randint(30, 90))
        submitted = min(sent + timedelta(minutes=rng.randint(5, 36 * 60)), until)
        if submitted <= solve.at:
            continue
        invitation = SurveyInvitation(
            ticket_id=ticket_id,
            solve_event=solve,
            email=emails[ticket_id],
            ask_nps=True,  # the demo asks NPS too, whatever the settings say
            created_at=sent,
            sent_at=sent,
        )
        rating = rng.choices(RATINGS, WEIGHTS)[0]
        positive = is_positive(invitation.scale, rating)
        comment = rng.choice(POSITIVE if positive else NEGATIVE) if rng.random() < 0.6 else ""
        attribution = attribute_rating([e.as_log_event() for e in log], submitted)
        invitations.append(invitation)
        answers.append(
            SurveyResponse(
                invitation=invitation,
                ticket_id=ticket_id,
                scale=invitation.scale,
                rating=rating,
                positive=positive,
                nps=_nps(rng, rating) if rng.random() < 0.8 else None,
                comment=comment,
                submitted_at=submitted,
                attributed=attribution.attributed,
                agent_id=attribution.agent_id,
                team_id=attribution.team_id,
                priority=attribution.priority,
            )
        )
    SurveyInvitation.objects.bulk_create(invitations)  # sets their pks, which answers use
    SurveyResponse.objects.bulk_create(answers)
    return len(answers)


def _latest_solve(log: list[TicketEvent]) -> TicketEvent | None:
    """``tickets.services.surveys.latest_solve`` on a loaded log."""
    for event in reversed(log):
        if event.type != "status_changed" or event.data.get("to") not in RESOLVED:
            continue
        if event.data.get("to") == "solved" or event.data.get("from") in UNRESOLVED:
            return event
    return None


def _nps(rng: random.Random, rating: int) -> int:
    low, high = {1: (0, 4), 2: (2, 6), 3: (5, 8), 4: (7, 10), 5: (9, 10)}[rating]
    return rng.randint(low, high)
