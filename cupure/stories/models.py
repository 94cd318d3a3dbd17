"""A story is a cluster of articles about one event, across sources."""

from __future__ import annotations

from django.db import models


class Story(models.Model):
    title = models.CharField(max_length=512)
    first_seen_at = models.DateTimeField(db_index=True)
    updated_at = models.DateTimeField(db_index=True)
    article_count = models.PositiveIntegerField(default=0)
    source_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name_plural = "stories"

    def __str__(self) -> str:
        return self.title
