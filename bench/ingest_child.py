"""The ingesting process of bench/ingest.py (separate, so its CPU time and memory are its own)."""

from __future__ import annotations

import sys
import time

import django


def main(port: int) -> None:
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cupure.settings")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from bench.ingest import FEEDS, peak_rss_mb
    from cupure.articles.models import Article
    from cupure.pipeline.fetch import FetchLimits, FetchRequest, fetch_many_sync
    from cupure.sources.models import Source
    from cupure.sources.services import sources_refresh
    from cupure.worker.enrich import articles_enrich

    for f in range(FEEDS):
        Source.objects.create(
            name=f"Bench {f}", slug=f"bench-{f}", feed_url=f"http://127.0.0.1:{port}/f/{f}.xml"
        )
    wall, cpu = time.monotonic(), time.process_time()
    stats = sources_refresh()
    ingest_wall, ingest_cpu = time.monotonic() - wall, time.process_time() - cpu
    count = Article.objects.count()
    print(f"ingest: {stats.summary_line()}")
    print(
        f"ingest: {count} articles (feed + page fetch + extraction + store) in {ingest_wall:.1f} s wall: "
        f"{count / ingest_wall:.1f} articles/s; {count / ingest_cpu:.1f} articles per CPU-second"
    )
    wall, cpu = time.monotonic(), time.process_time()
    articles_enrich(list(Article.objects.values_list("id", flat=True)))
    enrich_wall, enrich_cpu = time.monotonic() - wall, time.process_time() - cpu
    print(
        f"ingest: enrichment (keywords, section, story) {count / enrich_cpu:.1f} articles per CPU-second "
        f"({enrich_wall:.1f} s wall)"
    )

    # 304s: the stdlib server answers If-Modified-Since with 304 Not Modified.
    last_modified = {s.feed_url: s.last_modified for s in Source.objects.all()}
    requests = [FetchRequest(url=url, last_modified=lm) for url, lm in list(last_modified.items()) * 25]
    limits = FetchLimits(allow_cidrs=("127.0.0.0/8",))
    wall, cpu = time.monotonic(), time.process_time()
    results = fetch_many_sync(requests, limits=limits, per_host=2, concurrency=20)
    elapsed, used = time.monotonic() - wall, time.process_time() - cpu
    ok = sum(1 for r in results if getattr(r, "not_modified", False))
    print(
        f"ingest: {ok}/{len(requests)} conditional fetches answered 304: "
        f"{len(requests) / elapsed:.0f} per second "
        f"(2 connections per host, one host), {1000 * used / len(requests):.2f} ms CPU each"
    )
    print(f"ingest: peak RSS of the ingesting process: {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]))
