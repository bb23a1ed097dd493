from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from csops.models import Notification
from csops.permissions import role_of
from csops.roles import Role

# (label, url name, minimum roles that see it)
_NAV = [
    ("Queue", "tickets:queue", {Role.REP, Role.MANAGER, Role.DIRECTOR, Role.ADMIN}),
    ("New ticket", "tickets:ticket-new", {Role.REP, Role.MANAGER, Role.DIRECTOR, Role.ADMIN}),
    ("Customers", "customers:customer-list", {Role.REP, Role.MANAGER, Role.DIRECTOR, Role.ADMIN}),
    ("Policies", "policies:document-list", {Role.REP, Role.MANAGER, Role.DIRECTOR, Role.ADMIN}),
    ("Knowledge", "knowledge:article-list", {Role.REP, Role.MANAGER, Role.DIRECTOR, Role.ADMIN}),
    ("Macros", "policies:macro-list", {Role.MANAGER, Role.DIRECTOR, Role.ADMIN}),
    ("SLA", "policies:sla-policy-list", {Role.MANAGER, Role.DIRECTOR, Role.ADMIN}),
    ("Staff", "staffing:home", {Role.REP, Role.MANAGER, Role.DIRECTOR, Role.ADMIN}),
    ("Escalations", "tickets:escalation-board", {Role.MANAGER, Role.DIRECTOR, Role.ADMIN}),
    ("Incidents", "tickets:incident-list", {Role.MANAGER, Role.DIRECTOR, Role.ADMIN}),
    ("Routing", "tickets:routing-board", {Role.MANAGER, Role.DIRECTOR, Role.ADMIN}),
    ("Dashboard", "kpis:dashboard", {Role.MANAGER, Role.DIRECTOR, Role.ADMIN}),
    ("Goals", "kpis:goals", {Role.MANAGER, Role.DIRECTOR, Role.ADMIN}),
    ("Planning", "staffing:planning", {Role.MANAGER, Role.DIRECTOR, Role.ADMIN}),
    ("Hiring", "staffing:hiring", {Role.MANAGER, Role.DIRECTOR, Role.ADMIN}),
    ("Budget", "staffing:budget-home", {Role.MANAGER, Role.DIRECTOR, Role.ADMIN}),
    ("Schedules", "staffing:schedules", {Role.REP, Role.MANAGER, Role.DIRECTOR, Role.ADMIN}),
    ("Webhooks", "tickets:webhook-list", {Role.DIRECTOR, Role.ADMIN}),
    ("Chat", "tickets:chat-list", {Role.MANAGER, Role.DIRECTOR, Role.ADMIN}),
    ("Admin", "admin:index", {Role.ADMIN}),
    ("API", "api-docs", {Role.REP, Role.MANAGER, Role.DIRECTOR, Role.ADMIN}),
]


def navigation(request: HttpRequest) -> dict:
    role = role_of(request.user) if hasattr(request, "user") else None
    if role is None:
        return {"nav": [], "role": None}
    items = [
        {"label": label, "url": reverse(name), "active": False}
        for label, name, roles in _NAV
        if role in roles
    ]
    # The current page's item: the longest URL it lies under (/staffing/budget/ is Budget's,
    # not also Staff's).
    under = [i for i in items if request.path.startswith(i["url"]) and i["url"] != "/"]
    if under:
        max(under, key=lambda i: len(i["url"]))["active"] = True
    unread = Notification.objects.filter(user=request.user, read_at__isnull=True).count()
    return {"nav": items, "role": role, "unread_notifications": unread}
