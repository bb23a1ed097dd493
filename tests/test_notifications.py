from __future__ import annotations

import pytest
from django.core import mail

from csops.models import Notification
from csops.notify import notify

pytestmark = pytest.mark.django_db


def test_notify_is_once_per_user_and_key(rep, manager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(
            [rep, manager], key="sla:breach:1", text="Ticket #1 breached", url="/tickets/1/"
        )
    with django_capture_on_commit_callbacks(execute=True):
        second = notify(
            [rep, manager], key="sla:breach:1", text="Ticket #1 breached", url="/tickets/1/"
        )
    assert (first, second) == (2, 0)
    assert Notification.objects.filter(key="sla:breach:1").count() == 2
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == sorted([rep.email, manager.email])


def test_notifications_page_lists_and_marks_read(rep, rep_client):
    notify([rep], key="k1", text="Policy to acknowledge", url="/", email=False)
    page = rep_client.get("/notifications/")
    assert "Policy to acknowledge" in page.content.decode()
    assert page.context["unread_notifications"] == 1
    rep_client.post("/notifications/read/")
    assert Notification.objects.get(key="k1").read_at is not None


def test_notifications_of_others_are_not_shown_or_marked(rep, rep2, client_for):
    notify([rep2], key="k2", text="For ralph only", email=False)
    client = client_for(rep)
    assert "For ralph only" not in client.get("/notifications/").content.decode()
    client.post("/notifications/read/", {"id": Notification.objects.get(key="k2").pk})
    assert Notification.objects.get(key="k2").read_at is None


def test_bad_notification_id_is_a_400(rep_client):
    assert rep_client.post("/notifications/read/", {"id": "x"}).status_code == 400


def test_notify_twice_in_the_same_instant_mails_once(
    rep, django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to("2026-11-24 09:00:00+00:00", tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        first = notify([rep], key="same-second", text="Once")
        second = notify([rep], key="same-second", text="Once")
    assert (first, second) == (1, 0)
    assert len(mail.outbox) == 1


def test_a_long_notice_makes_a_subject_cut_at_a_word():
    from csops.notify import subject_line

    text = "Ticket #12 escalated to Tier 2 (next tier): the customer reports a charge " * 3
    subject = subject_line(text)
    assert len(subject) <= 90
    assert subject.endswith(" …")
    assert text.startswith(subject.removesuffix(" …"))
    assert text[len(subject.removesuffix(" …"))] == " "  # the cut falls between words
    assert subject_line("Short notice.") == "Short notice."
