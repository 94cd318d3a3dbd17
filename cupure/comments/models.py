"""Comments under articles, one vote per user per comment, and flags."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Comment(models.Model):
    class Status(models.TextChoices):
        VISIBLE = "visible", "visible"
        HELD = "held", "held for moderation"
        HIDDEN = "hidden", "hidden by a moderator"
        REMOVED = "removed", "removed by a moderator"

    class Held(models.TextChoices):
        NONE = "", "not held"
        UNVERIFIED = "unverified", "email not verified yet"
        FIRST = "first", "first comment of a new account"

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="comments")
    # Null once the author deleted their account and chose to keep their comments ("deleted user").
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    # The top-level comment of the thread (null for a top-level comment): one query loads a thread.
    root = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    depth = models.PositiveSmallIntegerField(default=0)
    body = models.TextField(blank=True)  # Markdown as written
    body_html = models.TextField(blank=True)  # rendered once, sanitised
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.VISIBLE, db_index=True)
    held_reason = models.CharField(max_length=16, choices=Held.choices, default=Held.NONE, blank=True)
    # Whether the comment is included in Article.comment_count; flipped by conditional UPDATEs only.
    counted = models.BooleanField(default=False)
    created_at = models.DateTimeField(db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)  # by its author: the thread keeps its shape
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    score = models.IntegerField(default=0)
    flag_count = models.PositiveIntegerField(default=0)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["article", "parent", "created_at"], name="comment_article_idx"),
            models.Index(fields=["root"], name="comment_root_idx"),
            models.Index(fields=["user", "-created_at"], name="comment_user_idx"),
            models.Index(fields=["status", "created_at"], name="comment_status_idx"),
        ]

    def __str__(self) -> str:
        return f"comment {self.pk} on article {self.article_id}"

    def get_absolute_url(self) -> str:
        return f"/comments/c/{self.pk}/"

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.VISIBLE and self.deleted_at is None


class Vote(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_votes")
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="votes")
    value = models.SmallIntegerField()  # +1 or -1
    weight = models.SmallIntegerField(default=1)  # 0 for accounts too new to move scores
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "comment"], name="vote_one_per_user"),
            models.CheckConstraint(condition=models.Q(value__in=[-1, 1]), name="vote_value_pm1"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.value:+d} on {self.comment_id}"


class Flag(models.Model):
    class Reason(models.TextChoices):
        SPAM = "spam", "Spam"
        ABUSE = "abuse", "Abusive or harassing"
        OFF_TOPIC = "off-topic", "Off-topic"
        OTHER = "other", "Something else"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_flags")
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="flags")
    reason = models.CharField(max_length=16, choices=Reason.choices)
    note = models.CharField(max_length=500, blank=True)
    trusted = models.BooleanField(default=False)  # from an account past the new-account limits
    created_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "comment"], name="flag_one_per_user")]

    def __str__(self) -> str:
        return f"{self.user_id} flagged {self.comment_id} ({self.reason})"
