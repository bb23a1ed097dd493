"""Admin of the knowledge base. An article's text and lifecycle are its policy document's
(the document and version admins); here: categories, sections, placement, and what readers
did (read-only)."""

from django.contrib import admin

from csops.admin_people import PeopleAdminMixin, person
from policies.knowledge.models import (
    Article,
    ArticleCategory,
    ArticleFeedback,
    ArticleImage,
    ArticleSection,
    ArticleViewDay,
    Deflection,
    HelpSearch,
    TicketArticleLink,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ArticleCategory)
class ArticleCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(ArticleSection)
class ArticleSectionAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "position"]
    list_filter = ["category"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "section", "visibility", "slug", "published_at"]
    list_filter = ["visibility", "section__category"]
    search_fields = ["title", "slug"]
    list_select_related = ["section__category"]
    # The snapshot is written on publication; change the text through a new version.
    readonly_fields = ["document", "current_version", "title", "body_text", "body_html",
                       "published_at"]  # fmt: skip


@admin.register(ArticleImage)
class ArticleImageAdmin(PeopleAdminMixin, admin.ModelAdmin):
    list_display = ["key", "alt", "content_type", person("uploaded_by"), "uploaded_at"]
    search_fields = ["alt"]
    readonly_fields = ["content_type", "uploaded_by", "uploaded_at"]


@admin.register(ArticleFeedback)
class ArticleFeedbackAdmin(ReadOnlyAdmin):
    list_display = ["article", "helpful", "comment", "at"]
    list_filter = ["helpful"]
    search_fields = ["comment", "article__title"]


@admin.register(ArticleViewDay)
class ArticleViewDayAdmin(ReadOnlyAdmin):
    list_display = ["article", "day", "views"]
    date_hierarchy = "day"


@admin.register(HelpSearch)
class HelpSearchAdmin(ReadOnlyAdmin):
    list_display = ["query", "results", "source", "at"]
    list_filter = ["source", "results"]
    search_fields = ["query"]


@admin.register(Deflection)
class DeflectionAdmin(ReadOnlyAdmin):
    list_display = ["visit", "article", "read_at", "submitted_at"]


@admin.register(TicketArticleLink)
class TicketArticleLinkAdmin(PeopleAdminMixin, ReadOnlyAdmin):
    list_display = ["article", "ticket_id", person("by"), "at"]
    search_fields = ["article__title"]
