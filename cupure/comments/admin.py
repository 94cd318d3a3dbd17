from django.contrib import admin

from cupure.comments.models import Comment, Flag, Vote


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("id", "user", "article", "status", "score", "flag_count", "created_at", "deleted_at")
    list_filter = ("status", "held_reason")
    search_fields = ("body", "user__username")
    raw_id_fields = ("article", "user", "parent", "root", "moderated_by")
    readonly_fields = ("body_html", "score", "flag_count", "counted", "created_at", "edited_at")
    # Status changes go through the moderation queue (it keeps Article.comment_count right).
    exclude = ("status",)


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
