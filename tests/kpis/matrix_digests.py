"""Permission rows of the KPI digests: managers and directors (admins too) manage their own
subscriptions; reps and accounts without a role are refused; nobody reaches another person's
subscription (404); the mail's unsubscribe link needs no login (its signed token is the key;
an account without a role is refused everywhere, as on every page)."""

from __future__ import annotations

from django.utils import timezone

from kpis.digests import services
from kpis.digests.models import DigestSubscription
from tests.matrix import Row, all_personas, api_staff, staff
from tickets.mail.models import OutboundMessage

PANEL = staff(403, manager=200, director=200, admin=200)
SUBSCRIBE = staff(403, manager=302, director=302, admin=302)
# The director's own subscription: theirs only; other readers of dashboards get 404.
OWN = staff(403, manager=404, director=302, admin=404)
API_OWN = api_staff(403, manager=404, director=200, admin=404)


def directors_subscription(ctx) -> dict:
    director = ctx["users"]["director"]
    now = timezone.now()
    sub = DigestSubscription.objects.create(
        user=director, cadence="weekly", since=now, created_at=now
    )
    ctx["subscription"] = sub
    return {"pk": sub.pk}


def unsubscribe_token(ctx) -> dict:
    directors_subscription(ctx)
    return {"token": services.unsubscribe_token(ctx["subscription"])}


def active(ctx) -> int:
    return DigestSubscription.objects.filter(active=True).count()


def mails(ctx) -> int:
    return OutboundMessage.objects.filter(kind="digest").count()


ROWS: dict[str, Row] = {
    "kpis:digests": Row("get", PANEL),
    "kpis:digest-subscribe": Row(
        "post",
        SUBSCRIBE,
        data=lambda ctx: {"cadence": "weekly", "hours": "calendar"},
        snapshot=lambda ctx: DigestSubscription.objects.count(),
    ),
    "kpis:digest-cancel": Row("post", OWN, kwargs=directors_subscription, snapshot=active),
    "kpis:digest-preview": Row("post", OWN, kwargs=directors_subscription, snapshot=mails),
    "kpis:digest-unsubscribe": Row("get", all_personas(200, no_role=403), kwargs=unsubscribe_token),
    "digests-api:digest-list": Row("get", api_staff(403, manager=200, director=200, admin=200)),
    "digests-api:digest-detail": Row("get", API_OWN, kwargs=directors_subscription),
    "digests-api:digest-deliveries": Row("get", API_OWN, kwargs=directors_subscription),
    "digests-api:digest-preview": Row(
        "post",
        api_staff(403, manager=404, director=202, admin=404),
        kwargs=directors_subscription,
        snapshot=mails,
        content_type="application/json",
    ),
}
