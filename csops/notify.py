"""Notify staff in the app and by email, exactly once per (user, key)."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from csops.models import Notification


def notify(users: Iterable[User], *, key: str, text: str, url: str = "", email: bool = True) -> int:
    """Create the notice for each user that has not had ``key`` yet; mail those new ones on
    commit. Returns how many notices were new. Safe to call twice or concurrently."""
    users = [u for u in users if u is not None and u.is_active]
    now = timezone.now()
    rows = [Notification(user=u, key=key, text=text[:300], url=url, created_at=now) for u in users]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    # ignore_conflicts gives no ids back: the rows carrying this instant are the new ones.
    new_ids = set(
        Notification.objects.filter(key=key, user__in=users, created_at=now).values_list(
            "user_id", flat=True
        )
    )
    recipients = [u.email for u in users if u.pk in new_ids and u.email]
    if email and recipients:
        transaction.on_commit(
            lambda: send_mail(
                subject=f"[csops] {text[:120]}",
                message=f"{text}\n\n{url}".strip(),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=recipients,
                fail_silently=True,
            )
        )
    return len(new_ids)
