"""Serializers of the knowledge-base API (output shapes and input validation; no writes)."""

from __future__ import annotations

from django.contrib.auth.models import User
from rest_framework import serializers

from csops.roles import Role
from policies.knowledge.models import Article, ArticleFeedback, ArticleSection, Visibility

_REVIEWERS = User.objects.filter(
    is_active=True, groups__name__in=[Role.MANAGER.value, Role.DIRECTOR.value, Role.ADMIN.value]
).distinct()


class SectionSerializer(serializers.ModelSerializer):
    category = serializers.CharField(source="category.name", read_only=True)
    category_slug = serializers.CharField(source="category.slug", read_only=True)

    class Meta:
        model = ArticleSection
        fields = ["id", "name", "slug", "position", "category", "category_slug"]


class ArticleSerializer(serializers.ModelSerializer):
    section = SectionSerializer(read_only=True)
    document = serializers.IntegerField(source="document_id", read_only=True)
    current_version = serializers.IntegerField(source="current_version_id", read_only=True)
    live = serializers.BooleanField(source="is_live", read_only=True)
    public_url = serializers.SerializerMethodField()

    class Meta:
        model = Article
        fields = [
            "id", "title", "slug", "visibility", "section", "document", "current_version",
            "live", "published_at", "body_text", "body_html", "public_url",
        ]  # fmt: skip

    def get_public_url(self, article: Article) -> str | None:
        if not (article.is_live and article.visibility == Visibility.PUBLIC):
            return None
        request = self.context.get("request")
        path = f"/help/a/{article.slug}/"
        return request.build_absolute_uri(path) if request else path


class ArticleInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    section = serializers.PrimaryKeyRelatedField(queryset=ArticleSection.objects.all())
    visibility = serializers.ChoiceField(choices=Visibility.choices)
    body = serializers.CharField(max_length=100_000)
    approver = serializers.SlugRelatedField(
        slug_field="username", queryset=_REVIEWERS, required=False, allow_null=True, default=None
    )


class ArticleSettingsInput(serializers.Serializer):
    section = serializers.PrimaryKeyRelatedField(queryset=ArticleSection.objects.all())
    visibility = serializers.ChoiceField(choices=Visibility.choices)


class SuggestInput(serializers.Serializer):
    body = serializers.CharField(max_length=100_000)
    note = serializers.CharField(max_length=280)


class FeedbackSerializer(serializers.ModelSerializer):
    article_title = serializers.CharField(source="article.title", read_only=True)

    class Meta:
        model = ArticleFeedback
        fields = ["id", "article", "article_title", "helpful", "comment", "at"]
