"""The knowledge-base API (/api/v1/articles/, /api/v1/article-sections/,
/api/v1/article-feedback/). Reads are scoped like the pages; writes call the knowledge
services. An article's review, approval and publication go through its document's versions
(/api/v1/policies/<document>/versions/…), the one lifecycle."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from csops import permissions
from csops.api_schema import error_responses
from csops.errors import NotAllowed, NotFound
from policies.api.serializers_documents import VersionSerializer
from policies.knowledge import selectors, services
from policies.knowledge.api import serializers as s
from policies.knowledge.models import Article, ArticleFeedback, ArticleSection


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100


def _pk(value: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound(f"Article #{value} does not exist.") from None


@extend_schema_view(list=extend_schema(summary="Sections of the knowledge base"))
class SectionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.SectionSerializer
    queryset = ArticleSection.objects.select_related("category")
    pagination_class = Pagination


@extend_schema_view(
    list=extend_schema(
        summary="Articles you may read (q: full-text search)",
        parameters=[OpenApiParameter("q", str, description="Search words")],
    ),
    retrieve=extend_schema(responses={200: s.ArticleSerializer, **error_responses(404)}),
)
class ArticleViewSet(viewsets.GenericViewSet):
    serializer_class = s.ArticleSerializer
    pagination_class = Pagination
    queryset = Article.objects.none()
    lookup_value_regex = "[^/]+"

    def _scoped(self):
        return permissions.scope_articles(
            self.request.user, Article.objects.select_related("section__category")
        )

    def list(self, request: Request) -> Response:
        query = request.query_params.get("q", "").strip()
        rows = (
            selectors.search(self._scoped(), query, limit=100)
            if query
            else (self._scoped().order_by("section__category__position", "section__name", "title"))
        )
        page = self.paginate_queryset(rows)
        data = s.ArticleSerializer(page, many=True, context={"request": request}).data
        return self.get_paginated_response(data)

    def retrieve(self, request: Request, pk: str) -> Response:
        article = permissions.access_article(request.user, _pk(pk))
        return Response(s.ArticleSerializer(article, context={"request": request}).data)

    @extend_schema(
        request=s.ArticleInput,
        responses={201: VersionSerializer, **error_responses(400, 403, 422)},
        summary="Write a new article (its first draft; publish it through its document)",
    )
    def create(self, request: Request) -> Response:
        data = s.ArticleInput(data=request.data)
        data.is_valid(raise_exception=True)
        version = services.create_article(by=request.user, **data.validated_data)
        return Response(VersionSerializer(version).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=s.ArticleSettingsInput,
        responses={200: s.ArticleSerializer, **error_responses(400, 403, 404, 422)},
        summary="Move an article or change its visibility",
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        data = s.ArticleSettingsInput(data=request.data)
        data.is_valid(raise_exception=True)
        article = services.update_article(_pk(pk), by=request.user, **data.validated_data)
        return Response(s.ArticleSerializer(article, context={"request": request}).data)

    @extend_schema(
        request=s.SuggestInput,
        responses={201: VersionSerializer, **error_responses(400, 404, 409, 422)},
        summary="Suggest an edit (it becomes a draft for the article's owner)",
    )
    @action(detail=True, methods=["post"])
    def suggest(self, request: Request, pk: str) -> Response:
        data = s.SuggestInput(data=request.data)
        data.is_valid(raise_exception=True)
        version = services.suggest_edit(_pk(pk), by=request.user, **data.validated_data)
        return Response(VersionSerializer(version).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        summary="Help-center feedback, newest first (managers and above; article filter)",
        parameters=[OpenApiParameter("article", int)],
    )
)
class FeedbackViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.FeedbackSerializer
    pagination_class = Pagination
    queryset = ArticleFeedback.objects.none()

    def get_queryset(self):
        if not permissions.can_write_articles(self.request.user):
            raise NotAllowed("Feedback is for the managers who write articles.")
        qs = ArticleFeedback.objects.select_related("article").order_by("-at", "-pk")
        article = self.request.query_params.get("article", "")
        return qs.filter(article_id=int(article)) if article.isdigit() else qs
