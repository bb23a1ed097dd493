"""One FilterSet for the policy list page and the API (search, kind, category, state, owner)."""

from __future__ import annotations

import django_filters
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Left

from csops import permissions
from csops.bounds import SEARCH_INDEXED_CHARS
from csops.people import by_name, label_people
from policies.models import Category, Kind, PolicyDocument, PolicyVersion, VersionState


class DocumentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label="Search")
    kind = django_filters.ChoiceFilter(choices=Kind.choices)
    category = django_filters.ModelChoiceFilter(
        queryset=Category.objects.all(), field_name="categories"
    )
    state = django_filters.ChoiceFilter(
        choices=VersionState.choices, method="filter_state", label="Has a version that is"
    )
    owner = django_filters.ModelChoiceFilter(queryset=User.objects.none())

    class Meta:
        model = PolicyDocument
        fields = ["q", "kind", "category", "state", "owner"]

    def __init__(self, data=None, *args, request=None, **kwargs):
        super().__init__(data, *args, request=request, **kwargs)
        self.filters["owner"].queryset = by_name(
            User.objects.filter(owned_policies__isnull=False).distinct()
        )
        label_people(self.form)

    def _versions(self) -> QuerySet:
        return permissions.scope_policy_versions(self.request.user, PolicyVersion.objects.all())

    @property
    def qs(self) -> QuerySet:
        base = permissions.scope_policy_documents(self.request.user, super().qs)
        return base.select_related("owner").prefetch_related("categories").order_by("title", "pk")

    def filter_state(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(Exists(self._versions().filter(document=OuterRef("pk"), state=value)))

    def filter_search(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return qs
        versions = self._versions().filter(document=OuterRef("pk"))
        if settings.IS_POSTGRES:
            query = SearchQuery(value, config="english", search_type="websearch")
            # A body longer than a tsvector holds is searched by its first part (issue 13 §4).
            vector = SearchVector(Left("body", SEARCH_INDEXED_CHARS), config="english")
            matching = versions.annotate(sv=vector).filter(sv=query)
            title = SearchVector("title", config="english")
            return qs.annotate(title_sv=title).filter(
                Q(title_sv=query) | Q(title__icontains=value) | Exists(matching)
            )
        # Embedded (SQLite) fallback: substring match over the title and the bodies.
        return qs.filter(Q(title__icontains=value) | Exists(versions.filter(body__icontains=value)))
