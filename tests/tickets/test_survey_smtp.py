"""The survey mail goes through a real SMTP server on 127.0.0.1 and its link works."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.tickets.smtp_peer import smtp_server
from tests.tickets.survey_helpers import invite
from tickets.models import SurveyResponse
from tickets.services import surveys

pytestmark = pytest.mark.django_db


def test_survey_mail_through_real_smtp_and_link_records_the_answer(team, rep, settings):
    with smtp_server() as (port, inbox):
        # given Django mails through a real SMTP peer
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.CSOPS_PUBLIC_URL = "http://support.example.com"
        invitation = invite(team, rep, email="casey@example.org")
        # when the survey is sent
        assert surveys.send_invitation(invitation.pk) is True
    # then the peer received one message for the requester with the signed link
    assert len(inbox) == 1
    message = inbox[0]
    assert message["To"] == "casey@example.org"
    assert message["Subject"] == f"How did we do on request #{invitation.ticket_id}?"
    link = re.search(r"http://support\.example\.com(/survey/\S+/)", message.get_content())
    assert link is not None
    # and following the link lets the customer answer without logging in
    client = Client()
    assert client.get(link.group(1)).status_code == 200
    response = client.post(link.group(1), {"rating": 4, "comment": "Quick, thanks"})
    assert response.status_code == 200
    answer = SurveyResponse.objects.get(ticket_id=invitation.ticket_id)
    assert (answer.rating, answer.positive, answer.comment) == (4, True, "Quick, thanks")
