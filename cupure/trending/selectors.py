"""Trending reads."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TrendingTerm:
    slug: str
    display: str


def trending_strip(*, limit: int = 10) -> list[TrendingTerm]:
    """The terms rising now, best first, for the strip on every page."""
    return []


def article_keywords(*, article_id: int, limit: int = 8) -> list[TrendingTerm]:
    """The article's keyword chips, strongest first."""
    from cupure.trending.models import ArticleKeyword

    rows = (
        ArticleKeyword.objects.filter(article_id=article_id)
        .select_related("keyword")
        .order_by("-weight")[:limit]
    )
    return [TrendingTerm(slug=row.keyword.slug, display=row.keyword.display) for row in rows]
