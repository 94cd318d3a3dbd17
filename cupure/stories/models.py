"""Stories (clusters of articles about one event, across sources) and what clustering keeps per article.

* ``Story``: the cluster, with its persisted centroid (``StoryRecord.to_json()``) so a worker can rebuild
  the active window from the database; ``merged_into`` keeps a merged story's URL working.
* ``ArticleSignature``: per article, the TF-IDF vector (Similar News, centroids) and the MinHash of the
  body (near-duplicate check), with ``dup_group``: the id of the first article of its copy group.
* ``NearDupKey``: the 42 LSH band keys of an article's MinHash, indexed: a copy shares at least one.
* ``StoryOverride``: an operator's decision that automatic clustering must respect.
* ``ClusterState``: one row, the lock every story write takes and the version in-process caches check.
* ``PairIdf``: one row, the document frequencies the Similar News re-ranking scores with.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse


class Story(models.Model):
    title = models.CharField(max_length=512)  # the lead (earliest) article's title
    first_seen_at = models.DateTimeField(db_index=True)  # the earliest article's time
    updated_at = models.DateTimeField(db_index=True)  # the latest article's time
    article_count = models.PositiveIntegerField(default=0)
    source_count = models.PositiveIntegerField(default=0)
    centroid = models.JSONField(default=dict, blank=True)  # StoryRecord.to_json(); {} when not clustered
    keywords = models.JSONField(
        default=list, blank=True
    )  # [{"key", "display", "slug", "weight"}], best first
    locked = models.BooleanField(default=False, help_text="Never merged with another story automatically")
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="absorbed"
    )

    class Meta:
        ordering = ["-updated_at"]
        verbose_name_plural = "stories"
        indexes = [models.Index(fields=["merged_into", "-updated_at"], name="story_active_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("stories:story", args=[self.id])


class ArticleSignature(models.Model):
    article = models.OneToOneField(
        "articles.Article", on_delete=models.CASCADE, primary_key=True, related_name="signature"
    )
    vector = models.JSONField(default=dict)  # term -> weight, L2-normalised, 64 terms at most
    minhash = models.JSONField(default=dict)  # Signature.to_json(); {} for an article without body text
    content_hash = models.CharField(max_length=64, blank=True)  # the article's content_hash when signed
    dup_group = models.BigIntegerField(db_index=True)  # id of the first article carrying this text

    def __str__(self) -> str:
        return f"signature of {self.article_id}"


class NearDupKey(models.Model):
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="neardup_keys")
    key = models.CharField(max_length=20, db_index=True)

    def __str__(self) -> str:
        return f"{self.article_id}:{self.key}"


class StoryOverride(models.Model):
    """``forbid``: the article never joins the story again (operator split); ``pin``: it always does."""

    class Kind(models.TextChoices):
        PIN = "pin", "Pin to story"
        FORBID = "forbid", "Keep out of story"

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="story_overrides")
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="overrides")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "story", "kind"], name="story_override_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.article_id} -> {self.story_id}"


class ClusterState(models.Model):
    """The single row (pk=1) serialising story writes; ``version`` moves on every write."""

    version = models.BigIntegerField(default=0)
    idf = models.JSONField(default=dict, blank=True)  # IdfModel.to_json() snapshot of the recent window
    idf_saved_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"cluster state v{self.version}"


class PairIdf(models.Model):
    """The single row (pk=1): ``PairScorer.to_json()`` of recent articles, refreshed by the worker.

    Kept apart from ``ClusterState`` because it is written on a schedule, not under the story lock.
    """

    data = models.JSONField(default=dict, blank=True)
    articles = models.PositiveIntegerField(default=0)  # how many articles the snapshot was counted over
    saved_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"pair IDF over {self.articles} articles"
