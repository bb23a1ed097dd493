"""The one CSV writer every export uses: it neutralises spreadsheet formulas (CSV injection).

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as a formula
by Excel, LibreOffice and Google Sheets (``=HYPERLINK(...)``, ``@SUM(...)``, DDE payloads), so
such text gets a leading apostrophe, as OWASP recommends. Numbers are left alone, whether
they come as numbers or as plain numeric text ("-3", "-1.50"): they cannot carry a formula.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator

from django.http import HttpResponse, StreamingHttpResponse

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?([eE][+-]?\d+)?")


def safe(value: object) -> object:
    """The cell as a spreadsheet shows it as text, never as a formula."""
    if isinstance(value, str) and value[:1] in FORMULA_PREFIXES and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


class _Echo:
    """A file-like object whose ``write`` returns the line, for streaming."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Iterable[object]]) -> Iterator[str]:
    """Each row as one CSV line, every cell neutralised."""
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow([safe(v) for v in row])


def _attachment(response: HttpResponse | StreamingHttpResponse, filename: str) -> None:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'


def csv_response(rows: Iterable[Iterable[object]], filename: str) -> HttpResponse:
    """A small export, built in memory."""
    response = HttpResponse("".join(csv_lines(rows)), content_type="text/csv; charset=utf-8")
    _attachment(response, filename)
    return response


def csv_stream(rows: Iterable[Iterable[object]], filename: str) -> StreamingHttpResponse:
    """A large export, streamed row by row."""
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    _attachment(response, filename)
    return response
