"""Keywords per article and the trending strip computed from them."""

from __future__ import annotations

from django.db import models


class Keyword(models.Model):
    """A normalised term or phrase (``white house``); ``display`` is its most common surface form."""

    key = models.CharField(max_length=128, unique=True)
    slug = models.SlugField(max_length=140, unique=True)
    display = models.CharField(max_length=128)

    def __str__(self) -> str:
        return self.display


class ArticleKeyword(models.Model):
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="keywords")
    keyword = models.ForeignKey(Keyword, on_delete=models.CASCADE, related_name="article_links")
    weight = models.FloatField(default=1.0)
    surface = models.CharField(max_length=128, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "keyword"], name="article_keyword_unique")]
