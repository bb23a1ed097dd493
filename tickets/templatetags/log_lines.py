"""The workspace's long lists written in Python: the SLA audit trails and the history. They
grow with the conversation, and a template loop costs a few dozen node renders per line
(two ``date`` filters each); ``format_html_join`` writes the same escaped markup in one pass."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils import dateformat, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import capfirst

register = template.Library()


def _time(at, fmt: str) -> SafeString:
    """``<time datetime="{{ at|date:'c' }}">{{ at|date:fmt }}</time>``, in the current zone."""
    local = timezone.localtime(at)
    return format_html(
        '<time datetime="{}">{}</time>',
        dateformat.format(local, "c"),
        dateformat.format(local, fmt),
    )


@register.simple_tag
def sla_trail(entries: Iterable, calendar_version: int | None) -> SafeString:
    """One ``<li data-action>`` per clock action: when, what and why (and the calendar)."""
    calendar = (
        format_html(' <span class="muted">(calendar v{})</span>', calendar_version)
        if calendar_version
        else ""
    )
    return format_html_join(
        "\n",
        '<li data-action="{}">{} · <strong>{}</strong> — {}{}</li>',
        (
            (e.action, _time(e.at, "Y-m-d H:i:s"), capfirst(e.action), e.reason, calendar)
            for e in entries
        ),
    )


@register.simple_tag
def history_lines(lines: Iterable) -> SafeString:
    """One ``<li data-type>`` per event of the log: when, what, by whom."""
    return format_html_join(
        "\n",
        '<li data-type="{}">{} · <strong>{}</strong> <span class="muted">by {}</span></li>',
        ((h.type, _time(h.at, "Y-m-d H:i:s"), h.what, h.who) for h in lines),
    )
