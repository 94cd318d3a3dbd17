"""Keywords per article, the editors' rules about them, and the trending strip computed from them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse


class Keyword(models.Model):
    """A normalised term or phrase (key ``white house``, slug ``white-house``).

    ``display`` is how the term is shown: the surface form of its first article, then the strip's
    choice (the spelling most writers use) whenever it trends.
    """

    key = models.CharField(max_length=128, unique=True)
    slug = models.SlugField(max_length=140, unique=True, allow_unicode=True)
    display = models.CharField(max_length=128)

    def __str__(self) -> str:
        return self.display

    def get_absolute_url(self) -> str:
        return reverse("trending:topic", args=[self.slug])


class ArticleKeyword(models.Model):
    """One of an article's prominent terms (in its title, or repeated in its body)."""

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="keywords")
    keyword = models.ForeignKey(Keyword, on_delete=models.CASCADE, related_name="article_links")
    weight = models.FloatField(default=1.0)
    surface = models.CharField(max_length=128, blank=True)
    # A single word seen only inside a longer name in this article ("house" of "White House").
    in_name = models.BooleanField(default=False)
    # Where ``surface`` came from when not from the writer's own use of the word: only from inside
    # longer names ("Cup" of "National Cup"), or only from where case says nothing (lower-cased).
    surface_in_name = models.BooleanField(default=False)
    guessed = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "keyword"], name="article_keyword_unique")]
        indexes = [models.Index(fields=["keyword", "article"], name="keyword_article_idx")]

    def __str__(self) -> str:
        return f"{self.article_id}:{self.keyword_id}"


class RuleAction(models.TextChoices):
    BLOCK = "block", "Block (never trending)"
    PIN = "pin", "Pin (always trending)"


class KeywordRule(models.Model):
    """An editor's decision about a term, by key; one rule per key, switched off rather than deleted."""

    key = models.CharField(max_length=128, unique=True)
    action = models.CharField(max_length=8, choices=RuleAction.choices)
    note = models.CharField(max_length=256, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-active", "action", "key"]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.key}"


class KeywordRuleLog(models.Model):
    """Audit trail: who blocked, pinned or released which term, when, and why."""

    class Action(models.TextChoices):
        BLOCK = "block", "Blocked"
        PIN = "pin", "Pinned"
        UNBLOCK = "unblock", "Unblocked"
        UNPIN = "unpin", "Unpinned"

    key = models.CharField(max_length=128, db_index=True)
    action = models.CharField(max_length=8, choices=Action.choices)
    note = models.CharField(max_length=256, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "keyword rule log entry"
        verbose_name_plural = "keyword rule log"

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.key}"


class TrendingSnapshot(models.Model):
    """One computation of the strip; pages read the newest (by id), older ones are kept a while.

    ``items`` is a list of dicts: key, keys (spellings merged into it), slug, display, score,
    count_now, baseline_rate (expected count for the same span), sources, first_seen (ISO time),
    pinned, article_ids (the articles that carry it, strongest first).
    """

    computed_at = models.DateTimeField(db_index=True)
    items = models.JSONField(default=list)
    article_count = models.PositiveIntegerField(default=0)  # articles in the "now" window
    window_hours = models.PositiveSmallIntegerField(default=24)
    baseline_days = models.PositiveSmallIntegerField(default=14)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-id"]
        get_latest_by = "id"

    def __str__(self) -> str:
        return f"strip of {self.computed_at:%Y-%m-%d %H:%M}"
