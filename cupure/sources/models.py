"""A source is one feed cupure polls, with its fetch state (miniflux's Feed, healthchecks' Check)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import models


class Policy(models.TextChoices):
    FULL = "full", "Full text"
    EXCERPT = "excerpt", "Excerpt and link"


class Source(models.Model):
    name = models.CharField(max_length=256)
    slug = models.SlugField(max_length=120, unique=True)
    feed_url = models.URLField(max_length=2048, unique=True)
    site_url = models.URLField(max_length=2048, blank=True)
    section = models.ForeignKey(
        "articles.Section", null=True, blank=True, on_delete=models.SET_NULL, related_name="sources"
    )
    # A single-topic source's section is authoritative for its articles; a general source's articles
    # are sectioned by the classifier (and they are not used as its training labels).
    single_topic = models.BooleanField(default=True)
    language = models.CharField(max_length=16, blank=True)
    policy = models.CharField(max_length=16, choices=Policy.choices, default=Policy.FULL)
    active = models.BooleanField(default=True)
    respect_robots = models.BooleanField(
        default=True, help_text="Fetch article pages only where robots.txt allows"
    )

    # Fetch state. The cursor (etag, last_modified, next_fetch_at) moves only after the entries of a
    # fetch are committed, so a crash costs a refetch and never an article.
    etag = models.CharField(max_length=512, blank=True)
    last_modified = models.CharField(max_length=128, blank=True)
    next_fetch_at = models.DateTimeField(null=True, blank=True, db_index=True)
    interval_seconds = models.PositiveIntegerField(default=900)
    error_count = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    last_error_kind = models.CharField(max_length=64, blank=True)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_fetched_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["active", "next_fetch_at"], name="source_due_idx")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("web:source", args=[self.slug])

    def is_due(self, now: datetime) -> bool:
        return self.active and (self.next_fetch_at is None or self.next_fetch_at <= now)

    def lease_expired(self, now: datetime) -> bool:
        return self.lease_until is None or self.lease_until < now

    @staticmethod
    def lease_length() -> timedelta:
        return timedelta(minutes=10)
