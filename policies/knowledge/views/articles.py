"""Staff pages of the knowledge base: the article list, writing a new article, an article
with its settings, a rep's suggested edit, and image uploads. Review, approval, publication,
versions, diff and audit are the policy document pages (``policies:document-detail``)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from csops import permissions
from csops.errors import DomainError
from csops.htmx import domain_errors
from policies.knowledge import selectors, services
from policies.knowledge.forms import ArticleForm, ArticleSettingsForm, ImageForm, SuggestEditForm
from policies.knowledge.models import Article, HelpSearch
from policies.models import PolicyDocument, VersionState
from policies.selectors_documents import with_latest_state
from policies.views.documents import form_error


@require_GET
def article_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    query = request.GET.get("q", "").strip()[:200]
    scoped = permissions.scope_articles(user, Article.objects.select_related("section__category"))
    if query:
        articles = selectors.search(scoped, query, limit=100)
        services.log_search(query, len(articles), HelpSearch.Source.WORKSPACE)
    else:
        articles = list(scoped.order_by("section__category__position", "section__name", "title"))
    states = dict(
        with_latest_state(
            permissions.scope_policy_documents(user, _documents(articles))
        ).values_list("pk", "state_label")
    )
    for a in articles:
        a.state_label = states.get(a.document_id, "")
    context = {
        "articles": articles,
        "query": query,
        "can_write": permissions.can_write_articles(user),
    }
    return render(request, "knowledge/article_list.html", context)


def _documents(articles):
    return PolicyDocument.objects.filter(pk__in=[a.document_id for a in articles])


@require_http_methods(["GET", "POST"])
@domain_errors
def article_new(request: HttpRequest) -> HttpResponse:
    permissions.ensure_can_write_articles(request.user)
    template = "knowledge/article_form.html"
    form = ArticleForm(request.POST or None)
    if request.method == "GET" or not form.is_valid():
        status = 422 if request.method == "POST" else 200
        return render(request, template, {"form": form, "image_form": ImageForm()}, status=status)
    try:
        version = services.create_article(by=request.user, **form.cleaned_data)
    except DomainError as exc:
        return form_error(request, template, {"image_form": ImageForm()}, form, exc)
    messages.success(request, "Draft saved. Submit it for review when it is ready.")
    return redirect("policies:version-detail", pk=version.pk)


@require_GET
@domain_errors
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    article = permissions.access_article(request.user, pk)
    user = request.user
    can_write = permissions.can_write_articles(user)
    open_version = article.document.versions.exclude(
        state__in=[VersionState.PUBLISHED, VersionState.RETIRED]
    ).first()
    context = {
        "article": article,
        "body_html": mark_safe(article.body_html),  # noqa: S308 - sanitized by nh3 on write
        "can_write": can_write,
        "open_version": open_version,
        "settings_form": ArticleSettingsForm(
            initial={"section": article.section_id, "visibility": article.visibility}
        ),
        "image_form": ImageForm(),
    }
    return render(request, "knowledge/article_detail.html", context)


@require_POST
@domain_errors
def article_settings(request: HttpRequest, pk: int) -> HttpResponse:
    permissions.ensure_can_write_articles(request.user)
    form = ArticleSettingsForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a section and a visibility.")
        return redirect("knowledge:article-detail", pk=pk)
    services.update_article(pk, by=request.user, **form.cleaned_data)
    messages.success(request, "Article settings saved.")
    return redirect("knowledge:article-detail", pk=pk)


@require_http_methods(["GET", "POST"])
@domain_errors
def article_suggest(request: HttpRequest, pk: int) -> HttpResponse:
    article = permissions.access_article(request.user, pk)
    template = "knowledge/article_suggest.html"
    form = SuggestEditForm(request.POST or None, initial={"body": article.body_text})
    context = {"article": article}
    if request.method == "GET" or not form.is_valid():
        status = 422 if request.method == "POST" else 200
        return render(request, template, {**context, "form": form}, status=status)
    try:
        services.suggest_edit(pk, by=request.user, **form.cleaned_data)
    except DomainError as exc:
        return form_error(request, template, context, form, exc)
    messages.success(request, "Thanks: your suggestion is a draft for the article's owner.")
    return redirect("knowledge:article-detail", pk=pk)


@require_POST
@domain_errors
def image_upload(request: HttpRequest) -> HttpResponse:
    permissions.ensure_can_write_articles(request.user)
    form = ImageForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "knowledge/_image_result.html", {"form": form}, status=422)
    try:
        image = services.upload_image(
            by=request.user, upload=form.cleaned_data["file"], alt=form.cleaned_data["alt"]
        )
    except DomainError as exc:
        for message in exc.fields.get("file", [exc.detail]):
            form.add_error("file", message)
        return render(request, "knowledge/_image_result.html", {"form": form}, status=422)
    return render(request, "knowledge/_image_result.html", {"image": image, "form": ImageForm()})
