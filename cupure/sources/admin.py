from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timesince import timesince, timeuntil

from cupure.sources.models import Source
from cupure.sources.services import sources_refresh


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    # The list is where an operator sees which sources are broken and why: name and feed host in one
    # cell (the whole URL is on the source's page) leave room for the last error, in words.
    list_display = ("source", "section", "active", "health", "last_success", "next_fetch")
    list_display_links = ("source",)
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

    @admin.display(description="source", ordering="name")
    def source(self, source: Source) -> str:
        host = urlsplit(source.feed_url).hostname or source.feed_url
        return format_html('{}<br><span class="quiet">{}</span>', source.name, host)

    @admin.display(description="health", ordering="error_count")
    def health(self, source: Source) -> str:
        if source.error_count:
            error = source.last_error or source.last_error_kind
            return format_html(
                '<span title="{}"><strong>{} × {}</strong>: {}</span>',
                error,
                source.last_error_kind or "error",
                source.error_count,
                error if len(error) <= 60 else error[:59] + "…",
            )
        if not source.active:
            return f"paused: {source.last_error}" if source.last_error else "paused"
        if source.last_success_at is None:
            return "not fetched yet"
        return f"OK ({source.last_status})" if source.last_status else "OK"

    @admin.display(description="last success", ordering="last_success_at")
    def last_success(self, source: Source) -> str:
        return f"{timesince(source.last_success_at, depth=1)} ago" if source.last_success_at else "never"

    @admin.display(description="next fetch", ordering="next_fetch_at")
    def next_fetch(self, source: Source) -> str:
        if not source.active or source.next_fetch_at is None:
            return "—"
        if source.next_fetch_at <= timezone.now():
            return "due now"
        return f"in {timeuntil(source.next_fetch_at, depth=1)}"

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
