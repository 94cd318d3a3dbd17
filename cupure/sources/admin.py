from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from cupure.sources.models import Source
from cupure.sources.services import sources_refresh


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "feed_url",
        "section",
        "policy",
        "active",
        "last_status",
        "error_count",
        "last_error_kind",
        "last_success_at",
        "next_fetch_at",
    )
    list_filter = ("active", "policy", "section", "last_error_kind")
    search_fields = ("name", "feed_url", "site_url")
    readonly_fields = (
        "etag",
        "last_modified",
        "next_fetch_at",
        "interval_seconds",
        "error_count",
        "last_error",
        "last_error_kind",
        "last_status",
        "last_fetched_at",
        "last_success_at",
        "lease_until",
        "created_at",
    )
    prepopulated_fields = {"slug": ("name",)}
    actions = ["fetch_now", "pause", "resume"]

    @admin.action(description="Fetch now")
    def fetch_now(self, request: HttpRequest, queryset: QuerySet[Source]) -> None:
        from cupure.worker.enrich import articles_enrich

        stats = sources_refresh(source_ids=list(queryset.values_list("id", flat=True)))
        articles_enrich(stats.article_ids)
        level = messages.WARNING if stats.failed else messages.SUCCESS
        self.message_user(request, stats.summary_line(), level)

    @admin.action(description="Pause polling")
    def pause(self, request: HttpRequest, queryset: QuerySet[Source]) -> None:
        queryset.update(active=False)

    @admin.action(description="Resume polling")
    def resume(self, request: HttpRequest, queryset: QuerySet[Source]) -> None:
        queryset.update(active=True, next_fetch_at=None, error_count=0)
