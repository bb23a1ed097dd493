"""A raw message turned into what a ticket needs, with the standard library's ``email`` package.

Mail in the wild is broken in every way, so nothing here raises on content: a header that does
not parse is read raw, a declared charset is decoded (an unknown or lying one with replacement
characters), an undeclared one is tried as UTF-8 and then as Windows-1252. Only a message with
no usable sender address is refused (``UnusableMessage``), as no ticket can be made of it.

The text of a message is its text/plain part when there is one; HTML-only mail is converted to
readable text by ``html2text`` and its HTML kept, sanitized by ``nh3``. The quoted history below
the new text is cut by ``mail-parser-reply`` (``reply_text``), except in forwarded messages,
whose forwarded part is the point.
"""

from __future__ import annotations

import codecs
import functools
import re
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.header import decode_header, make_header
from email.headerregistry import BaseHeader, HeaderRegistry
from email.message import Message
from email.utils import getaddresses

import html2text
import nh3
from mailparser_reply import EmailReplyParser

REPLY_LANGUAGES = ["en", "de", "fr", "es", "it", "nl", "sv", "da", "pl", "cs", "ja", "ko", "zh"]
FORWARD_SUBJECT = re.compile(r"^\s*(fwd?|fw|wg|tr|rv|enc|doorst)\s*:", re.IGNORECASE)
FORWARD_MARKERS = (
    "---------- forwarded message",
    "-------- forwarded message",
    "----------  forwarded message",
    "begin forwarded message:",
    "-------- weitergeleitete nachricht",
    "-------- message transféré",
)
_SANITIZED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "div", "em", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "li", "ol", "p", "pre", "span", "strong", "sub", "sup", "table", "tbody",
    "td", "th", "thead", "tr", "u", "ul",
}  # fmt: skip


class UnusableMessage(ValueError):
    """Nothing a ticket can be made of (no sender address); the reason is the message."""


@dataclass
class MailAttachment:
    filename: str
    content_type: str
    content: bytes
    inline: bool = False
    content_id: str = ""


@dataclass
class ParsedMail:
    message: Message
    message_id: str = ""
    in_reply_to: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    subject: str = ""
    from_name: str = ""
    from_address: str = ""
    recipients: list[str] = field(default_factory=list)  # To, Cc, Delivered-To, X-Original-To
    to: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    text: str = ""  # the whole text (forwarded/quoted parts included)
    html: str = ""  # sanitized, HTML-only or multipart/alternative mail
    reply_text: str = ""  # the new text, quoted history cut
    attachments: list[MailAttachment] = field(default_factory=list)
    forwarded: bool = False
    defects: list[str] = field(default_factory=list)

    def header(self, name: str) -> str:
        return header(self.message, name)


def header(message: Message, name: str) -> str:
    """A header's decoded value, or "" when absent; a header that does not parse is decoded
    from its raw form, and at worst returned as raw text."""
    try:
        value = message.get(name)
        return "" if value is None else str(value).strip()
    except Exception:  # noqa: BLE001 - the email package raises many types on broken headers
        pass
    for key, raw in _raw_items(message):
        if key.lower() == name.lower():
            try:
                return str(make_header(decode_header(raw))).strip()
            except Exception:  # noqa: BLE001
                return str(raw).strip()
    return ""


def _raw_items(message: Message) -> list[tuple[str, str]]:
    try:
        return [(k, str(v)) for k, v in message.raw_items()]
    except AttributeError:
        return [(k, str(v)) for k, v in message.items()]


def _all_headers(message: Message, name: str) -> list[str]:
    try:
        return [str(v) for v in message.get_all(name, [])]
    except Exception:  # noqa: BLE001
        return [str(v) for k, v in _raw_items(message) if k.lower() == name.lower()]


def message_ids(value: str) -> list[str]:
    """The ``<...>`` ids of an In-Reply-To / References value, in order."""
    return re.findall(r"<[^<>\s]+>", value or "")


