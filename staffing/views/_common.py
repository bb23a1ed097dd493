from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django_htmx.http import HttpResponseClientRedirect

from csops.errors import InvalidInput


def apply_errors(form: forms.Form, exc: InvalidInput) -> None:
    """Show a service's field errors next to the form's fields (the rest above the form)."""
    for name, messages in exc.fields.items():
        for message in messages:
            form.add_error(name if name in form.fields else None, message)
    if not exc.fields:
        form.add_error(None, exc.detail)


def go(request: HttpRequest, url: str) -> HttpResponse:
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def today():
    return timezone.localdate()
