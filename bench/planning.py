"""Planning benchmark: the forecast + requirement page of one team, 12 weeks ahead.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/csops_bench_1m \\
        .venv/bin/python bench/planning.py [--requests 100] [--team-slug tier-1-support]

Needs the arrivals folded (``manage.py fold_arrivals``; the script runs it first). Prints:
- in-process: the fold's time, and one cold forecast (no cache: reads the team's half-hour
  rows for 12 weeks, fits and backtests each channel) and one cold requirement;
- under gunicorn (bench/run_web.py's server, 2 workers, as the demo ``director``): p50/p95 of
  the page with its settings (the forecast cached per worker after the warm-up), and of
  what-if changes, each request with an AHT and shrinkage not asked before (so the Erlang C
  memo is cold for the phone/chat volumes): as a whole page (a what-if link opened), and as
  the page's own controls ask (htmx: ``HX-Request``, the results section only). Goals
  (issue 16): page p95 ≤ 300 ms at 1M tickets, what-if ≤ 150 ms.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from run_web import Session, free_port, login, percentile, start_server, timed  # noqa: E402


def show(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def in_process(slug: str) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csops.settings")
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection

    from kpis.forecast.fold import fold_arrivals
    from staffing.models import Team
    from staffing.planning import selectors
    from tickets.models import Ticket

    t = time.perf_counter()
    span = fold_arrivals(settle=False)
    show(f"fold_arrivals: {span:,} event ids in {time.perf_counter() - t:.1f} s")
    show(f"tickets: {Ticket.objects.count():,}")
    team = Team.objects.get(slug=slug)
    cache.clear()
    t = time.perf_counter()
    figures = selectors.team_demand(team)
    cold = (time.perf_counter() - t) * 1000
    t = time.perf_counter()
    plan = selectors.team_plan(team, figures=figures)
    req = (time.perf_counter() - t) * 1000
    channels = ", ".join(
        f"{ch} {c['backtest']['model_wape']:.1%} vs {c['backtest']['naive_wape']:.1%}"
        for ch, c in figures["channels"].items()
        if c["backtest"] and c["backtest"]["model_wape"] is not None
    )
    show(f"team {team.name}: cold forecast {cold:.0f} ms, cold requirement {req:.0f} ms")
    b = figures["backtest"]
    if b and b["model_wape"] is not None:
        show(f"backtest WAPE all: model {b['model_wape']:.1%}, naive {b['naive_wape']:.1%}")
    show(f"per channel (model vs naive): {channels}")
    show(f"12-week agent-hours {plan.total_agent_hours:,.0f}, average FTE {plan.average_fte:.1f}")
    connection.close()
    return team.pk


def run(port: int, cookies: dict, paths: list[str], extra: dict | None = None) -> dict:
    session = Session(port, cookies)
    ms = []
    for path in paths:
        elapsed, status, _ = timed(session, path, extra)
        if status != 200:
            raise SystemExit(f"GET {path} answered {status}")
        ms.append(elapsed * 1000)
    session.close()
    ms.sort()
    return {"p50": percentile(ms, 0.50), "p95": percentile(ms, 0.95), "n": len(ms)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--team-slug", default="tier-1-support")
    args = parser.parse_args()
    url = os.environ["DATABASE_URL"]
    team_id = in_process(args.team_slug)
    port = free_port()
    server = start_server(port, url)
    try:
        cookies = login(port, "director")
        page = f"/staff/planning/{team_id}/"
        run(port, cookies, [page] * 6)  # warm-up: both workers cache the forecast
        r = run(port, cookies, [page] * args.requests)
        show(f"page (settings)      p50 {r['p50']:7.1f} ms  p95 {r['p95']:7.1f} ms  n={r['n']}")
        what_ifs = [
            f"{page}?aht_phone={200 + i}&aht_chat={300 + i}&shrinkage={20 + (i % 40) / 2}"
            for i in range(args.requests)
        ]
        r = run(port, cookies, what_ifs)
        show(f"what-if (cold Erlang) p50 {r['p50']:7.1f} ms  p95 {r['p95']:7.1f} ms  n={r['n']}")
        htmx = [
            f"{page}?aht_phone={400 + i}&aht_chat={600 + i}&shrinkage={20 + (i % 40) / 2}"
            for i in range(args.requests)
        ]
        r = run(port, cookies, htmx, {"HX-Request": "true"})
        show(f"what-if (htmx, cold)  p50 {r['p50']:7.1f} ms  p95 {r['p95']:7.1f} ms  n={r['n']}")
        show("load average " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