def _addresses(values: list[str]) -> list[tuple[str, str]]:
    pairs = []
    for name, address in getaddresses([v.replace("\n", " ") for v in values]):
        address = address.strip().strip("<>").strip()
        if "@" in address and " " not in address:
            pairs.append((name.strip(), address.lower()))
    return pairs


def decode_bytes(payload: bytes, charset: str | None) -> str:
    """Text of a part: the declared charset when Python knows it, else UTF-8, else
    Windows-1252, with replacement characters rather than an error."""
    if charset:
        charset = charset.strip().strip('"').lower()
        try:
            codecs.lookup(charset)
        except LookupError:
            charset = None
    if charset:
        return payload.decode(charset, errors="replace")
    try:
        return payload.decode("utf-8")
    except UnicodeDecodeError:
        return payload.decode("cp1252", errors="replace")


def part_text(part: Message) -> str:
    try:
        payload = part.get_payload(decode=True)
    except Exception:  # noqa: BLE001
        payload = None
    if not isinstance(payload, bytes):
        raw = part.get_payload()
        return raw if isinstance(raw, str) else ""
    try:
        charset = part.get_content_charset()
    except Exception:  # noqa: BLE001
        charset = None
    return decode_bytes(payload, charset)


def html_to_text(html: str) -> str:
    converter = html2text.HTML2Text()
    converter.body_width = 0
    converter.ignore_images = True
    converter.unicode_snob = True
    try:
        return converter.handle(html).strip()
    except Exception:  # noqa: BLE001 - html2text on hostile markup
        return nh3.clean_text(html)


