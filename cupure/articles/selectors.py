"""Article reads for pages, feeds out, the API and the command line."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import F, Prefetch, QuerySet

from cupure.articles.models import Article, Entry, Section


def visible_articles() -> QuerySet[Article]:
    return Article.objects.filter(hidden=False).select_related("primary_source", "section")


def latest_articles(*, limit: int = 20) -> list[Article]:
    return list(visible_articles().order_by("-sort_at", "-id")[:limit])


def section_articles(*, section: Section) -> QuerySet[Article]:
    return visible_articles().filter(section=section).order_by("-sort_at", "-id")


def source_articles(*, source_id: int) -> QuerySet[Article]:
    return visible_articles().filter(entries__source_id=source_id).distinct().order_by("-sort_at", "-id")


def article_detail(*, article_id: int) -> Article | None:
    entries = Entry.objects.select_related("source").order_by("first_seen_at", "id")
    return (
        Article.objects.filter(id=article_id, hidden=False)
        .defer("raw")  # the compressed input is for reprocessing, never for pages
        .select_related("primary_source", "section", "story")
        .prefetch_related(Prefetch("entries", queryset=entries))
        .first()
    )


def sections_list() -> list[Section]:
    return list(Section.objects.order_by("order", "name"))


def articles_for_export(
    *, source_id: int | None = None, limit: int | None = None
) -> Iterator[dict[str, Any]]:
    """The ``cupure articles --json`` rows: newest first, articles without a date last."""
    entries = Entry.objects.select_related("source").order_by("first_seen_at", "id")
    qs = (
        Article.objects.select_related("section")
        .prefetch_related(Prefetch("entries", queryset=entries))
        .order_by(F("published_at").desc(nulls_last=True), "-id")
    )
    if source_id is not None:
        qs = qs.filter(entries__source_id=source_id).distinct()
    if limit is not None:
        qs = qs[: max(0, limit)]
    for article in qs.iterator(chunk_size=500) if limit is None else qs:
        sightings = list(article.entries.all())
        names: list[str] = []
        for entry in sightings:
            if entry.source.name not in names:
                names.append(entry.source.name)
        yield {
            "id": article.id,
            "url": sightings[0].url if sightings and sightings[0].url else article.url,
            "canonical_url": article.canonical_url,
            "title": article.title,
            "sources": names,
            "author": article.author or None,
            "published_at": article.published_at.isoformat() if article.published_at else None,
            "section": article.section.slug if article.section else None,
            "language": article.language or None,
            "text_length": article.text_length,
        }
