"""Auto-replies, out-of-office notices and bounces: mail that no person wrote.

They are kept on their ticket as an ``auto_reply`` event, never reopen it, never get an
acknowledgment and never count as a customer reply (two help desks must not ping-pong)."""

from __future__ import annotations

import re

from tickets.mail.inbound.parse import ParsedMail, message_ids

AUTO_REPLY = "auto_reply"
BOUNCE = "bounce"

_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}
_BOUNCE_SENDERS = re.compile(r"^(mailer-daemon|postmaster|mail-daemon|mailerdaemon)@", re.I)
_AUTO_SUBJECT = re.compile(
    r"^\s*(auto(matic)?[ -]?(reply|response|antwort)|out of (the )?office|abwesenheitsnotiz|"
    r"r[ée]ponse automatique|automatische antwort)\b",
    re.IGNORECASE,
)
_BOUNCE_SUBJECT = re.compile(
    r"^\s*(undeliver(ed|able)|delivery status notification \(failure\)|"
    r"mail delivery (failed|failure|system)|returned mail|failure notice)",
    re.IGNORECASE,
)


def classify(mail: ParsedMail) -> str:
    """``bounce``, ``auto_reply`` or "" for mail a person wrote."""
    ctype = mail.message.get_content_type()
    report_type = (
        (mail.message.get_param("report-type") or "") if ctype == "multipart/report" else ""
    )
    if (
        (ctype == "multipart/report" and str(report_type).lower() in ("delivery-status", ""))
        or _BOUNCE_SENDERS.match(mail.from_address)
        or (mail.header("Return-Path").strip() == "<>" and _BOUNCE_SUBJECT.match(mail.subject))
    ):
        return BOUNCE
    auto_submitted = mail.header("Auto-Submitted").lower()
    if auto_submitted and not auto_submitted.startswith("no"):
        return AUTO_REPLY
    if mail.header("X-Autoreply") or mail.header("X-Autorespond"):
        return AUTO_REPLY
    if mail.header("Precedence").lower() in _PRECEDENCE:
        return AUTO_REPLY
    if mail.header("X-Auto-Response-Suppress"):
        return AUTO_REPLY
    if ctype == "multipart/report" or _AUTO_SUBJECT.match(mail.subject):
        return AUTO_REPLY  # read receipts (disposition-notification), OOF by subject
    return ""


def bounced_message_ids(mail: ParsedMail) -> list[str]:
    """The Message-IDs of the original mail inside a bounce (its message/rfc822 or
    text/rfc822-headers part), to find the ticket it belongs to."""
    found: list[str] = []
    for attachment in mail.attachments:
        if attachment.content_type in (
            "message/rfc822",
            "text/rfc822-headers",
            "message/rfc822-headers",
        ):
            text = attachment.content.decode("utf-8", "replace")
            for match in re.finditer(r"^message-id:\s*(<[^>\s]+>)", text, re.I | re.M):
                found += message_ids(match.group(1))
    return found
