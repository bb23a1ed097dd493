"""Shared set-up for the survey tests: a ticket solved through the real services."""

from __future__ import annotations

from django.core import signing

from tests.factories import CustomerFactory, make_ticket
from tickets import services
from tickets.models import SurveyInvitation, Ticket
from tickets.services import surveys


def solved_ticket(team, rep, *, email: str = "casey@example.org") -> Ticket:
    ticket = make_ticket(team, requester=CustomerFactory(email=email))
    services.reply(ticket.pk, by=rep, body="Fixed it.")
    return services.update_ticket(ticket.pk, by=rep, expected_version=None, status="solved")


def invite(team, rep, **kw) -> SurveyInvitation:
    ticket = solved_ticket(team, rep, **kw)
    return surveys.invite_for_solve(ticket.pk) or SurveyInvitation.objects.get(ticket=ticket)


def forged_token(payload: dict, *, salt: str = surveys.TOKEN_SALT, key: str | None = None) -> str:
    return signing.TimestampSigner(salt=salt, key=key).sign_object(payload)
