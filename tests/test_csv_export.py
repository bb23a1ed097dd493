"""The shared CSV writer neutralises formulas in every cell and leaves numbers alone."""

from __future__ import annotations

import ast
from decimal import Decimal
from pathlib import Path

import pytest

from csops.csv_export import csv_lines, csv_response, safe

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("_case", "value", "expected"),
    [
        (
            "equals",
            '=HYPERLINK("http://evil.example","x")',
            '\'=HYPERLINK("http://evil.example","x")',
        ),
        ("plus", "+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("minus", "-2+3", "'-2+3"),
        ("at", "@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("tab", "\t=1", "'\t=1"),
        ("carriage_return", "\r=1", "'\r=1"),
        ("plain_text", "Refunds", "Refunds"),
        ("formula_later", "a=b", "a=b"),
        ("empty", "", ""),
        ("negative_number_text", "-1.50", "-1.50"),
        ("signed_exponent_text", "+3e5", "+3e5"),
        ("int", -3, -3),
        ("decimal", Decimal("-2.5"), Decimal("-2.5")),
        ("none", None, None),
    ],
)
def test_safe_neutralises_formula_prefixes_only(_case, value, expected):
    assert safe(value) == expected


def test_csv_lines_quote_and_neutralise_every_cell():
    lines = list(csv_lines([("name", "n"), ("=1+1", -4), ("a,b", "@x")]))
    assert lines == ["name,n\r\n", "'=1+1,-4\r\n", '"a,b",\'@x\r\n']


def test_csv_response_is_an_attachment():
    response = csv_response([("a",), ("=b",)], "x.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    assert response.content.decode() == "a\r\n'=b\r\n"


def _python_files():
    for app in ("csops", "tickets", "policies", "staffing", "kpis"):
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path


def test_no_module_but_the_shared_writer_builds_a_csv_writer():
    """Every export goes through csops.csv_export: nobody else calls csv.writer."""
    offenders = []
    for path in _python_files():
        if path == ROOT / "csops" / "csv_export.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            is_writer = (
                isinstance(node, ast.Attribute)
                and node.attr in ("writer", "DictWriter")
                and isinstance(node.value, ast.Name)
                and node.value.id == "csv"
            )
            if is_writer:
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []
