"""A digest as mail: an HTML document, its plain-text alternative and the CSV attachments.

The HTML is for mail clients (inline styles, tables, no scripts or external files); the CSV
has the dashboard's own tiles export columns (``kpis.exports.tiles_rows``) after a section
column, values with two decimals as every export has them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from kpis import exports
from kpis.digests.figures import Digest, Section


@dataclass(frozen=True)
class Mail:
    subject: str
    text: str
    html: str
    files: list[tuple[str, str, str]]  # (filename, content, type)


def absolute(path: str) -> str:
    return settings.CSOPS_PUBLIC_URL.rstrip("/") + path


def dashboard_url(s: Section) -> str:
    """The dashboard showing exactly this section's figures."""
    f = s.filter
    params = {"preset": "custom", "start": f.start.isoformat(), "end": f.end.isoformat()}
    if f.team is not None:
        params["team"] = str(f.team)
    params["hours"] = "business" if f.business else "calendar"
    return absolute(reverse("kpis:dashboard") + "?" + urlencode(params))


def tiles_csv(digest: Digest) -> str:
    def rows() -> Iterator[tuple]:
        header_done = False
        for s in digest.sections:
            for n, row in enumerate(exports.tiles_rows(s.tiles)):
                if n == 0:
                    if not header_done:
                        yield ("section", *row)
                        header_done = True
                    continue
                yield (s.title, *row)

    return "".join(exports.csv_lines(rows()))


def breaches_csv(digest: Digest) -> str:
    def rows() -> Iterator[tuple]:
        yield ("section", "ticket", "subject", "team", "sla_metric", "due_at", "late_minutes",
               "still_open")  # fmt: skip
        for s in digest.sections:
            for b in s.breaches:
                yield (s.title, b.ticket_id, b.subject, b.team, b.metric, b.due_at.isoformat(),
                       b.late_minutes, b.still_open)  # fmt: skip

    return "".join(exports.csv_lines(rows()))


def mail(digest: Digest, *, name: str, unsubscribe_url: str, preview: bool = False) -> Mail:
    sections = [
        {
            "s": s,
            "url": dashboard_url(s),
            "breach_rows": [
                {"b": b, "url": absolute(reverse("tickets:ticket-detail", args=[b.ticket_id]))}
                for b in s.breaches
            ],
        }
        for s in digest.sections
    ]
    context = {
        "digest": digest,
        "sections": sections,
        "name": name,
        "unsubscribe_url": unsubscribe_url,
        "preview": preview,
        "previous": digest.previous,
        "cadence": "weekly" if digest.cadence == "weekly" else "monthly",
    }
    stem = f"{digest.start.isoformat()}-{digest.end.isoformat()}"
    subject = f"{'[Preview] ' if preview else ''}KPI digest: {digest.label}"
    return Mail(
        subject=subject,
        text=render_to_string("kpis/digests/mail.txt", context).strip(),
        html=render_to_string("kpis/digests/mail.html", context),
        files=[
            (f"kpi-digest-{stem}.csv", tiles_csv(digest), "text/csv"),
            (f"sla-breaches-{stem}.csv", breaches_csv(digest), "text/csv"),
        ],
    )
