"""Why a ticket matched a search: its subject and one matching message, with the matching
words marked (PostgreSQL's ts_headline; a plain word match on SQLite). Only for the rows of
one queue page."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from tickets.models import Ticket, TicketEvent

# Markers no ticket text contains: the text is escaped first, then they become <mark>.
_START, _STOP = "\x02", "\x03"
_OPTIONS = f"StartSel={_START}, StopSel={_STOP}, MaxWords=24, MinWords=8, MaxFragments=1"
_WHOLE = f"StartSel={_START}, StopSel={_STOP}, HighlightAll=true"
# ts_headline parses "<...>" as an HTML tag and drops it: angle brackets go in as stand-ins.
_ANGLES = str.maketrans("\x04\x05", "<>")
_HIDE_ANGLES = "translate({}, '<>', chr(4) || chr(5))"
SNIPPET_SOURCE_CHARS = 20_000  # a message's head searched for the snippet


@dataclass(frozen=True)
class Highlight:
    subject: SafeString
    snippet: SafeString  # empty when only the subject matched


def _marked(text: str) -> SafeString:
    text = escape(text.translate(_ANGLES))
    return mark_safe(text.replace(_START, "<mark>").replace(_STOP, "</mark>"))


def highlights(ticket_ids: list[int], query: str) -> dict[int, Highlight]:
    query = query.strip()
    if not query or not ticket_ids:
        return {}
    rows = _postgres(ticket_ids, query) if settings.IS_POSTGRES else _plain(ticket_ids, query)
    return {
        pk: Highlight(_marked(subject), _marked(snippet) if _START in snippet else mark_safe(""))
        for pk, subject, snippet in rows
    }


def _postgres(ticket_ids: list[int], query: str) -> list[tuple[int, str, str]]:
    t, e = Ticket._meta.db_table, TicketEvent._meta.db_table
    body = _HIDE_ANGLES.format(f"left(ev.body, {SNIPPET_SOURCE_CHARS})")
    sql = f"""
        SELECT t.id, ts_headline('english', {_HIDE_ANGLES.format("t.subject")}, q, %s),
               COALESCE((SELECT ts_headline('english', {body}, q, %s)
                         FROM {e} ev
                         WHERE ev.ticket_id = t.id AND ev.body <> ''
                           AND to_tsvector('english', left(ev.body, %s)) @@ q
                         ORDER BY ev.id LIMIT 1), '')
        FROM {t} t, websearch_to_tsquery('english', %s) q
        WHERE t.id = ANY(%s)
    """
    n = SNIPPET_SOURCE_CHARS
    with connection.cursor() as cur:
        cur.execute(sql, [_WHOLE, _OPTIONS, n, query, list(ticket_ids)])
        return cur.fetchall()


def _plain(ticket_ids: list[int], query: str) -> list[tuple[int, str, str]]:
    """SQLite: mark the query's words wherever they occur (case-insensitive)."""
    words = [re.escape(w) for w in re.findall(r"\w+", query) if len(w) > 1]
    if not words:
        return []
    pattern = re.compile("|".join(words), re.IGNORECASE)

    def mark(text: str) -> str:
        return pattern.sub(lambda m: f"{_START}{m.group(0)}{_STOP}", text)

    rows = []
    for pk, subject in Ticket.objects.filter(pk__in=ticket_ids).values_list("pk", "subject"):
        snippet = ""
        for body in (
            TicketEvent.objects.filter(ticket_id=pk).exclude(body="").values_list("body", flat=True)
        ):
            if match := pattern.search(body):
                start = max(0, match.start() - 80)
                snippet = ("…" if start else "") + mark(body[start : start + 240])
                break
        rows.append((pk, mark(subject), snippet))
    return rows
