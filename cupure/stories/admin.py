"""The operator's view of stories: merge selected stories, move articles out of one, lock one."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.defaultfilters import pluralize

from cupure.articles.models import Article
from cupure.stories.models import Story, StoryOverride
from cupure.stories.services import story_merge, story_set_locked, story_split
from cupure.web.templatetags.cupure_html import ago


class MemberForm(forms.ModelForm):
    move_out = forms.BooleanField(required=False, label="Move to a new story")

    class Meta:
        model = Article
        fields: list[str] = []


class MemberInline(admin.TabularInline):
    """The story's articles; ticking "move to a new story" and saving splits them out (story_split)."""

    model = Article
    fk_name = "story"
    form = MemberForm
    fields = ("title", "primary_source", "sort_at", "hidden", "move_out")
    readonly_fields = ("title", "primary_source", "sort_at", "hidden")
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = ("sort_at", "id")
    verbose_name = "article"
    verbose_name_plural = "articles (tick some and save to move them to a new story)"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Article]:
        return super().get_queryset(request).select_related("primary_source").defer("raw", "body_html")


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    # The headline gets the room; counts, times and state are short words.
    list_display = ("title", "coverage", "first_seen", "updated", "state")
    list_filter = ("locked", ("merged_into", admin.EmptyFieldListFilter))
    search_fields = ("title",)
    date_hierarchy = "updated_at"
    fields = (
        "title",
        "locked",
        "first_seen_at",
        "updated_at",
        "article_count",
        "source_count",
        "merged_into",
    )
    readonly_fields = ("title", "first_seen_at", "updated_at", "article_count", "source_count", "merged_into")
    inlines = [MemberInline]
    actions = ["merge_selected", "lock", "unlock"]

    @admin.display(description="coverage", ordering="-source_count")
    def coverage(self, story: Story) -> str:
        articles, sources = story.article_count, story.source_count
        return f"{articles} article{pluralize(articles)} · {sources} source{pluralize(sources)}"

    @admin.display(description="first seen", ordering="first_seen_at")
    def first_seen(self, story: Story) -> str:
        return ago(story.first_seen_at)

    @admin.display(description="updated", ordering="updated_at")
    def updated(self, story: Story) -> str:
        return ago(story.updated_at)

    @admin.display(description="state")
    def state(self, story: Story) -> str:
        if story.merged_into_id:
            return f"merged into #{story.merged_into_id}"
        return "locked" if story.locked else "open"

    def view_on_site(self, obj: Story) -> str:
        return obj.get_absolute_url()

    def save_model(self, request: HttpRequest, obj: Story, form: forms.ModelForm, change: bool) -> None:
        if change and "locked" in form.changed_data:
            story_set_locked(story_id=obj.id, locked=obj.locked)

    def save_formset(self, request: HttpRequest, form: forms.ModelForm, formset: Any, change: bool) -> None:
        formset.save(commit=False)  # nothing to write on the articles themselves; sets the change log
        moving = [f.instance.id for f in formset.forms if f.cleaned_data.get("move_out") and f.instance.id]
        if moving:
            new = story_split(story_id=form.instance.id, article_ids=moving)
            messages.success(
                request, f"Moved {len(moving)} article(s) to the new story “{new.title}” (#{new.id})."
            )

    @admin.action(description="Merge selected stories (into the one with the most articles)")
    def merge_selected(self, request: HttpRequest, queryset: QuerySet[Story]) -> None:
        stories = list(queryset.order_by("-article_count", "first_seen_at", "id"))
        if len(stories) < 2:
            messages.warning(request, "Select at least two stories to merge.")
            return
        into = story_merge(story_ids=[s.id for s in stories], into_id=stories[0].id)
        messages.success(request, f"Merged {len(stories)} stories into “{into.title}” (#{into.id}).")

    @admin.action(description="Lock: never merge automatically")
    def lock(self, request: HttpRequest, queryset: QuerySet[Story]) -> None:
        for story_id in queryset.values_list("id", flat=True):
            story_set_locked(story_id=story_id, locked=True)

    @admin.action(description="Unlock")
    def unlock(self, request: HttpRequest, queryset: QuerySet[Story]) -> None:
        for story_id in queryset.values_list("id", flat=True):
            story_set_locked(story_id=story_id, locked=False)


@admin.register(StoryOverride)
class StoryOverrideAdmin(admin.ModelAdmin):
    list_display = ("kind", "article", "story", "created_at")
    list_filter = ("kind",)
    raw_id_fields = ("article", "story")
