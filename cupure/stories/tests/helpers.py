"""Articles for the story tests, made through the real write path and the real enrichment steps."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from django.utils import timezone

from cupure.articles.models import Article
from cupure.articles.services import ArticleInput, EntryInput, article_ingest
from cupure.sources.models import Source
from cupure.stories.services import story_assign
from cupure.trending.services import article_keywords_refresh

NOW = timezone.now().replace(microsecond=0)

FLOOD = [
    "Storm Ellen floods Brightport harbour",
    "Storm Ellen swept into Brightport on Tuesday night, flooding the harbour and the old town. "
    "The harbour wall gave way near the ferry terminal and water reached the market square. "
    "Brightport council said 300 homes were evacuated and the ferry to Kellsay was cancelled.",
]
FLOOD_OTHER = [
    "Brightport evacuates 300 homes as Storm Ellen breaks harbour wall",
    "Residents of Brightport were moved out of 300 homes after Storm Ellen broke the harbour wall. "
    "Flood water covered the market square and the ferry terminal, and the Kellsay ferry was cancelled, "
    "the council said on Wednesday.",
]
RATES = [
    "Central bank raises interest rates to 5.25 percent",
    "The central bank raised its main interest rate by a quarter point to 5.25 percent on Thursday, "
    "citing stubborn inflation in services. Governor Maria Lindqvist said borrowing costs would stay "
    "high until price growth slows. Mortgage lenders are expected to follow within days.",
]
SYNDICATED = (
    "<p>The Meridian Orchestra announced on Monday that conductor Tomas Halvorsen will leave at the end "
    "of the 2026 season after eleven years. Halvorsen led 412 concerts and 38 recordings with the "
    "orchestra, which said a search for his successor would begin in March.</p><p>The board thanked him "
    "for a decade that doubled ticket sales and took the orchestra on tours of Japan and Brazil.</p>"
)


def source(slug: str, name: str | None = None) -> Source:
    return Source.objects.create(
        name=name or slug.title(), slug=slug, feed_url=f"https://{slug}.example/feed.xml"
    )


def article(
    src: Source,
    title: str,
    body: str,
    *,
    url: str | None = None,
    now: datetime | None = None,
    age: timedelta = timedelta(0),
) -> Article:
    when = (now or NOW) - age
    url = url or f"https://{src.slug}.example/{hashlib.sha256((title + body).encode()).hexdigest()[:10]}"
    html = body if body.startswith("<") else f"<p>{body}</p>"
    result = article_ingest(
        source_id=src.id,
        entry=EntryInput(key_kind="guid", key_hash=hashlib.sha256(f"{src.slug}{url}".encode()).hexdigest()),
        data=ArticleInput(url=url, title=title, body_html=html, published_at=when),
        now=when,
    )
    return Article.objects.get(id=result.article_id)


def enrich(item: Article) -> Article:
    """What the worker does after ingest (keywords, then the story)."""
    article_keywords_refresh(article_id=item.id)
    story_assign(article_id=item.id)
    item.refresh_from_db()
    return item


def published(src: Source, title: str, body: str, **kwargs: object) -> Article:
    return enrich(article(src, title, body, **kwargs))  # type: ignore[arg-type]
