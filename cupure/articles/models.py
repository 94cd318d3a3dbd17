"""What readers see: sections, articles, and each source's sighting of an article (an entry)."""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.urls import reverse
from django.utils.text import slugify


class Section(models.Model):
    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=128)
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("web:section", args=[self.slug])


class Article(models.Model):
    """One article, unique by canonical URL (tracking parameters stripped).

    Near-duplicate texts under other URLs stay separate articles; the story and near-duplicate
    group show them together.
    """

    url = models.URLField(max_length=2048)
    canonical_url = models.URLField(max_length=2048)
    canonical_url_hash = models.CharField(max_length=64, unique=True)
    title = models.CharField(max_length=512)
    summary = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    body_text = models.TextField(blank=True)
    raw = models.BinaryField(blank=True, default=b"")  # zlib-compressed input, for reprocessing
    sanitizer_version = models.PositiveSmallIntegerField(default=0)
    extraction_method = models.CharField(max_length=32, blank=True)
    image_url = models.URLField(max_length=2048, blank=True)
    author = models.CharField(max_length=256, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    first_seen_at = models.DateTimeField(db_index=True)
    # min(published_at, first_seen_at): a future pubDate cannot pin an article to the top.
    sort_at = models.DateTimeField(db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    language = models.CharField(max_length=16, blank=True)
    text_length = models.PositiveIntegerField(default=0)
    content_hash = models.CharField(max_length=64, blank=True)
    policy = models.CharField(max_length=16, default="full")
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    section_locked = models.BooleanField(default=False, help_text="An editor chose the section; keep it")
    # The item's categories in its first source's feed ("Sport", "Storm Ilse"): one naming a site
    # section is the publisher's own sectioning of the article.
    feed_categories = models.JSONField(default=list, blank=True)
    story = models.ForeignKey(
        "stories.Story", null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    primary_source = models.ForeignKey(
        "sources.Source", null=True, blank=True, on_delete=models.SET_NULL, related_name="primary_articles"
    )
    hidden = models.BooleanField(default=False, db_index=True)
    comment_count = models.PositiveIntegerField(default=0)
    enriched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sort_at", "-id"]
        indexes = [
            models.Index(fields=["hidden", "-sort_at"], name="article_latest_idx"),
            models.Index(fields=["section", "hidden", "-sort_at"], name="article_section_idx"),
            models.Index(fields=["story", "-sort_at"], name="article_story_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("web:article-slug", args=[self.id, self.slug])

    @property
    def slug(self) -> str:
        return slugify(self.title)[:80].strip("-") or "article"

    @staticmethod
    def sort_time(published_at: datetime | None, first_seen_at: datetime) -> datetime:
        if published_at is None:
            return first_seen_at
        return min(published_at, first_seen_at)


class Entry(models.Model):
    """One source's sighting of an article; unique per (source, key hash)."""

    source = models.ForeignKey("sources.Source", on_delete=models.CASCADE, related_name="entries")
    key_hash = models.CharField(max_length=64)
    key_kind = models.CharField(max_length=16)  # guid | url | content
    guid = models.TextField(blank=True)
    url = models.URLField(max_length=2048, blank=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="entries")
    content_hash = models.CharField(max_length=64, blank=True)
    first_seen_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "key_hash"], name="entry_unique_per_source"),
        ]
        indexes = [models.Index(fields=["article", "first_seen_at"], name="entry_article_idx")]

    def __str__(self) -> str:
        return f"{self.source_id}:{self.key_hash[:12]}"
