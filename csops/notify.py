"""Notify staff in the app and by email, exactly once per (user, key)."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from csops.models import Notification


def subject_line(text: str, width: int = 90) -> str:
    """A mail subject from a notice: its first line, cut at a word with "…" when too long
    (never mid-word, and the full text is in the body)."""
    return textwrap.shorten(text.splitlines()[0] if text else "", width=width, placeholder=" …")


def notify(users: Iterable[User], *, key: str, text: str, url: str = "", email: bool = True) -> int:
    """Create the notice for each user that has not had ``key`` yet; mail those new ones on
    commit. Returns how many notices were new. Safe to call twice or concurrently."""
    users = [u for u in users if u is not None and u.is_active]
    now = timezone.now()
    new: list[User] = []
    for user in users:
        # One savepoint per row: the unique (user, key) constraint decides who is first,
        # also between concurrent workers, and only the first insert counts and mails.
        try:
            with transaction.atomic():
                Notification.objects.create(
                    user=user, key=key, text=text[:300], url=url, created_at=now
                )
        except IntegrityError:
            continue
        new.append(user)
    recipients = [u.email for u in new if u.email]
    if email and recipients:
        transaction.on_commit(
            lambda: send_mail(
                subject=f"[csops] {subject_line(text)}",
                message=f"{text}\n\n{url}".strip(),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=recipients,
                fail_silently=True,
            )
        )
    return len(new)
