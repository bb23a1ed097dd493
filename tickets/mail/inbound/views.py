"""The raw-MIME door: mail providers' inbound webhooks (and any relay that can POST a message).

``POST /mail/inbound/`` with the message's bytes as the body (any content type, e.g.
``message/rfc822``), ``Authorization: Bearer <INBOUND_WEBHOOK_SECRET>`` and optionally
``?mailbox=<address>``. No session, no CSRF token: the shared secret, compared in constant
time, is the authentication; an empty secret setting closes the door. Answers JSON:
200 with the record (new or the existing one for a repeated delivery), 401 without the right
secret, 413 over ``INBOUND_MAX_BYTES``, 422 for a message kept as failed or an unknown
mailbox. The provider may retry on anything else: the service is idempotent.
"""

from __future__ import annotations

import hmac

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from tickets.mail.inbound import services
from tickets.mail.inbound.models import InboundMessage, InboundSource, InboundState, Mailbox


def _authorized(request: HttpRequest) -> bool:
    secret = settings.INBOUND_WEBHOOK_SECRET
    given = request.headers.get("Authorization", "")
    scheme, _, token = given.partition(" ")
    if not secret or scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(token.strip().encode(), secret.encode())


def _error(status: int, code: str, detail: str, **extra: object) -> JsonResponse:
    return JsonResponse({"error": code, "detail": detail, **extra}, status=status)


def _answer(record: InboundMessage) -> dict:
    return {
        "record": record.pk,
        "state": record.state,
        "outcome": record.outcome,
        "ticket": record.ticket_id,
        "reason": record.reason,
    }


@login_not_required
@csrf_exempt
@require_POST
def inbound_webhook(request: HttpRequest) -> JsonResponse:
    if not _authorized(request):
        return _error(401, "unauthorized", "A valid shared secret is required.")
    limit = settings.INBOUND_MAX_BYTES
    try:
        declared = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        return _error(413, "too_large", f"The message is over {limit:,} bytes.")
    raw = request.read(limit + 1)  # the stream, not request.body (its 2.5 MB form limit)
    if len(raw) > limit:
        return _error(413, "too_large", f"The message is over {limit:,} bytes.")
    if not raw.strip():
        return _error(422, "invalid", "The body must be the raw message (RFC 5322).")
    mailbox = None
    address = request.GET.get("mailbox", "").strip()
    if address:
        mailbox = Mailbox.objects.filter(address__iexact=address, enabled=True).first()
        if mailbox is None:
            return _error(422, "invalid", f"No enabled mailbox has the address {address}.")
    record = services.ingest(raw, mailbox=mailbox, source=InboundSource.WEBHOOK)
    if record.state in (InboundState.FAILED, InboundState.REFUSED):
        return _error(422, "invalid", record.reason, record=record.pk, state=record.state)
    return JsonResponse(_answer(record), status=200)
