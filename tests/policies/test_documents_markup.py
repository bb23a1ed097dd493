"""Pure text helpers: sanitized Markdown, the escaped diff table, placeholder names."""

from __future__ import annotations

import pytest

from policies.markup import diff_counts, diff_table, render_markdown, unknown_placeholders


@pytest.mark.parametrize(
    ("_case", "markdown", "html"),
    [
        ("script stripped with its content", "Hi <script>alert(1)</script>", "<p>Hi </p>"),
        ("javascript link loses its href", "[x](javascript:alert(1))",
         '<p><a rel="noopener noreferrer nofollow">x</a></p>'),
        ("event handler removed", '<img src="x" onerror="alert(1)">', "<p></p>"),
        ("markdown kept", "**bold** and `code`",
         "<p><strong>bold</strong> and <code>code</code></p>"),
        ("https link kept", "[docs](https://example.org)",
         '<p><a href="https://example.org" rel="noopener noreferrer nofollow">docs</a></p>'),
    ],
)  # fmt: skip
def test_render_markdown_is_sanitized(_case, markdown, html):
    assert render_markdown(markdown) == html


def test_diff_table_escapes_lines_and_labels():
    table = diff_table(["<b>a</b>"], ["<i>b</i>"], before_label="<v1>", after_label="v2")
    assert "<b>a</b>" not in table
    assert "<i>b</i>" not in table
    assert "&lt;b&gt;" in table
    assert "&lt;v1&gt;" in table


def test_diff_counts():
    assert diff_counts(["a", "b", "c"], ["a", "c", "d", "e"]) == (2, 1)


def test_unknown_placeholders():
    assert unknown_placeholders("{{customer_name}} {{ token }} {{token}} {{Upper}}") == ["token"]
