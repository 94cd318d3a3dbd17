"""Trending in the admin: find keywords, block or pin them (audited), read the strip's snapshots."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from cupure.trending import services
from cupure.trending.models import ArticleKeyword, Keyword, KeywordRule, KeywordRuleLog, TrendingSnapshot
from cupure.trending.selectors import snapshot_terms


def _apply(request: HttpRequest, keys: list[str], action: str) -> None:
    done = 0
    for key in keys:
        if action == "block":
            services.keyword_block(key=key, user=request.user, recompute=False)
            done += 1
        elif action == "pin":
            services.keyword_pin(key=key, user=request.user, recompute=False)
            done += 1
        elif services.keyword_rule_clear(key=key, user=request.user, recompute=False):
            done += 1
    if done:
        services.trending_recompute()
    messages.success(
        request, f"{done} keyword rule{'s' if done != 1 else ''} changed; the strip is recomputed."
    )


@admin.register(Keyword)
class KeywordAdmin(admin.ModelAdmin):
    # Newest first, with how many articles carry each term and any rule on it: what an editor needs to
    # decide on a block or a pin. The counts are per-row subqueries, so a page costs the same at any size.
    list_display = ("display", "key", "articles", "rule", "topic")
    search_fields = ("key", "display", "slug")
    ordering = ("-id",)
    readonly_fields = ("key", "slug")
    fields = ("key", "slug", "display")
    actions = ["block", "pin", "release"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Keyword]:
        links = ArticleKeyword.objects.filter(keyword_id=OuterRef("pk")).order_by().values("keyword_id")
        rules = KeywordRule.objects.filter(key=OuterRef("key"), active=True).values("action")[:1]
        return (
            super()
            .get_queryset(request)
            .annotate(
                article_total=Subquery(links.annotate(n=Count("id")).values("n")[:1]),
                rule_action=Subquery(rules),
            )
        )

    @admin.display(description="articles")
    def articles(self, keyword: Keyword) -> int:
        return keyword.article_total or 0  # type: ignore[attr-defined]

    @admin.display(description="rule")
    def rule(self, keyword: Keyword) -> str:
        action = keyword.rule_action  # type: ignore[attr-defined]
        return {"pin": "pinned", "block": "blocked"}.get(action or "", "—")

    @admin.display(description="topic page")
    def topic(self, keyword: Keyword) -> str:
        return format_html('<a href="{}">/topic/{}/</a>', keyword.get_absolute_url(), keyword.slug)

    @admin.action(description="Block: never show on the trending strip")
    def block(self, request: HttpRequest, queryset: QuerySet[Keyword]) -> None:
        _apply(request, list(queryset.values_list("key", flat=True)), "block")

    @admin.action(description="Pin: always show on the trending strip")
    def pin(self, request: HttpRequest, queryset: QuerySet[Keyword]) -> None:
        _apply(request, list(queryset.values_list("key", flat=True)), "pin")

    @admin.action(description="Remove the block or pin")
    def release(self, request: HttpRequest, queryset: QuerySet[Keyword]) -> None:
        _apply(request, list(queryset.values_list("key", flat=True)), "release")


@admin.register(KeywordRule)
class KeywordRuleAdmin(admin.ModelAdmin):
    list_display = ("key", "action", "active", "note", "created_by", "created_at")
    list_filter = ("action", "active")
    search_fields = ("key", "note")
    fields = ("key", "action", "note")
    actions = ["block", "pin", "unpin"]

    def get_readonly_fields(self, request: HttpRequest, obj: KeywordRule | None = None) -> tuple[str, ...]:
        return ("key",) if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: KeywordRule, form: object, change: bool) -> None:
        # Through the services, so every change is logged and the strip follows at once.
        setter = services.keyword_pin if obj.action == "pin" else services.keyword_block
        saved = setter(key=obj.key, user=request.user, note=obj.note)
        obj.pk, obj.key = saved.pk, saved.key

    def has_delete_permission(self, request: HttpRequest, obj: KeywordRule | None = None) -> bool:
        return False  # switched off by "unpin", so the history stays readable

    @admin.action(description="Block the selected keywords")
    def block(self, request: HttpRequest, queryset: QuerySet[KeywordRule]) -> None:
        _apply(request, list(queryset.values_list("key", flat=True)), "block")

    @admin.action(description="Pin the selected keywords")
    def pin(self, request: HttpRequest, queryset: QuerySet[KeywordRule]) -> None:
        _apply(request, list(queryset.values_list("key", flat=True)), "pin")

    @admin.action(description="Unpin / unblock (switch the rule off)")
    def unpin(self, request: HttpRequest, queryset: QuerySet[KeywordRule]) -> None:
        _apply(request, list(queryset.values_list("key", flat=True)), "release")


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(KeywordRuleLog)
class KeywordRuleLogAdmin(ReadOnlyAdmin):
    list_display = ("at", "action", "key", "user", "note")
    list_filter = ("action",)
    search_fields = ("key", "note")
    list_select_related = ("user",)
    date_hierarchy = "at"


@admin.register(TrendingSnapshot)
class TrendingSnapshotAdmin(ReadOnlyAdmin):
    list_display = ("computed_at", "terms", "article_count", "duration_ms")
    fields = ("computed_at", "article_count", "window_hours", "baseline_days", "duration_ms", "explanation")
    readonly_fields = fields

    @admin.display(description="Strip")
    def terms(self, obj: TrendingSnapshot) -> str:
        return ", ".join(item.get("display", "") for item in obj.items or []) or "(empty)"

    @admin.display(description="Why each term is on the strip")
    def explanation(self, obj: TrendingSnapshot) -> str:
        terms = snapshot_terms(obj)
        if not terms:
            return "Nothing was trending."
        rows = format_html_join(
            "",
            "<tr><td><a href='/topic/{}/'>{}</a>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}×</td>"
            "<td>{}</td><td>{}</td></tr>",
            (
                (
                    t.slug,
                    t.display,
                    " (pinned)" if t.pinned else "",
                    t.count_now,
                    t.sources,
                    f"{t.baseline_rate:g}",
                    f"{t.ratio:.1f}",
                    f"{t.score:g}",
                    t.first_seen.strftime("%Y-%m-%d %H:%M") if t.first_seen else "",
                )
                for t in terms
            ),
        )
        head = (
            "<tr><th>Term</th><th>Articles now</th><th>Sources</th><th>Expected (baseline)</th>"
            "<th>Rise</th><th>Score</th><th>First seen</th></tr>"
        )
        return format_html("<table>{}{}</table>", mark_safe(head), rows)  # noqa: S308 (a constant)
