"""The KPI drill-down shows 50 tickets a page (htmx next/previous, real links without JS),
and its CSV export has every ticket behind the figure, whatever page is shown."""

from __future__ import annotations

import csv
import io
import re

import pytest
import time_machine

from tests.factories import make_ticket
from tests.kpis.engine_helpers import at, catch_up

pytestmark = pytest.mark.django_db

NOW = "2026-03-04T12:00:00+00:00"
DAY = {"preset": "custom", "start": "2026-03-02", "end": "2026-03-02", "metric": "created"}
TWO_DAYS = {**DAY, "end": "2026-03-03"}


@pytest.fixture
def tickets(team) -> list[int]:
    """120 tickets created on 2026-03-02 and two on 2026-03-03, metrics computed."""
    first = at("2026-03-02T09:00:00+00:00", lambda: [make_ticket(team) for _ in range(120)])
    at("2026-03-03T09:00:00+00:00", lambda: [make_ticket(team) for _ in range(2)])
    at("2026-03-04T11:00:00+00:00", catch_up)
    return [t.pk for t in first]


def _pks(response) -> list[int]:
    """The tickets of the page's table rows, as shown."""
    body = response.content.decode()
    table = body[body.index('id="drill-table"') : body.index("</table>")]
    return [int(pk) for pk in re.findall(r'<td><a href="/tickets/(\d+)/">#', table)]


def _csv_pks(response) -> list[int]:
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(text)))
    return [int(r[0]) for r in rows[1:]]


@time_machine.travel(NOW, tick=False)
def test_drill_shows_fifty_a_page_with_a_link_to_the_next(tickets, director_client):
    # when the director drills into 120 created tickets
    response = director_client.get("/kpis/drill/", DAY)
    # then the first 50 are shown, and the page says how many there are
    assert response.status_code == 200
    assert _pks(response) == tickets[:50]
    html = response.content.decode()
    assert response.context["total"] == 120
    assert '<span id="drill-range">1–50 of 120 · page 1 of 3</span>' in html
    assert 'id="drill-prev"' not in html
    (next_href,) = re.findall(r'<a href="([^"]+)" hx-get="[^"]+"[^>]*id="drill-next"', html)
    assert "page=2" in next_href
    assert next_href.startswith("/kpis/drill/?")
    assert html.count("<tr>") == 1 + 50  # the header and 50 rows
    # and the export link has every ticket, not this page's
    (export,) = re.findall(r'<a href="([^"]+)" id="drill-export">Export all 120 \(CSV\)</a>', html)
    assert "page=" not in export


@time_machine.travel(NOW, tick=False)
def test_page_two_by_htmx_swaps_only_the_results(tickets, director_client):
    # when the director follows "Next" with htmx
    response = director_client.get("/kpis/drill/", {**DAY, "page": 2}, HTTP_HX_REQUEST="true")
    # then only the results region comes back, with tickets 51-100
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="drill-results">')
    assert "<html" not in html
    assert _pks(response) == tickets[50:100]
    assert '<span id="drill-range">51–100 of 120 · page 2 of 3</span>' in html
    (prev_href,) = re.findall(r'<a href="([^"]+)"[^>]*id="drill-prev"', html)
    assert "page=" not in prev_href  # page 1 is the plain drill-down URL
    (next_href,) = re.findall(r'<a href="([^"]+)"[^>]*id="drill-next"', html)
    assert "page=3" in next_href
    assert "HX-Request" in response["Vary"]


@time_machine.travel(NOW, tick=False)
def test_last_page_and_out_of_range_pages(tickets, director_client):
    last = director_client.get("/kpis/drill/", {**DAY, "page": 3})
    assert _pks(last) == tickets[100:]
    assert 'id="drill-next"' not in last.content.decode()
    assert _pks(director_client.get("/kpis/drill/", {**DAY, "page": 99})) == tickets[100:]
    assert _pks(director_client.get("/kpis/drill/", {**DAY, "page": "x"})) == tickets[:50]


@time_machine.travel(NOW, tick=False)
def test_csv_export_of_a_paginated_drill_is_complete(tickets, director_client):
    # given page 2 of the drill-down
    page = director_client.get("/kpis/drill/", {**DAY, "page": 2}).content.decode()
    (export,) = re.findall(r'<a href="([^"]+)" id="drill-export">', page)
    # when the director exports from it
    response = director_client.get(export.replace("&amp;", "&"))
    # then every ticket behind the figure is in the file
    assert response.status_code == 200
    assert _csv_pks(response) == tickets


@time_machine.travel(NOW, tick=False)
def test_csv_export_of_a_chart_bar_has_that_bar_s_tickets(tickets, director_client):
    # given a two-day range and the drill-down of its first day's bar
    drill = director_client.get("/kpis/drill/", {**TWO_DAYS, "bucket": "2026-03-02"})
    assert drill.context["total"] == 120
    (export,) = re.findall(r'<a href="([^"]+)" id="drill-export">', drill.content.decode())
    # then the export has that day's 120 tickets, not the range's 122
    response = director_client.get(export.replace("&amp;", "&"))
    assert _csv_pks(response) == tickets


def test_small_drill_has_no_pager(director_client, team):
    at("2026-03-02T09:00:00+00:00", lambda: make_ticket(team))
    at("2026-03-04T11:00:00+00:00", catch_up)
    with time_machine.travel(NOW, tick=False):
        response = director_client.get("/kpis/drill/", DAY)
    assert response.context["total"] == 1
    assert 'id="drill-pager"' not in response.content.decode()
