"""Articles for the trending and sectioning tests, stored through the real ingestion service."""

from __future__ import annotations

import hashlib
import itertools
from datetime import datetime

from cupure.articles.models import Section
from cupure.articles.services import ArticleInput, EntryInput, article_ingest
from cupure.sources.models import Source

_counter = itertools.count(1)


def source(name: str, *, section: Section | None = None, single_topic: bool = True) -> Source:
    slug = name.lower().replace(" ", "-")
    return Source.objects.create(
        name=name,
        slug=slug,
        feed_url=f"https://{slug}.example/feed.xml",
        section=section,
        single_topic=single_topic,
    )


def article(
    src: Source,
    title: str,
    *,
    now: datetime,
    body: str = "",
    url: str | None = None,
    categories: list[str] | None = None,
) -> int:
    """Store one article seen by ``src`` at ``now``; returns its id."""
    n = next(_counter)
    key = hashlib.sha256(f"{src.id}:{n}:{title}".encode()).hexdigest()
    result = article_ingest(
        source_id=src.id,
        entry=EntryInput(key_kind="guid", key_hash=key),
        data=ArticleInput(
            url=url or f"https://{src.slug}.example/news/{n}",
            title=title,
            body_html=f"<p>{body or title}</p>",
            published_at=now,
            categories=categories or [],
        ),
        now=now,
    )
    return result.article_id
