"""Cost per article of ``story_assign`` with 10k articles in the window (a measurement, not a test).

    CUPURE_DATA_DIR=/tmp/story-bench .venv/bin/python -m cupure.stories.bench [--articles 10000]

Uses a file SQLite database (what cupure runs on) in CUPURE_DATA_DIR, which it fills from scratch:
real news texts (GoogleNews title+snippet, SemEval-2022 multilingual bodies, BASIL full bodies) spread
over the 3-day window, then assigns them in arrival order with the production code path, then assigns
more with two threads at once (what the worker does). Prints per-article times and query counts.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import statistics
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path


def _texts(data_dir: Path) -> Iterator[tuple[str, str]]:
    """(title, body) pairs, cycled with a round marker once every set is used."""
    rows: list[tuple[str, str]] = []
    with (data_dir / "googlenews.jsonl").open(encoding="utf-8") as handle:
        rows += [(r["title"], r["snippet"]) for r in map(json.loads, handle)]
    with (data_dir / "semeval_pairs.jsonl").open(encoding="utf-8") as handle:
        for r in map(json.loads, handle):
            for key in ("text1", "text2"):
                title, _, body = r[key].strip().partition("\n")
                rows.append((title[:300], body[:6000]))
    with (data_dir / "basil.jsonl").open(encoding="utf-8") as handle:
        rows += [(r["title"], r["body"][:8000]) for r in map(json.loads, handle)]
    for n in itertools.count():
        for title, body in rows:
            yield (title if n == 0 else f"{title} ({n})"), body


def _ms(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    mean, p50 = statistics.fmean(values), statistics.median(values)
    return f"mean {mean * 1000:.1f} ms, p50 {p50 * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms"


def main() -> None:  # noqa: PLR0915  (a script: one straight line of steps)
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--extra", type=int, default=400, help="assigned afterwards by two threads")
    parser.add_argument("--data", type=Path, default=Path("/work/shared/data/clustering"))
    args = parser.parse_args()
    if not os.environ.get("CUPURE_DATA_DIR"):
        raise SystemExit("set CUPURE_DATA_DIR to an empty folder (the benchmark fills its database)")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cupure.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from cupure.articles.models import Article
    from cupure.articles.services import ArticleInput, EntryInput, article_ingest
    from cupure.sources.models import Source
    from cupure.stories.models import ClusterState, NearDupKey, Story
    from cupure.stories.services import reset_cache, story_assign

    call_command("migrate", verbosity=0)
    if Article.objects.exists():
        raise SystemExit("CUPURE_DATA_DIR already has articles; use an empty folder")
    sources = [
        Source.objects.create(name=f"Outlet {n}", slug=f"outlet-{n}", feed_url=f"https://o{n}.example/feed")
        for n in range(24)
    ]
    total = args.articles + args.extra
    now = timezone.now()
    span = timedelta(days=2, hours=20)  # inside the 3-day window
    texts = _texts(args.data)
    started = time.perf_counter()
    ids: list[int] = []
    for n in range(total):
        title, body = next(texts)
        when = now - span + span * (n / total)
        url = f"https://o{n % 24}.example/a/{n}"
        result = article_ingest(
            source_id=sources[n % 24].id,
            entry=EntryInput(key_kind="guid", key_hash=hashlib.sha256(url.encode()).hexdigest()),
            data=ArticleInput(url=url, title=title, body_html=f"<p>{body}</p>", published_at=when),
            now=when,
        )
        ids.append(result.article_id)
    print(f"ingested {total} articles in {time.perf_counter() - started:.0f} s (not part of the measure)")

    times: list[float] = []
    for article_id in ids[: args.articles]:
        t0 = time.perf_counter()
        story_assign(article_id=article_id)
        times.append(time.perf_counter() - t0)
    print(f"story_assign, one thread, articles 1-1000:      {_ms(times[:1000])}")
    print(f"story_assign, one thread, articles {args.articles - 999}-{args.articles}: {_ms(times[-1000:])}")

    reset_cache()
    t0 = time.perf_counter()
    story_assign(article_id=ids[args.articles])
    cold = (time.perf_counter() - t0) * 1000
    print(f"cold start (reload the window from the database) + one article: {cold:.0f} ms")

    with CaptureQueriesContext(connection) as ctx:
        for article_id in ids[args.articles + 1 : args.articles + 51]:
            story_assign(article_id=article_id)
    print(f"queries per new article: {len(ctx.captured_queries) / 50:.1f}")
    reset_queries()

    rest = ids[args.articles + 51 :]

    def assign(article_id: int) -> float:
        try:
            t = time.perf_counter()
            story_assign(article_id=article_id)
            return time.perf_counter() - t
        finally:
            connection.close()

    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=2) as pool:
        threaded = list(pool.map(assign, rest))
    wall = time.perf_counter() - t0
    per = wall / len(rest) * 1000
    print(f"two threads, {len(rest)} articles: {_ms(threaded)} each, {per:.1f} ms wall per article")

    unassigned = Article.objects.filter(id__in=ids, story__isnull=True).count()
    live = Story.objects.filter(merged_into__isnull=True)
    counted = sum(live.values_list("article_count", flat=True))
    idf = ClusterState.objects.values_list("idf", flat=True).get(pk=1)
    print(
        f"unassigned: {unassigned}; stories: {live.count()} (sum of counts {counted} of {total}); "
        f"near-dup keys: {NearDupKey.objects.count()}; IDF snapshot: {len(json.dumps(idf)) // 1024} KiB"
    )


if __name__ == "__main__":
    main()
