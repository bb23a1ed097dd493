"""KPI dashboard benchmark: p95 of the dashboard and KPI API under gunicorn, 1M ÷ 10k.

    .venv/bin/python bench/kpis_dashboard.py \\
        --db 10k=postgres://postgres@127.0.0.1:5432/csops_bench_10k \\
        --db 1m=postgres://postgres@127.0.0.1:5432/csops_bench_1m [--requests 200]

For each database (whose KPI rows were built, e.g. by bench/kpis_rebuild.py) it starts
gunicorn (bench/run_web.py's server and client), logs in as the demo ``director`` and times the
default view, one filtered view and a custom 90-day range, as the page (``/kpis/``) and as the
API. Prints p50/p95 per URL and database and, for two databases, the p95 ratio of the last
over the first. Goals (issue 6): the default and the filtered page p95 ≤ 110 ms at 1M and
1M ÷ 10k ≤ 1.3; the 90-day page p95 ≤ 1 s. The API rows have no goal of their own.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run_web import free_port, login, measure, start_server  # noqa: E402


def show(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def urls(team_id: int, today: datetime) -> list[tuple[str, str, tuple | None]]:
    """(name, path, goal: (p95 ms at 1M, 1M ÷ 10k ratio or None) or None)."""
    end = today.date()
    start90 = end - timedelta(days=89)
    filtered = f"team={team_id}&channel=email&priority=high"
    custom = f"start={start90}&end={end}"
    return [
        ("page default", "/kpis/", (110, 1.3)),
        ("page filtered", f"/kpis/?{filtered}", (110, 1.3)),
        ("page 90 days", f"/kpis/?{custom}", (1000, None)),
        ("api summary default", "/api/v1/kpis/summary/", None),
        ("api summary filtered", f"/api/v1/kpis/summary/?{filtered}", None),
        ("api summary 90 days", f"/api/v1/kpis/summary/?{custom}", None),
        (
            "api timeseries 90d week",
            f"/api/v1/kpis/timeseries/?{custom}&grain=week&metric=first_reply_median",
            None,
        ),
    ]


def first_team(database_url: str) -> int:
    import psycopg

    with psycopg.connect(database_url.replace("postgres://", "postgresql://")) as conn:
        row = conn.execute("SELECT min(id) FROM staffing_team").fetchone()
        return int(row[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", action="append", required=True, help="label=DATABASE_URL")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=5)
    args = parser.parse_args()
    today = datetime.now(UTC)
    results: dict[str, dict[str, dict]] = {}
    for spec in args.db:
        label, _, url = spec.partition("=")
        port = free_port()
        server = start_server(port, url)
        try:
            cookies = login(port, "director")
            results[label] = {}
            for name, path, _ in urls(first_team(url), today):
                r = measure(port, cookies, path, args.requests, args.warmup, 1)["sequential"]
                results[label][name] = r
                show(f"{label:>5} {name:<26} p50 {r['p50_ms']:8.1f} ms  p95 {r['p95_ms']:8.1f} ms")
        finally:
            server.terminate()
            server.wait(timeout=20)
    labels = list(results)
    if len(labels) >= 2:
        small, big = labels[0], labels[-1]
        show(f"\np95 {big} / p95 {small}; goal")
        for name, _, goal in urls(0, today):
            a, b = results[small][name]["p95_ms"], results[big][name]["p95_ms"]
            verdict = "(no goal)"
            if goal is not None:
                limit, ratio = goal
                met = b <= limit and (ratio is None or b / a <= ratio)
                want = f"<= {limit} ms" + (f", ratio <= {ratio}" if ratio else "")
                verdict = f"{want}: {'ok' if met else 'MISSED'}"
            show(f"{name:<26} {a:8.1f} -> {b:8.1f} ms  ratio {b / a:5.2f}  {verdict}")


if __name__ == "__main__":
    main()
