from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html

from cupure.articles.models import Article, Entry, Section
from cupure.articles.services import article_set_hidden
from cupure.web.templatetags.cupure_html import ago


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "order")
    list_editable = ("order",)
    prepopulated_fields = {"slug": ("name",)}


class EntryInline(admin.TabularInline):
    model = Entry
    extra = 0
    fields = ("source", "key_kind", "url", "first_seen_at", "last_seen_at")
    readonly_fields = fields
    can_delete = False


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    # Title and source in one cell, the rest in words, so that the headline is readable at 1280 px.
    list_display = ("article", "section_shown", "when", "extracted", "hidden")
    list_display_links = ("article",)
    list_filter = ("hidden", "section", "extraction_method", "language")
    search_fields = ("title", "canonical_url")
    date_hierarchy = "sort_at"
    list_select_related = ("primary_source", "section")
    fields = (
        "title",
        "section",
        "section_locked",
        "feed_categories",
        "hidden",
        "url",
        "canonical_url",
        "author",
        "published_at",
        "language",
        "story",
        "extraction_method",
        "text_length",
        "body_text",
    )
    # The feed's categories stay visible: a category naming a section is why an article sits there.
    readonly_fields = (
        "url",
        "canonical_url",
        "feed_categories",
        "extraction_method",
        "text_length",
        "body_text",
        "story",
    )
    raw_id_fields = ("story",)
    inlines = [EntryInline]
    actions = ["hide", "unhide"]

    @admin.display(description="article", ordering="title")
    def article(self, article: Article) -> str:
        source = article.primary_source.name if article.primary_source else "no source"
        return format_html('{}<br><span class="quiet">{}</span>', article.title, source)

    @admin.display(description="section", ordering="section__name")
    def section_shown(self, article: Article) -> str:
        name = article.section.name if article.section else "—"
        return f"{name} (kept: set by an editor)" if article.section_locked else name

    @admin.display(description="when", ordering="sort_at")
    def when(self, article: Article) -> str:
        return format_html('<span title="{}">{}</span>', article.sort_at, ago(article.sort_at))

    @admin.display(description="extracted", ordering="text_length")
    def extracted(self, article: Article) -> str:
        return f"{article.extraction_method or '?'} · {article.text_length:,} chars"

    def save_model(self, request: HttpRequest, obj: Article, form: object, change: bool) -> None:
        # An editor's section choice is kept by later automatic sectioning.
        if change and "section" in getattr(form, "changed_data", []):
            obj.section_locked = True
        from cupure.pipeline.textnorm import CAPS, clean_line

        obj.title = clean_line(obj.title, cap=CAPS["title"])
        obj.author = clean_line(obj.author, cap=CAPS["author"])
        super().save_model(request, obj, form, change)

    @admin.action(description="Hide from the site")
    def hide(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        article_set_hidden(article_ids=list(queryset.values_list("id", flat=True)), hidden=True)

    @admin.action(description="Show on the site")
    def unhide(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        article_set_hidden(article_ids=list(queryset.values_list("id", flat=True)), hidden=False)
