"""Story reads."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from cupure.articles.models import Article


def similar_articles(*, article: Article, limit: int = 8) -> list[Article]:
    """Similar News: same story first, other sources before the article's own; never itself."""
    candidates: QuerySet[Article] = (
        Article.objects.filter(hidden=False)
        .exclude(id=article.id)
        .select_related("primary_source")
        .order_by("-sort_at")
    )
    same_story = list(candidates.filter(story_id=article.story_id)[:limit]) if article.story_id else []
    rest = list(candidates.filter(section_id=article.section_id).exclude(id__in=[a.id for a in same_story])[:limit])
    return (same_story + rest)[:limit]


@dataclass
class StoryCard:
    """A story on a listing: its lead article, a few others, and how many sources cover it."""

    story_id: int | None
    lead: Article
    others: list[Article]
    source_count: int


def top_stories(*, limit: int = 8) -> list[StoryCard]:
    """First version: latest articles, one per story, with their story's source count."""
    cards: list[StoryCard] = []
    seen: set[int] = set()
    for article in Article.objects.filter(hidden=False).select_related("primary_source", "story")[: limit * 4]:
        key = article.story_id or -article.id
        if key in seen:
            continue
        seen.add(key)
        count = article.story.source_count if article.story else 1
        cards.append(StoryCard(article.story_id, article, [], count))
        if len(cards) == limit:
            break
    return cards
