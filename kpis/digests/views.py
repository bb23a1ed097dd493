"""The digest panel of the dashboard (subscribe, unsubscribe, preview; htmx, and plain forms
without JS) and the mail's unsubscribe link (signed, no login)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from csops import permissions
from csops.errors import DomainError
from csops.htmx import domain_errors
from kpis.digests import services
from kpis.digests.forms import DigestForm


def _panel(request: HttpRequest, form: DigestForm | None = None, status: int = 200):
    context = {
        "digest_form": form or DigestForm(user=request.user),
        "subscriptions": services.subscriptions_of(request.user),
    }
    template = "kpis/digests/page.html#panel" if request.htmx else "kpis/digests/page.html"
    return render(request, template, context, status=status)


def _done(request: HttpRequest, text: str) -> HttpResponse:
    messages.success(request, text)
    return _panel(request) if request.htmx else redirect("kpis:digests")


@require_http_methods(["GET"])
@domain_errors
def digests(request: HttpRequest) -> HttpResponse:
    permissions.ensure_can_view_dashboard(request.user)
    return _panel(request)


@require_http_methods(["POST"])
@domain_errors
def subscribe(request: HttpRequest) -> HttpResponse:
    permissions.ensure_can_view_dashboard(request.user)
    form = DigestForm(request.POST, user=request.user)
    if not form.is_valid():
        return _panel(request, form, status=422)
    data = form.cleaned_data
    try:
        sub = services.subscribe(
            by=request.user,
            cadence=data["cadence"],
            teams=[t.pk for t in data["teams"]],
            business_hours=data["hours"] == "business",
        )
    except DomainError as exc:
        if exc.status == 403:
            raise
        form.add_error(None, exc.detail)
        return _panel(request, form, status=422)
    return _done(request, f"Subscribed: your {sub.get_cadence_display().lower()} KPI digest.")


@require_http_methods(["POST"])
@domain_errors
def unsubscribe(request: HttpRequest, pk: int) -> HttpResponse:
    permissions.ensure_can_view_dashboard(request.user)
    sub = services.unsubscribe(pk, by=request.user)
    return _done(request, f"Unsubscribed from your {sub.get_cadence_display().lower()} digest.")


@require_http_methods(["POST"])
@domain_errors
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    permissions.ensure_can_view_dashboard(request.user)
    message = services.send_preview(pk, by=request.user)
    return _done(request, f"A preview is on its way to {message.recipients[0]}.")


@login_not_required
@csrf_exempt  # the signed token is the key; mail providers' one-click POST has no CSRF token
@require_http_methods(["GET", "POST"])
@domain_errors
def unsubscribe_link(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks to confirm (mail scanners follow links); POST unsubscribes (also RFC 8058's
    one-click ``List-Unsubscribe=One-Click``)."""
    if request.method == "GET":
        sub = services.subscription_for_token(token)
        return render(request, "kpis/digests/unsubscribe.html", {"sub": sub, "done": False})
    sub = services.unsubscribe_by_token(token)
    return render(request, "kpis/digests/unsubscribe.html", {"sub": sub, "done": True})