def sanitize_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=_SANITIZED_TAGS,
        attributes={"a": {"href", "title"}, "td": {"align"}, "th": {"align"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def _filename(part: Message) -> str:
    try:
        name = part.get_filename()
    except Exception:  # noqa: BLE001
        name = None
    if name is None:
        return ""
    return str(make_header(decode_header(str(name)))) if "=?" in str(name) else str(name)


def _is_attachment(part: Message) -> bool:
    try:
        disposition = (part.get_content_disposition() or "").lower()
    except Exception:  # noqa: BLE001
        disposition = ""
    return disposition == "attachment" or (disposition != "inline" and bool(_filename(part)))


def _walk(message: Message, mail: ParsedMail, texts: list[str], htmls: list[str]) -> None:
    """Collect the body parts and attachments. In multipart/alternative the text/plain part is
    preferred; the HTML part is kept (sanitized) beside it."""
    ctype = message.get_content_type()
    if message.is_multipart():
        payload = message.get_payload()
        if not isinstance(payload, list):
            return
        parts = [p for p in payload if isinstance(p, Message)]
        if ctype == "multipart/alternative":
            plain = [p for p in parts if p.get_content_type() == "text/plain"]
            rich = [p for p in parts if p.get_content_type() == "text/html"]
            if plain or rich:
                if plain:
                    texts.append(part_text(plain[-1]))
                if rich:
                    htmls.append(part_text(rich[-1]))
                    if not plain:
                        texts.append(html_to_text(htmls[-1]))
                for other in parts:
                    if other not in plain and other not in rich:
                        _walk(other, mail, texts, htmls)
                return
        for part in parts:
            _walk(part, mail, texts, htmls)
        return
    if ctype == "message/rfc822" or (message.get_content_maintype() == "message"):
        _attach(message, mail, default_name="message.eml")
        inner = message.get_payload()
        if isinstance(inner, list) and inner and isinstance(inner[0], Message):
            mail.forwarded = mail.forwarded or ctype == "message/rfc822"
            inner_texts: list[str] = []
            _walk(inner[0], ParsedMail(message=inner[0]), inner_texts, [])
            if inner_texts and ctype == "message/rfc822":
                sender = header(inner[0], "From")
                subject = header(inner[0], "Subject")
                texts.append(
                    f"---------- Forwarded message ----------\nFrom: {sender}\n"
                    f"Subject: {subject}\n\n" + "\n\n".join(inner_texts)
                )
        return
    if _is_attachment(message) or message.get_content_maintype() not in ("text",):
        _attach(message, mail)
        return
    if ctype == "text/html":
        markup = part_text(message)
        htmls.append(markup)
        texts.append(html_to_text(markup))
    elif ctype in ("text/plain", "text/enriched", "text/markdown") or not texts:
        texts.append(part_text(message))
    else:  # text/calendar, text/x-vcard, text/rfc822-headers ...: kept as files
        _attach(message, mail)


def _attach(part: Message, mail: ParsedMail, default_name: str = "") -> None:
    content = b""
    try:
        decoded = part.get_payload(decode=True)
        if isinstance(decoded, bytes):
            content = decoded
        else:
            inner = part.get_payload()
            if isinstance(inner, list):
                content = b"\n".join(p.as_bytes() for p in inner if isinstance(p, Message))
            else:
                content = str(inner or "").encode("utf-8", "replace")
    except Exception:  # noqa: BLE001
        content = b""
    try:
        disposition = (part.get_content_disposition() or "").lower()
    except Exception:  # noqa: BLE001
        disposition = ""
    content_id = header(part, "Content-ID").strip("<> ")
    mail.attachments.append(
        MailAttachment(
            filename=_filename(part) or default_name or f"part-{len(mail.attachments) + 1}",
            content_type=part.get_content_type(),
            content=content,
            inline=disposition == "inline" or bool(content_id),
            content_id=content_id,
        )
    )


def cut_quotes(text: str) -> str:
    try:
        reply = EmailReplyParser(languages=REPLY_LANGUAGES).parse_reply(text)
    except Exception:  # noqa: BLE001 - a regex library on arbitrary text
        reply = None
    return (reply or "").strip() or text.strip()


class _RememberingHeaders(HeaderRegistry):
    """The standard header registry, remembering the last parsed values: reading a message
    asks for the same Content-Type and Content-Disposition many times (type, maintype,
    charset, filename, params), and each ask parses the header anew. Header objects are
    immutable, so sharing them is safe."""

    @functools.lru_cache(maxsize=512)  # noqa: B019 - one registry for the process
    def _parsed(self, name: str, value: str) -> BaseHeader:
        return super().__call__(name, value)

    def __call__(self, name, value):
        if isinstance(name, str) and isinstance(value, str) and len(value) < 4096:
            return self._parsed(name, value)
        return super().__call__(name, value)


_POLICY = policy.default.clone(header_factory=_RememberingHeaders())


def parse(raw: bytes) -> ParsedMail:
    message = message_from_bytes(raw, policy=_POLICY)
    mail = ParsedMail(message=message)
    mail.defects = [type(d).__name__ for d in message.defects]
    ids = message_ids(header(message, "Message-ID"))
    mail.message_id = ids[0][:500] if ids else ""
    mail.in_reply_to = message_ids(header(message, "In-Reply-To"))
    mail.references = message_ids(header(message, "References"))
    mail.subject = " ".join(header(message, "Subject").split())[:255]
    senders = _addresses(_all_headers(message, "From")) or _addresses(
        _all_headers(message, "Sender")
    )
    if not senders:
        raise UnusableMessage("The message has no sender address (From).")
    mail.from_name, mail.from_address = senders[0]
    mail.to = [a for _n, a in _addresses(_all_headers(message, "To"))]
    mail.cc = [a for _n, a in _addresses(_all_headers(message, "Cc"))]
    extra = []
    for name in ("Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To"):
        extra += [a for _n, a in _addresses(_all_headers(message, name))]
    mail.recipients = list(dict.fromkeys(mail.to + mail.cc + extra))
    texts: list[str] = []
    htmls: list[str] = []
    _walk(message, mail, texts, htmls)
    mail.text = "\n\n".join(t.strip() for t in texts if t and t.strip()).replace("\x00", "")
    mail.html = sanitize_html("\n".join(htmls)) if htmls else ""
    lowered = mail.text.lower()
    mail.forwarded = (
        mail.forwarded
        or bool(FORWARD_SUBJECT.match(mail.subject))
        or any(marker in lowered for marker in FORWARD_MARKERS)
    )
    mail.reply_text = mail.text.strip() if mail.forwarded else cut_quotes(mail.text)
    return mail
