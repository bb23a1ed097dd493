"""Open public incidents as notices for the public pages (help center, contact form,
portal), handed over through ``csops.public_notices`` (registered in ``TicketsConfig``)."""

from __future__ import annotations

from django.db.models import Max
from django.urls import reverse

from csops.public_notices import PublicNotice
from tickets.models import Incident
from tickets.models.incidents import IncidentState


def open_public_incidents() -> list[PublicNotice]:
    incidents = Incident.objects.filter(state=IncidentState.OPEN, public=True).annotate(
        last_update=Max("updates__posted_at")
    )
    return [
        PublicNotice(
            title=i.title,
            summary=i.customer_update,
            status="Investigating" if i.last_update is None else "Update posted",
            since=i.declared_at,
            updated_at=i.last_update,
            follow_url=reverse("incident-follow", args=[i.pk]),
        )
        for i in incidents.order_by("-declared_at")[:3]
    ]
