"""The public pages: the contact form and the customer portal (no login, no staff navigation).

A portal page reads the address of the session a magic link opened (``links.session_email``)
and asks ``selectors`` for that address's requests only: another customer's request is a
404. Posts are rate limited per IP address and per email address (django-ratelimit, counted
in the cache); a refused post answers the 429 page.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from csops import public_notices
from csops.errors import DomainError
from policies.knowledge import services as knowledge
from tickets.attachments.views import file_response
from tickets.models import Channel
from tickets.portal import links, selectors, services
from tickets.portal.forms import ContactForm, NewRequestForm, ReplyForm, SignInForm
from tickets.services import surveys


def _page(
    request: HttpRequest, template: str, context: dict | None = None, status: int = 200
) -> HttpResponse:
    """Render a public page; the header shows who the portal session is for."""
    context = {
        "portal_email": links.session_email(request),
        # An open public incident's notice (csops.public_notices) on every customer page.
        "notices": public_notices.current(),
        **(context or {}),
    }
    return render(request, template, context, status=status)


def _email_key(group: str, request: HttpRequest) -> str:
    return links.normalize(request.POST.get("email", ""))[:254] or "-"


def _session_key(group: str, request: HttpRequest) -> str:
    return links.session_email(request) or "-"


def _limited(request: HttpRequest, group: str, **rates: str) -> bool:
    """Count this post against each rate (``ip``, ``email``, ``session``); True when any is
    over. Every counter is incremented, so a refused flood keeps being refused."""
    keys: dict[str, str | Callable[[str, HttpRequest], str]] = {
        "ip": "ip",
        "email": _email_key,
        "session": _session_key,
    }
    over = False
    for name, rate in rates.items():
        over |= is_ratelimited(
            request, group=f"{group}:{name}", key=keys[name], rate=rate, increment=True
        )
    return over


def rate_limited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, "portal/rate_limited.html", status=429)


def _form_error(form, exc: DomainError) -> None:
    for field, errors in exc.fields.items():
        form.add_error(field if field in form.fields else None, errors)
    if not exc.fields:
        form.add_error(None, str(exc))


# --- Contact form ---------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def contact(request: HttpRequest) -> HttpResponse:
    form = ContactForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if _limited(
            request,
            "contact",
            ip=settings.CONTACT_RATE_PER_IP,
            email=settings.CONTACT_RATE_PER_EMAIL,
        ):
            return rate_limited(request)
        if form.is_valid():
            if form.is_bot():  # the same answer, nothing recorded
                return _page(request, "portal/contact_sent.html")
            data = form.cleaned_data
            try:
                services.open_request(
                    email=data["email"],
                    name=data["name"],
                    subject=data["subject"],
                    message=data["message"],
                    category=data["category"],
                    channel=Channel.WEB,
                    attachments=data["attachments"],
                )
            except DomainError as exc:
                _form_error(form, exc)
            else:
                # The articles this visit read were not enough: not a deflected contact.
                knowledge.mark_visit_submitted(request.POST.get("visit", ""))
                return _page(request, "portal/contact_sent.html")
        visit = request.POST.get("visit", "")[:40]
        context = {"form": form, "deflection_visit": visit}
        return _page(request, "portal/contact.html", context, status=422)
    context = {"form": form, "deflection_visit": secrets.token_urlsafe(12)}
    return _page(request, "portal/contact.html", context)


# --- Portal ----------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET"])
def home(request: HttpRequest) -> HttpResponse:
    email = links.session_email(request)
    if email is None:
        return _page(request, "portal/sign_in.html", {"form": SignInForm()})
    context = {"email": email, "requests": selectors.requests_of(email)}
    return _page(request, "portal/home.html", context)


@never_cache
@require_POST
def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST)
    if _limited(
        request,
        "portal-link",
        ip=settings.PORTAL_LINK_RATE_PER_IP,
        email=settings.PORTAL_LINK_RATE_PER_EMAIL,
    ):
        return rate_limited(request)
    if not form.is_valid():
        return _page(request, "portal/sign_in.html", {"form": form}, status=422)
    if not form.is_bot():
        services.send_sign_in_link(form.cleaned_data["email"])
    return _page(request, "portal/link_sent.html", {"email": form.cleaned_data["email"]})


@never_cache
@require_http_methods(["GET"])
def follow_link(request: HttpRequest, token: str) -> HttpResponse:
    try:
        email, ticket_id = links.read_token(token)
    except DomainError as exc:
        context = {"error": exc, "form": SignInForm()}
        return _page(request, "portal/link_refused.html", context, status=exc.status)
    links.open_session(request, email)
    messages.success(request, f"Signed in as {email}.")
    if ticket_id is not None and selectors.request_for(email, ticket_id) is not None:
        return redirect("portal:request", pk=ticket_id)
    return redirect("portal:home")


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    links.close_session(request)
    messages.success(request, "You are signed out.")
    return redirect("portal:home")


def _portal_email(request: HttpRequest) -> str | None:
    return links.session_email(request)


@never_cache
@require_http_methods(["GET"])
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    email = _portal_email(request)
    if email is None:
        return redirect("portal:home")
    ticket = selectors.request_for(email, pk)
    if ticket is None:
        raise Http404("No such request.")
    return _page(request, "portal/request.html", _request_context(ticket, ReplyForm()))


def _request_context(ticket, form) -> dict:
    invitation = selectors.survey_for(ticket) if ticket.is_resolved else None
    return {
        "ticket": ticket,
        "conversation": selectors.public_conversation(ticket),
        "opening_files": selectors.opening_files(ticket),
        "form": form,
        "survey_link": surveys.survey_link(invitation) if invitation else None,
    }


@never_cache
@require_POST
def request_reply(request: HttpRequest, pk: int) -> HttpResponse:
    email = _portal_email(request)
    if email is None:
        return redirect("portal:home")
    ticket = selectors.request_for(email, pk)
    if ticket is None:
        raise Http404("No such request.")
    if _limited(request, "portal-reply", session=settings.PORTAL_REPLY_RATE_PER_EMAIL):
        return rate_limited(request)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            answered = services.reply(
                email, ticket.pk, form.cleaned_data["body"], form.cleaned_data["attachments"]
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            if answered.pk != ticket.pk:
                messages.success(
                    request,
                    f"Request #{ticket.pk} was closed, so your answer opened "
                    f"request #{answered.pk}.",
                )
            else:
                messages.success(request, "Your answer was sent.")
            return redirect("portal:request", pk=answered.pk)
    return _page(request, "portal/request.html", _request_context(ticket, form), status=422)


@require_http_methods(["GET"])
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    """A file of the session's own requests, from a public message only (never a note's)."""
    email = _portal_email(request)
    if email is None:
        return redirect("portal:home")
    attachment = selectors.attachment_for(email, pk)
    if attachment is None:
        raise Http404("No such file.")
    return file_response(attachment)


@never_cache
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    email = _portal_email(request)
    if email is None:
        return redirect("portal:home")
    form = NewRequestForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if _limited(request, "portal-new", session=settings.CONTACT_RATE_PER_EMAIL):
            return rate_limited(request)
        if form.is_valid():
            data = form.cleaned_data
            try:
                ticket = services.open_request(
                    email=email,
                    name="",
                    subject=data["subject"],
                    message=data["message"],
                    category=data["category"],
                    channel=Channel.PORTAL,
                    attachments=data["attachments"],
                )
            except DomainError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, f"Your request #{ticket.pk} was sent.")
                return redirect("portal:request", pk=ticket.pk)
        return _page(request, "portal/request_new.html", {"form": form}, status=422)
    return _page(request, "portal/request_new.html", {"form": form})
