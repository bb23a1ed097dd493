"""Pure text helpers of policies and macros (no ORM): Markdown to sanitized HTML, a rendered
diff between two versions, and macro placeholder substitution.

- Markdown is rendered by the ``markdown`` package and the HTML is then cleaned by ``nh3``
  (an allow-list sanitizer): a policy author cannot put script into a rep's page.
- The diff uses the standard library's ``difflib.HtmlDiff``: a side-by-side table with
  additions, removals and changes highlighted, whose cells it HTML-escapes itself. It needs
  no dependency and diffs the Markdown source line by line, which is what an approver reviews.
- Macros substitute a fixed set of ``{{placeholder}}`` names in one pass with a regular
  expression. User text never reaches a template engine, so neither a macro body nor a
  customer's name can run template code, and substituted values are not scanned again.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence

import markdown
import nh3

_ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h1", "h2",
    "h3", "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "strong", "sub", "sup", "table",
    "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"align"}, "th": {"align"}}


# Knowledge-base articles may show images, but only their own uploads (served under this
# path by the help center): an ``<img>`` pointing anywhere else loses its ``src``.
ARTICLE_IMAGE_PREFIX = "/help/images/"


def _own_images_only(element: str, attribute: str, value: str) -> str | None:
    if element == "img" and attribute == "src" and not value.startswith(ARTICLE_IMAGE_PREFIX):
        return None
    return value


def render_markdown(text: str, *, images: bool = False) -> str:
    """Markdown → HTML that is safe to show as is. ``images``: keep ``<img>`` tags whose
    source is an article image (``ARTICLE_IMAGE_PREFIX``)."""
    html = markdown.markdown(text, extensions=["extra", "sane_lists"], output_format="html")
    tags, attributes = _ALLOWED_TAGS, _ALLOWED_ATTRIBUTES
    if images:
        tags = tags | {"img"}
        attributes = {**attributes, "img": {"src", "alt", "title"}}
    return nh3.clean(
        html,
        tags=tags,
        attributes=attributes,
        attribute_filter=_own_images_only if images else None,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def version_lines(body: str, checklist: Sequence[str], summary: str, effective: str) -> list[str]:
    """The text of a version as the diff compares it."""
    lines = [f"Effective: {effective}", f"Change summary: {summary}", "", *body.splitlines()]
    if checklist:
        lines += ["", "Checklist:", *(f"[ ] {step}" for step in checklist)]
    return lines


def diff_table(before: list[str], after: list[str], *, before_label: str, after_label: str) -> str:
    """A side-by-side HTML table (cells escaped by difflib)."""
    differ = difflib.HtmlDiff(tabsize=4, wrapcolumn=70)
    return differ.make_table(
        before,
        after,
        fromdesc=_escape(before_label),
        todesc=_escape(after_label),
        context=False,
    )


def diff_counts(before: list[str], after: list[str]) -> tuple[int, int]:
    """(lines added, lines removed)."""
    added = removed = 0
    for line in difflib.ndiff(before, after):
        if line.startswith("+ "):
            added += 1
        elif line.startswith("- "):
            removed += 1
    return added, removed


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


PLACEHOLDERS = (
    "customer_name",
    "customer_email",
    "ticket_number",
    "ticket_subject",
    "agent_name",
    "team_name",
)
_PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")


def render_macro(body: str, values: Mapping[str, str]) -> str:
    """Replace known ``{{name}}`` placeholders with plain text values; leave others as typed.

    One pass: a value that itself looks like a placeholder is not expanded. The result is
    plain text, to be escaped by whatever shows it (the textarea's autoescaping)."""

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in PLACEHOLDERS and name in values:
            return str(values[name])
        return match.group(0)

    return _PLACEHOLDER.sub(substitute, body)


def unknown_placeholders(body: str) -> list[str]:
    """Placeholder names in ``body`` that ``render_macro`` does not know."""
    return sorted({m for m in _PLACEHOLDER.findall(body) if m not in PLACEHOLDERS})
