"""The public help center (no login): home with categories, a category's sections, article
pages with "was this helpful?" and related articles, search, images, and the contact form's
suggestions as the customer types. Only live public articles are ever reachable here."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from csops import public_notices
from csops.errors import DomainError
from csops.permissions import is_staff_member
from csops.ratelimits import over_limit
from policies.knowledge import selectors, services
from policies.knowledge.forms import FeedbackForm, SearchForm, SuggestForm
from policies.knowledge.models import Article, ArticleCategory, ArticleImage, HelpSearch

RATE_LIMITED = "Too many requests from your address: wait a minute and try again."


def _limited(request: HttpRequest) -> HttpResponse:
    return render(request, "help/limited.html", {"message": RATE_LIMITED}, status=429)


def _page(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    context = {"notices": public_notices.current(), "search_form": SearchForm(), **context}
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _public_article(slug: str) -> Article:
    """A live public article, else 404 (the same answer whether it is internal, a draft,
    retired or does not exist)."""
    article = selectors.public_articles().filter(slug=slug).first()
    if article is None:
        raise Http404("No such article.")
    return article


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return _page(request, "help/home.html", {"cards": selectors.help_home()})


@require_GET
def category(request: HttpRequest, slug: str) -> HttpResponse:
    cat = get_object_or_404(ArticleCategory, slug=slug)
    articles = (
        selectors.public_articles()
        .filter(section__category=cat)
        .order_by("section__position", "section__name", "title")
    )
    sections: dict = {}
    for article in articles:
        sections.setdefault(article.section, []).append(article)
    if not sections:
        raise Http404("No such category.")
    return _page(request, "help/category.html", {"category": cat, "sections": sections})


@require_GET
def article(request: HttpRequest, slug: str) -> HttpResponse:
    art = _public_article(slug)
    services.record_view(art)
    visit = request.GET.get("visit", "")
    if visit:  # opened from the contact form's suggestions
        services.record_deflection_read(visit, art)
    context = {
        "article": art,
        "body_html": mark_safe(art.body_html),  # noqa: S308 - sanitized by nh3 on write
        "related": selectors.related(art, selectors.public_articles()),
        "feedback_form": FeedbackForm(),
    }
    return _page(request, "help/article.html", context)


@require_POST
def feedback(request: HttpRequest, slug: str) -> HttpResponse:
    if over_limit(request, group="help-feedback", rate=settings.HELP_FEEDBACK_RATE):
        return _limited(request)
    art = _public_article(slug)
    form = FeedbackForm(request.POST)
    template = "help/article.html#feedback" if request.htmx else "help/article.html"
    context = {
        "article": art,
        "body_html": mark_safe(art.body_html),  # noqa: S308 - sanitized by nh3 on write
        "related": selectors.related(art, selectors.public_articles()),
    }
    if not form.is_valid():
        return _page(request, template, {**context, "feedback_form": form}, status=422)
    try:
        services.add_feedback(
            art, helpful=form.cleaned_data["helpful"], comment=form.cleaned_data["comment"]
        )
    except DomainError as exc:
        form.add_error("comment", exc.fields.get("comment", [exc.detail])[0])
        return _page(request, template, {**context, "feedback_form": form}, status=422)
    return _page(request, template, {**context, "thanks": True})


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    if over_limit(request, group="help-search", rate=settings.HELP_SEARCH_RATE):
        return _limited(request)
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    results = selectors.search(selectors.public_articles(), query) if query else []
    if query:
        services.log_search(query, len(results), HelpSearch.Source.HELP_CENTER)
    context = {"search_form": form, "query": query, "results": results}
    template = "help/search.html#results" if request.htmx else "help/search.html"
    return _page(request, template, context)


@require_GET
def suggest(request: HttpRequest) -> HttpResponse:
    """Deflection: articles for the subject a customer is typing on the contact form or the
    portal (``templates/help/_suggest.html`` is the include that calls this)."""
    if over_limit(request, group="help-search", rate=settings.HELP_SEARCH_RATE):
        return HttpResponse(status=429)
    form = SuggestForm(request.GET)
    subject = form.cleaned_data["subject"] if form.is_valid() else ""
    visit = form.cleaned_data["visit"] if form.is_valid() else ""
    results = selectors.suggest(selectors.public_articles(), subject) if subject else []
    if selectors.key_terms(subject):
        services.log_search(subject, len(results), HelpSearch.Source.DEFLECTION)
    response = render(
        request, "help/_suggestions.html", {"results": results, "visit": visit, "subject": subject}
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
def image(request: HttpRequest, key: str) -> HttpResponse | FileResponse:
    """An article image, by its unguessable key; served as the type read from its content.
    Anyone sees the images of live public articles; any other image (of an internal
    article, a draft, or not used yet) needs a staff login, whoever holds its link."""
    img = ArticleImage.objects.filter(key=key).first()
    if img is None:
        raise Http404("No such image.")
    public = selectors.image_is_public(img.key)
    if not public:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_staff_member(request.user):
            raise Http404("No such image.")
    response = FileResponse(img.file.open("rb"), content_type=img.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    if public:  # a staff member's answer is no-store (csops.middleware.NoStoreMiddleware)
        response["Cache-Control"] = "public, max-age=3600"
    return response
