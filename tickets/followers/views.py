"""The public doors of following (no login, under /contact/): ask to follow an open public
incident, confirm by the mailed link, unfollow from any update's link (a GET shows a button;
a POST unfollows, also as RFC 8058's one-click POST a mail client sends without a page)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from csops.errors import DomainError, NotFound
from tickets.followers import services
from tickets.followers.forms import FollowForm
from tickets.portal.views import _limited, _page, rate_limited


def _refused(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return _page(request, "portal/follow_refused.html", {"error": exc}, status=exc.status)


@never_cache
@require_POST
def follow(request: HttpRequest, pk: int) -> HttpResponse:
    if _limited(
        request,
        "incident-follow",
        ip=settings.FOLLOW_RATE_PER_IP,
        email=settings.FOLLOW_RATE_PER_EMAIL,
    ):
        return rate_limited(request)
    form = FollowForm(request.POST)
    try:
        incident = services.followable(pk)
    except NotFound as exc:
        return _refused(request, exc)
    if not form.is_valid():
        context = {"form": form, "incident": incident}
        return _page(request, "portal/follow.html", context, status=422)
    if not form.is_bot():  # the same answer, nothing sent
        services.request_follow(incident.pk, form.cleaned_data["email"])
    context = {"incident": incident, "email": form.cleaned_data["email"]}
    return _page(request, "portal/follow_sent.html", context)


@never_cache
@require_http_methods(["GET"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        follower = services.confirm(token)
    except DomainError as exc:
        return _refused(request, exc)
    return _page(request, "portal/follow_confirmed.html", {"follower": follower})


@csrf_exempt  # the signed token is the key; mail clients one-click POST without a page
@never_cache
@require_http_methods(["GET", "POST"])
def unfollow(request: HttpRequest, token: str) -> HttpResponse:
    try:
        if request.method == "POST":
            follower = services.unfollow(token)
        else:
            follower = services.follower_of(token)
    except DomainError as exc:
        return _refused(request, exc)
    return _page(request, "portal/unfollow.html", {"follower": follower, "token": token})
