"""The measuring process of bench/clustering.py: build one archive, then time a stream of new articles."""

from __future__ import annotations

import hashlib
import os
import random
import sys
import time
from datetime import datetime, timedelta

import django

BATCH = 5000
EVENTS = 40
SOURCES = 20
COMMON = [f"common{i}" for i in range(400)]


def _words(rng: random.Random, pool: list[str], count: int) -> list[str]:
    return [rng.choice(pool) for _ in range(count)]


def _text(rng: random.Random, event: int) -> tuple[str, str]:
    own = [f"ev{event}w{i}" for i in range(12)]
    title = " ".join(_words(rng, own, 4) + _words(rng, COMMON, 3)).capitalize()
    body = ". ".join(" ".join(_words(rng, own, 4) + _words(rng, COMMON, 8)) for _ in range(6)) + "."
    return title, body


def build_archive(size: int, sources: list[int]) -> float:
    """``size`` articles from 60-400 days ago, four to a story, each with a signature; seconds taken."""
    from django.db import transaction
    from django.utils import timezone

    from cupure.articles.models import Article
    from cupure.stories.models import ArticleSignature, Story

    started = time.monotonic()
    rng = random.Random(1)
    now = timezone.now()
    for start in range(0, size, BATCH):
        count = min(BATCH, size - start)
        with transaction.atomic():
            times = [now - timedelta(days=60 + (400 - 60) * (start + i) / size) for i in range(count)]
            stories = Story.objects.bulk_create(
                [
                    Story(title=f"old story {start + i}", first_seen_at=times[i], updated_at=times[i])
                    for i in range(0, count, 4)
                ]
            )
            articles = Article.objects.bulk_create(
                [
                    Article(
                        url=f"https://old.example/{start + i}",
                        canonical_url=f"https://old.example/{start + i}",
                        canonical_url_hash=f"old{start + i:020d}",
                        title=f"Old article {start + i}",
                        body_text="old text " * 20,
                        first_seen_at=times[i],
                        sort_at=times[i],
                        updated_at=times[i],
                        language="en",
                        content_hash=f"{start + i:064d}",
                        primary_source_id=sources[(start + i) % len(sources)],
                        story_id=stories[i // 4].id,
                    )
                    for i in range(count)
                ]
            )
            ArticleSignature.objects.bulk_create(
                [
                    ArticleSignature(
                        article_id=a.id,
                        vector={f"old{rng.randrange(50_000)}": 0.5 for _ in range(24)},
                        content_hash=a.content_hash,
                        dup_group=a.id,
                    )
                    for a in articles
                ]
            )
    return time.monotonic() - started


def main(size: int, stream: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cupure.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from cupure.articles.models import Article
    from cupure.articles.services import ArticleInput, EntryInput, article_ingest
    from cupure.pipeline.similarity import OnlineStoryClusterer, StoryDoc
    from cupure.sources.models import Source
    from cupure.stories.services import story_assign

    def store_article(src: Source, n: int, title: str, *, now: datetime, body: str) -> int:
        """One new article through the product's write path."""
        slug = f"{src.slug}.example/news/{n}"
        return article_ingest(
            source_id=src.id,
            entry=EntryInput(key_kind="guid", key_hash=hashlib.sha256(slug.encode()).hexdigest()),
            data=ArticleInput(
                url=f"https://{slug}", title=title, body_html=f"<p>{body}</p>", published_at=now
            ),
            now=now,
        ).article_id

    sources = [
        Source.objects.create(name=f"Bench {i}", slug=f"bench-{i}", feed_url=f"https://b{i}.example/feed.xml")
        for i in range(SOURCES)
    ]
    built = build_archive(size, [s.id for s in sources])
    rng = random.Random(7)
    now = timezone.now()
    texts = [(_text(rng, rng.randrange(EVENTS)), rng.choice(sources)) for _ in range(stream)]
    ids = [
        store_article(src, i, title, now=now - timedelta(hours=48 * (stream - i) / stream), body=body)
        for i, ((title, body), src) in enumerate(texts)
    ]
    queries, wall, cpu = 0, time.monotonic(), time.process_time()
    for article_id in ids:
        with CaptureQueriesContext(connection) as captured:
            story_assign(article_id=article_id)
        queries += len(captured)
    wall, cpu = time.monotonic() - wall, time.process_time() - cpu
    stories = Article.objects.filter(id__in=ids).values("story_id").distinct().count()

    clusterer = OnlineStoryClusterer()
    pure = time.process_time()
    for i, ((title, body), src) in enumerate(texts):
        clusterer.add(StoryDoc(id=i, title=title, text=body, time=float(i), source=str(src.id)))
    pure = time.process_time() - pure
    print(
        f"clustering: archive {size:,} articles (built in {built:.0f} s): story_assign "
        f"{1000 * wall / stream:.1f} ms wall, {1000 * cpu / stream:.1f} ms CPU, "
        f"{queries / stream:.1f} queries per article over {stream} new articles ({stories} stories); "
        "pure clusterer "
        f"{1000 * pure / stream:.2f} ms per article (reference, same stream)"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
