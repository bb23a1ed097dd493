from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django.views.defaults import page_not_found
from django.views.defaults import server_error as django_server_error

from csops.celery import app as celery_app
from csops.jobs import oldest_due_age
from csops.models import Heartbeat, Job, Notification


def _check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return {"ok": True, "vendor": connection.vendor}
    except Exception as exc:  # noqa: BLE001 - health reports any failure
        return {"ok": False, "error": str(exc)[:200]}


def _check_broker() -> dict:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return {"ok": True, "transport": conn.transport_cls}
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "error": str(exc)[:200]}


def _check_workers(database_ok: bool) -> dict:
    if not database_ok:
        return {"ok": False, "error": "database unavailable"}
    beat = Heartbeat.objects.filter(component="worker").first()
    if beat is None:
        return {"ok": False, "last_heartbeat": None, "error": "no worker has reported yet"}
    age = (timezone.now() - beat.seen_at).total_seconds()
    stale = timedelta(seconds=settings.WORKER_STALE_AFTER_SECONDS).total_seconds()
    return {
        "ok": age <= stale,
        "last_heartbeat": beat.seen_at.isoformat(),
        "age_seconds": round(age, 1),
    }


def _check_jobs(database_ok: bool) -> dict:
    """Durable jobs: how long the oldest due job has waited (a stuck queue shows here even
    when a worker still heartbeats), and how many gave up after their last attempt."""
    if not database_ok:
        return {"ok": False, "error": "database unavailable"}
    age = oldest_due_age()
    return {
        "ok": age is None or age <= settings.JOB_STALE_AFTER_SECONDS,
        "oldest_due_age_seconds": None if age is None else round(age, 1),
        "failed": Job.objects.filter(state=Job.State.FAILED).count(),
    }


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    database = _check_database()
    checks = {
        "database": database,
        "broker": _check_broker(),
        "workers": _check_workers(database["ok"]),
        "jobs": _check_jobs(database["ok"]),
    }
    healthy = all(c["ok"] for c in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unhealthy", **checks}, status=200 if healthy else 503
    )


@require_GET
def ping(request: HttpRequest) -> HttpResponse:
    """Trivial authenticated view: session keep-alive, and the baseline the benchmarks print."""
    return HttpResponse("pong", content_type="text/plain")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404 for every unknown URL: JSON under /api/, the plain page elsewhere."""
    if request.path.startswith("/api/"):
        body = {"error": "not_found", "detail": "No such API endpoint.", "fields": {}}
        return JsonResponse(body, status=404)
    return page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """500: JSON under /api/ (clients parse every answer), the plain page elsewhere."""
    if request.path.startswith("/api/"):
        body = {"error": "server_error", "detail": "Internal error; try again.", "fields": {}}
        return JsonResponse(body, status=500)
    return django_server_error(request)


@require_GET
def notifications(request: HttpRequest) -> HttpResponse:
    items = Notification.objects.filter(user=request.user)[:100]
    return render(request, "notifications.html", {"items": items})


@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    """Mark all (or one, with ``id``) of the user's notices read."""
    qs = Notification.objects.filter(user=request.user, read_at__isnull=True)
    if request.POST.get("id"):
        try:
            qs = qs.filter(pk=int(request.POST["id"]))
        except ValueError:
            return HttpResponseBadRequest("id must be a number")
    qs.update(read_at=timezone.now())
    return redirect("notifications")
