"""The workspace's knowledge panel: suggested articles for the ticket, inserting an article's
link or text into the reply box, and "this answered it" (linking the article to the ticket)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from csops import permissions
from csops.errors import InvalidInput
from csops.htmx import domain_errors
from policies.knowledge import selectors as knowledge
from policies.knowledge import services as knowledge_services
from policies.knowledge.models import Visibility
from tickets.forms import ReplyForm
from tickets.knowledge.selectors import suggested_articles


class InsertForm(forms.Form):
    article = forms.IntegerField(min_value=1)
    mode = forms.ChoiceField(choices=[("link", "link"), ("text", "text")])
    body = forms.CharField(required=False, strip=False)  # what the reply box holds now


class LinkForm(forms.Form):
    article = forms.IntegerField(min_value=1)


def _panel(request: HttpRequest, ticket, status: int = 200) -> HttpResponse:
    context = {
        "ticket": ticket,
        "suggestions": suggested_articles(ticket, request.user),
        "linked": knowledge.linked_articles(ticket.pk),
    }
    template = (
        "knowledge/ticket_articles.html#panel"
        if request.htmx
        else ("knowledge/ticket_articles.html")
    )
    return render(request, template, context, status=status)


@require_GET
@domain_errors
def ticket_articles(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = permissions.access_ticket(request.user, pk)
    return _panel(request, ticket)


def _public_article(user, pk: int):
    """An article a rep may put in a reply to a customer: live and public."""
    article = permissions.access_article(user, pk)
    if not (article.is_live and article.visibility == Visibility.PUBLIC):
        raise InvalidInput(
            "Only published public articles go into a reply to a customer.",
            fields={"article": ["This article is internal."]},
        )
    return article


@require_GET
@domain_errors
def ticket_article_insert(request: HttpRequest, pk: int) -> HttpResponse:
    """Append a public article's link or text to the reply box (htmx swaps the textarea);
    without JS the page shows the reply form filled in."""
    ticket = permissions.access_ticket(request.user, pk)
    form = InsertForm(request.GET)
    if not form.is_valid():
        raise InvalidInput("Choose an article.", fields=form.errors.get_json_data())
    article = _public_article(request.user, form.cleaned_data["article"])
    url = request.build_absolute_uri(reverse("help:article", args=[article.slug]))
    if form.cleaned_data["mode"] == "link":
        addition = f"{article.title}: {url}"
    else:
        addition = f"{article.body_text}\n\n({url})"
    current = form.cleaned_data["body"].rstrip()
    body = f"{current}\n\n{addition}" if current else addition
    reply_form = ReplyForm(initial={"body": body, "kind": "public", "version": ticket.version})
    context = {"ticket": ticket, "article": article, "reply_form": reply_form}
    template = (
        "knowledge/article_insert.html#fill" if request.htmx else ("knowledge/article_insert.html")
    )
    return render(request, template, context)


@require_POST
@domain_errors
def ticket_article_link(request: HttpRequest, pk: int) -> HttpResponse:
    """ "This answered it"."""
    ticket = permissions.access_ticket(request.user, pk)
    form = LinkForm(request.POST)
    if not form.is_valid():
        raise InvalidInput("Choose an article.", fields=form.errors.get_json_data())
    link = knowledge_services.link_to_ticket(
        form.cleaned_data["article"], ticket_id=ticket.pk, by=request.user
    )
    messages.success(request, f"Linked “{link.article.title}” to this ticket.")
    if not request.htmx:
        return redirect("tickets:ticket-detail", pk=pk)
    return _panel(request, ticket)
