"""The signed ticket reference of outgoing mail: ``support+t123.9f86d08188@example.com`` in the
Reply-To address and ``[#123-9f86d08188]`` in the subject. The bare number never threads (anyone
can type "#123"); the 10 hex digits are an HMAC of the ticket id under the site's SECRET_KEY."""

from __future__ import annotations

import re

from django.utils.crypto import constant_time_compare, salted_hmac

_SALT = "csops.mail.ticket-reference"
SUBJECT_REFERENCE = re.compile(r"\[#(\d{1,12})-([0-9a-f]{10})\]", re.IGNORECASE)
ADDRESS_REFERENCE = re.compile(r"^[^@+]+\+t(\d{1,12})\.([0-9a-f]{10})@", re.IGNORECASE)


def signature(ticket_id: int) -> str:
    return salted_hmac(_SALT, str(ticket_id), algorithm="sha256").hexdigest()[:10]


def subject_reference(ticket_id: int) -> str:
    return f"[#{ticket_id}-{signature(ticket_id)}]"


def reply_address(mailbox_address: str, ticket_id: int) -> str:
    local, _, domain = mailbox_address.partition("@")
    return f"{local.split('+')[0]}+t{ticket_id}.{signature(ticket_id)}@{domain}"


def _verified(ticket_id: str, sig: str) -> int | None:
    return int(ticket_id) if constant_time_compare(signature(int(ticket_id)), sig.lower()) else None


def ticket_from_subject(subject: str) -> int | None:
    for match in SUBJECT_REFERENCE.finditer(subject or ""):
        verified = _verified(match.group(1), match.group(2))
        if verified is not None:
            return verified
    return None


def ticket_from_addresses(addresses: list[str]) -> int | None:
    for address in addresses:
        match = ADDRESS_REFERENCE.match(address)
        if match:
            verified = _verified(match.group(1), match.group(2))
            if verified is not None:
                return verified
    return None


def base_address(address: str) -> str:
    """``support+anything@example.com`` → ``support@example.com`` (lower-case)."""
    local, _, domain = address.lower().partition("@")
    return f"{local.split('+')[0]}@{domain}"
