from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.defaultfilters import pluralize
from django.utils.html import format_html

from cupure.comments.models import Comment, Flag, Vote
from cupure.web.templatetags.cupure_html import ago


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    # What was said, by whom and where in one cell; the state in words beside it.
    list_display = ("comment", "state", "votes", "when")
    list_display_links = ("comment",)
    list_filter = ("status", "held_reason")
    search_fields = ("body", "user__username")
    raw_id_fields = ("article", "user", "parent", "root", "moderated_by")
    readonly_fields = ("body_html", "score", "flag_count", "counted", "created_at", "edited_at")
    # Status changes go through the moderation queue (it keeps Article.comment_count right).
    exclude = ("status",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Comment]:
        heavy = ("article__raw", "article__body_html", "article__body_text", "article__summary")
        return super().get_queryset(request).select_related("user", "article").defer(*heavy)

    @admin.display(description="comment", ordering="id")
    def comment(self, comment: Comment) -> str:
        said = " ".join(comment.body.split())
        author = comment.user.username if comment.user else "deleted user"
        return format_html(
            '{}<br><span class="quiet">{} on {}</span>',
            said if len(said) <= 90 else said[:89] + "…",
            author,
            comment.article.title,
        )

    @admin.display(description="state", ordering="status")
    def state(self, comment: Comment) -> str:
        if comment.deleted_at:
            return "deleted by its author"
        if comment.held_reason and comment.status == Comment.Status.HELD:
            return f"{comment.get_status_display()}: {comment.get_held_reason_display()}"
        return comment.get_status_display()

    @admin.display(description="score · flags", ordering="-flag_count")
    def votes(self, comment: Comment) -> str:
        return f"{comment.score} · {comment.flag_count} flag{pluralize(comment.flag_count)}"

    @admin.display(description="when", ordering="created_at")
    def when(self, comment: Comment) -> str:
        return ago(comment.created_at)


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    list_display = ("comment", "user", "value", "weight", "created_at")
    raw_id_fields = ("comment", "user")

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    list_display = ("comment", "user", "reason", "trusted", "created_at", "resolved_at")
    list_filter = ("reason", "resolved_at")
    raw_id_fields = ("comment", "user")
