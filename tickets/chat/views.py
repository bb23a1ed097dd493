"""The chat channels pages (/tickets/chat/): managers (their teams) and directors list,
create, change and delete channels, see each one's deliveries and send a test message.
Every write is one call of ``tickets.chat.services``; access is checked there."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from csops import permissions
from csops.errors import NotAllowed
from csops.forms import save_form
from csops.htmx import domain_errors
from staffing.models import Team
from tickets.chat import services
from tickets.chat.forms import ChannelForm
from tickets.chat.models import ChatDelivery

DELIVERIES_SHOWN = 50


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def _teams(request: HttpRequest):
    scope = permissions.managed_team_scope(request.user)
    teams = Team.objects.order_by("name")
    return teams if scope is None else teams.filter(pk__in=scope)


@require_http_methods(["GET", "POST"])
@domain_errors
def chat_list(request: HttpRequest) -> HttpResponse:
    if not permissions.can_manage_chat(request.user):
        raise NotAllowed("Only managers and directors configure chat channels.")
    form = ChannelForm(request.POST or None, teams=_teams(request))
    if request.method == "POST":
        channel = save_form(form, lambda **v: services.create_channel(by=request.user, **v))
        if channel is not None:
            messages.success(request, f"Chat channel “{channel.name}” created.")
            return _redirect(request, reverse("tickets:chat-detail", args=[channel.pk]))
    channels = services.channels_for(request.user)
    status = 422 if form.errors else 200
    context = {"channels": channels, "form": form}
    return render(request, "tickets/chat_channels.html", context, status=status)


@require_http_methods(["GET", "POST"])
@domain_errors
def chat_detail(request: HttpRequest, pk: int) -> HttpResponse:
    channel = services.access_channel(request.user, pk)
    initial = {
        "team": channel.team_id,
        "name": channel.name,
        "kind": channel.kind,
        "url": channel.url,
        "events": channel.events,
        "active": channel.active,
    }
    form = ChannelForm(request.POST or None, initial=initial, teams=_teams(request))
    if request.method == "POST":
        saved = save_form(form, lambda **v: services.update_channel(pk, by=request.user, **v))
        if saved is not None:
            messages.success(request, f"Chat channel “{saved.name}” saved.")
            return _redirect(request, reverse("tickets:chat-detail", args=[pk]))
    deliveries = ChatDelivery.objects.filter(channel=channel)[:DELIVERIES_SHOWN]
    context = {"channel": channel, "form": form, "deliveries": deliveries}
    status = 422 if form.errors else 200
    return render(request, "tickets/chat_channel_detail.html", context, status=status)


@require_POST
@domain_errors
def chat_test(request: HttpRequest, pk: int) -> HttpResponse:
    services.send_test(pk, by=request.user)
    messages.success(request, "Test message queued: it shows below once sent.")
    return _redirect(request, reverse("tickets:chat-detail", args=[pk]))


@require_POST
@domain_errors
def chat_delete(request: HttpRequest, pk: int) -> HttpResponse:
    services.delete_channel(pk, by=request.user)
    messages.success(request, f"Chat channel #{pk} deleted.")
    return _redirect(request, reverse("tickets:chat-list"))
