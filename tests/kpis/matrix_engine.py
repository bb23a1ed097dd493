"""Permission rows of the KPI engine's API (kpis/api/urls.py)."""

from __future__ import annotations

from kpis.refresh import refresh_tickets
from tests.factories import make_ticket
from tests.matrix import Row, api_staff


def metrics_kwargs(ctx) -> dict:
    ticket = make_ticket(ctx["team"])
    refresh_tickets([ticket.pk])
    return {"id": ticket.pk}


ROWS: dict[str, Row] = {
    # Dashboards are for managers and directors (csops.permissions.can_view_dashboard).
    "kpis-api:summary": Row("get", api_staff(200, rep=403, rep_other_team=403)),
    "kpis-api:timeseries": Row("get", api_staff(200, rep=403, rep_other_team=403)),
    # A ticket's metrics follow the ticket's own scope.
    "kpis-api:ticket-metrics": Row(
        "get", api_staff(200, rep_other_team=404), kwargs=metrics_kwargs
    ),
}
