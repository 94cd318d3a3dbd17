"""Test data made through the real write path (article_ingest), shared by the web, search and API tests."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from django.utils import timezone

from cupure.articles.models import Article, Section
from cupure.articles.services import ArticleInput, EntryInput, article_ingest
from cupure.sources.models import Source

BODY = (
    "<p>The council met on Tuesday to discuss the harbour wall, which was damaged in the storm.</p>"
    "<p>Engineers said repairs would take until spring and cost more than first thought.</p>"
)


def section(slug: str = "world", name: str | None = None) -> Section:
    item, _ = Section.objects.get_or_create(slug=slug, defaults={"name": name or slug.title()})
    return item


def source(slug: str = "harbour-courier", name: str = "The Harbour Courier", **fields: object) -> Source:
    defaults = {"name": name, "site_url": f"https://{slug}.example/", **fields}
    item, _ = Source.objects.get_or_create(
        slug=slug, feed_url=f"https://{slug}.example/feed.xml", defaults=defaults
    )
    return item


def article(
    src: Source | None = None,
    *,
    title: str = "Harbour wall repairs to start in spring",
    body: str = BODY,
    url: str | None = None,
    sect: Section | None = None,
    age: timedelta = timedelta(hours=1),
    now: datetime | None = None,
    policy: str = "full",
    author: str = "Ada Lovelace",
    image_url: str | None = None,
    language: str = "en",
) -> Article:
    src = src or source()
    now = now or timezone.now()
    url = url or f"https://{src.slug}.example/news/{hashlib.sha256(title.encode()).hexdigest()[:12]}"
    result = article_ingest(
        source_id=src.id,
        entry=EntryInput(key_kind="url", key_hash=hashlib.sha256(url.encode()).hexdigest(), url=url),
        data=ArticleInput(
            url=url,
            title=title,
            body_html=body,
            author=author,
            published_at=now - age,
            policy=policy,
            image_url=image_url,
            language=language,
        ),
        now=now,
    )
    if sect is not None:
        Article.objects.filter(id=result.article_id).update(section=sect)
    return Article.objects.get(id=result.article_id)


def many(
    count: int, src: Source | None = None, *, sect: Section | None = None, prefix: str = "Story"
) -> list[Article]:
    src = src or source()
    return [
        article(src, title=f"{prefix} number {n} about the harbour", sect=sect, age=timedelta(minutes=n + 1))
        for n in range(count)
    ]
