"""What a chat message says, and how Slack and Microsoft Teams want it (pure: no ORM).

A ``Notice`` is plain data (a title, a text, facts, an absolute link, a tone). ``slack`` makes
an incoming-webhook body of Block Kit blocks with mrkdwn (``text`` as the fallback of
notifications); ``teams`` makes an Office 365 connector MessageCard. Text from people and
customers (subjects, reasons, incident updates) is escaped for each: Slack's ``&``, ``<``, ``>``
(so a subject cannot mention ``<!channel>`` or forge a link), Teams' HTML and Markdown.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

TONE_COLOURS = {"danger": "D93F0B", "warning": "E3A008", "good": "2DA44E", "info": "0969DA"}
TEXT_MAX = 2800  # Slack's section text limit is 3000 characters


@dataclass(frozen=True)
class Notice:
    title: str
    text: str
    url: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    tone: str = "info"  # danger, warning, good or info

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["facts"] = [list(pair) for pair in self.facts]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Notice:
        return cls(
            title=str(data.get("title", "")),
            text=str(data.get("text", "")),
            url=str(data.get("url", "")),
            facts=[(str(k), str(v)) for k, v in data.get("facts", [])],
            tone=str(data.get("tone", "info")),
        )


def _short(text: str, limit: int = TEXT_MAX) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack(notice: Notice) -> dict[str, Any]:
    title = slack_escape(notice.title)
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": f"*<{notice.url}|{title}>*"}},
    ]
    if notice.text:
        body = _short(slack_escape(notice.text))
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": body}})
    if notice.facts:
        blocks.append(
            {
                "type": "context",
                "elements": [
                    {"type": "mrkdwn", "text": f"*{slack_escape(k)}:* {slack_escape(v)}"}
                    for k, v in notice.facts[:10]
                ],
            }
        )
    blocks.append(
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "text": {"type": "plain_text", "text": "Open in csops"},
                    "url": notice.url,
                }
            ],
        }
    )
    return {"text": f"{title} {notice.url}", "blocks": blocks}


_MARKDOWN = str.maketrans({c: f"\\{c}" for c in "\\`*_[]()~"})  # inline Markdown


def teams_escape(text: str) -> str:
    html = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return html.translate(_MARKDOWN)


def teams(notice: Notice) -> dict[str, Any]:
    card: dict[str, Any] = {
        "@type": "MessageCard",
        "@context": "https://schema.org/extensions",
        "summary": _short(notice.title, 200),
        "themeColor": TONE_COLOURS.get(notice.tone, TONE_COLOURS["info"]),
        "title": teams_escape(notice.title),
        "potentialAction": [
            {
                "@type": "OpenUri",
                "name": "Open in csops",
                "targets": [{"os": "default", "uri": notice.url}],
            }
        ],
    }
    if notice.text:
        card["text"] = _short(teams_escape(notice.text))
    if notice.facts:
        card["sections"] = [
            {
                "facts": [
                    {"name": teams_escape(k), "value": teams_escape(v)} for k, v in notice.facts
                ]
            }
        ]
    return card


def render(kind: str, notice: Notice) -> dict[str, Any]:
    return teams(notice) if kind == "teams" else slack(notice)
