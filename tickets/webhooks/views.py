"""The webhooks pages (/tickets/webhooks/): directors and admins list, create, change and
delete subscriptions, see each one's deliveries and attempts, and send a test event. Every
write is one call of ``tickets.webhooks.services``; access is checked there."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from csops import permissions
from csops.forms import save_form
from csops.htmx import domain_errors
from tickets.webhooks import services
from tickets.webhooks.forms import SubscriptionForm
from tickets.webhooks.models import WebhookDelivery, WebhookSubscription

DELIVERIES_SHOWN = 50


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@require_http_methods(["GET", "POST"])
@domain_errors
def webhook_list(request: HttpRequest) -> HttpResponse:
    permissions.ensure_can_manage_webhooks(request.user)
    form = SubscriptionForm(request.POST or None)
    if request.method == "POST":
        sub = save_form(form, lambda **v: services.create_subscription(by=request.user, **v))
        if sub is not None:
            messages.success(request, f"Webhook “{sub.name}” created.")
            return _redirect(request, reverse("tickets:webhook-detail", args=[sub.pk]))
    subs = WebhookSubscription.objects.select_related("owner")
    status = 422 if form.errors else 200
    return render(request, "tickets/webhooks.html", {"subs": subs, "form": form}, status=status)


@require_http_methods(["GET", "POST"])
@domain_errors
def webhook_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sub = services.access_subscription(request.user, pk)
    initial = {"name": sub.name, "url": sub.url, "events": sub.events, "active": sub.active}
    form = SubscriptionForm(request.POST or None, initial=initial)
    if request.method == "POST":
        saved = save_form(form, lambda **v: services.update_subscription(pk, by=request.user, **v))
        if saved is not None:
            messages.success(request, f"Webhook “{saved.name}” saved.")
            return _redirect(request, reverse("tickets:webhook-detail", args=[pk]))
    deliveries = (
        WebhookDelivery.objects.filter(subscription=sub)
        .select_related("event")
        .prefetch_related("attempt_log")[:DELIVERIES_SHOWN]
    )
    context = {"sub": sub, "form": form, "deliveries": deliveries}
    status = 422 if form.errors else 200
    return render(request, "tickets/webhook_detail.html", context, status=status)


@require_POST
@domain_errors
def webhook_test(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = services.send_test(pk, by=request.user)
    messages.success(request, f"Test event queued (delivery {delivery.uuid}).")
    return _redirect(request, reverse("tickets:webhook-detail", args=[pk]))


@require_POST
@domain_errors
def webhook_rotate_secret(request: HttpRequest, pk: int) -> HttpResponse:
    services.rotate_secret(pk, by=request.user)
    messages.success(request, "A new signing secret is in use; update the receiver.")
    return _redirect(request, reverse("tickets:webhook-detail", args=[pk]))


@require_POST
@domain_errors
def webhook_delete(request: HttpRequest, pk: int) -> HttpResponse:
    services.delete_subscription(pk, by=request.user)
    messages.success(request, f"Webhook #{pk} deleted.")
    return _redirect(request, reverse("tickets:webhook-list"))
