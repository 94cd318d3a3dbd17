"""Polling sources: fetch, parse, get full text, ingest, then advance the cursor.

The order is the data-safety rule (SECURITY.md 7.2): every entry of a document is committed before
the source's ETag / Last-Modified / next fetch move, so a crash anywhere costs a refetch, which the
unique keys turn into no-ops. Network I/O never happens inside a transaction.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Q
from django.utils import timezone

from cupure.articles.models import Entry
from cupure.articles.services import ArticleInput, EntryInput, article_ingest
from cupure.lib.faults import fault
from cupure.lib.pagecache import bump_page_cache
from cupure.pipeline.fetch import FetchError, FetchRequest, FetchResult, fetch_many_sync
from cupure.pipeline.parse import ParsedEntry, ParsedFeed, ParseError, parse_feed
from cupure.pipeline.schedule import backoff_interval, next_interval, publish_interval_seconds
from cupure.pipeline.urls import disambiguate_keys
from cupure.sources.fetching import feed_limits, poll_bounds
from cupure.sources.fulltext import FullText, full_texts
from cupure.sources.models import Source

log = logging.getLogger(__name__)


@dataclass
class RefreshStats:
    fetched: int = 0
    unchanged: int = 0
    failed: int = 0
    new: int = 0
    updated: int = 0
    duplicate: int = 0
    article_ids: list[int] = field(default_factory=list)  # new, updated or newly sighted: to enrich

    def merge(self, other: RefreshStats) -> None:
        for name in ("fetched", "unchanged", "failed", "new", "updated", "duplicate"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.article_ids.extend(other.article_ids)

    def summary_line(self) -> str:
        return (
            f"fetched={self.fetched} unchanged={self.unchanged} failed={self.failed} "
            f"new={self.new} updated={self.updated} duplicate={self.duplicate}"
        )


def sources_refresh(
    *,
    source_ids: Iterable[int] | None = None,
    due_only: bool = False,
    now: datetime | None = None,
    progress: Callable[[Source, RefreshStats], None] | None = None,
) -> RefreshStats:
    """One ingestion pass over active sources (all, the given ones, or only the due ones)."""
    now = now or timezone.now()
    sources = Source.objects.filter(active=True).order_by("id")
    if source_ids is not None:
        sources = sources.filter(id__in=list(source_ids))
    if due_only:
        sources = sources.filter(Q(next_fetch_at__isnull=True) | Q(next_fetch_at__lte=now))
    claimed = [s for s in sources if _claim(s, now)]
    requests = [
        FetchRequest(url=s.feed_url, etag=s.etag or None, last_modified=s.last_modified or None)
        for s in claimed
    ]
    results = fetch_many_sync(
        requests,
        limits=feed_limits(),
        per_host=settings.FETCH_PER_HOST,
        concurrency=settings.FETCH_CONCURRENCY,
    )
    total = RefreshStats()
    for source, result in zip(claimed, results, strict=True):
        stats = _process_fetch(source, result, timezone.now())
        total.merge(stats)
        if progress is not None:
            progress(source, stats)
    return total


def source_refresh(*, source_id: int, now: datetime | None = None) -> RefreshStats:
    return sources_refresh(source_ids=[source_id], now=now)


def _renew_lease(source: Source) -> None:
    """Page fetching can be slow: extend the lease before storing so no other worker takes over."""
    Source.objects.filter(id=source.id).update(lease_until=timezone.now() + Source.lease_length())


def _claim(source: Source, now: datetime) -> bool:
    """Compare-and-set lease: of two workers polling one source, exactly one gets it."""
    lease_until = now + Source.lease_length()
    claimed = (
        Source.objects.filter(id=source.id)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .update(lease_until=lease_until)
    )
    return claimed == 1


def _process_fetch(source: Source, result: FetchResult | FetchError, now: datetime) -> RefreshStats:
    stats = RefreshStats()
    try:
        if isinstance(result, FetchError):
            raise result
        fault("after_download")
        if result.not_modified:
            stats.unchanged = 1
            _advance_cursor(source, result, feed=None, now=now)
            return stats
        stats.fetched = 1
        content_type = result.headers.get("content-type")
        feed = parse_feed(result.body, base_url=result.url, content_type=content_type)
        fault("after_parse")
        if result.permanent_redirect:
            _follow_permanent_redirect(source, result.permanent_redirect)
        stats.merge(source_ingest_feed(source=source, feed=feed, now=now))
        fault("before_cursor_update")
        _advance_cursor(source, result, feed=feed, now=now)
        fault("after_cursor_update")
    except FetchError as exc:
        stats = RefreshStats(failed=1)
        _record_failure(source, exc.kind, str(exc), exc.status, _retry_after(exc, now), now)
    except ParseError as exc:
        stats.failed, stats.fetched = 1, 0
        _record_failure(source, "parse_error", str(exc), 200, None, now)
    except Exception as exc:  # a bug or a database fault: record it, keep the worker going
        log.exception("source refresh failed", extra={"source_id": source.id, "url": source.feed_url})
        stats = RefreshStats(failed=1)
        _record_failure(source, "internal_error", f"{type(exc).__name__}: {exc}", None, None, now)
    return stats


def source_ingest_feed(
    *, source: Source, feed: ParsedFeed, now: datetime, fetch_pages: bool = True
) -> RefreshStats:
    """Store every new or changed entry of one parsed document (each in its own short transaction)."""
    stats = RefreshStats()
    keys = disambiguate_keys(feed.entries)
    item_hashes = [_item_hash(e) for e in feed.entries]
    known = dict(
        Entry.objects.filter(source_id=source.id, key_hash__in=[h for _, h in keys]).values_list(
            "key_hash", "content_hash"
        )
    )
    todo = [
        (entry, key, item_hash)
        for entry, key, item_hash in zip(feed.entries, keys, item_hashes, strict=True)
        if known.get(key[1]) != item_hash
    ]
    texts = full_texts(source, [entry for entry, _, _ in todo], fetch_pages=fetch_pages)
    _renew_lease(source)
    for index, ((entry, (kind, key_hash), item_hash), text) in enumerate(zip(todo, texts, strict=True)):
        try:
            result = article_ingest(
                source_id=source.id,
                entry=EntryInput(
                    key_kind=kind, key_hash=key_hash, guid=entry.guid, url=entry.url, item_hash=item_hash
                ),
                data=_article_input(source, feed, entry, text),
                now=now,
            )
        except DatabaseError as exc:
            # One item the database refuses must not cost the rest of the document.
            log.warning(
                "item not stored", extra={"source_id": source.id, "url": entry.url, "error": str(exc)}
            )
            feed.warnings.append(f"item {entry.url or entry.title!r} not stored: {type(exc).__name__}")
            continue
        fault("after_insert", index)
        if result.outcome in ("new", "duplicate", "updated"):
            setattr(stats, result.outcome, getattr(stats, result.outcome) + 1)
        if result.outcome in ("new", "updated", "duplicate"):
            # A duplicate is a new sighting: its story now has one more source to count.
            stats.article_ids.append(result.article_id)
    if stats.article_ids:
        bump_page_cache()
    return stats


def _item_hash(entry: ParsedEntry) -> str:
    """What the feed said about an item; when it changes, the item is re-processed."""
    parts = [entry.title, entry.url or "", entry.summary_html, entry.content_html, entry.author]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "replace")).hexdigest()


def _article_input(source: Source, feed: ParsedFeed, entry: ParsedEntry, text: FullText) -> ArticleInput:
    extracted = text.extracted
    return ArticleInput(
        url=entry.url or text.page_url or "",
        link_fallback=source.site_url or source.feed_url,
        title=entry.title or (extracted.title if extracted else "") or "",
        summary_html=entry.summary_html or "",
        body_html=text.body_html,
        author=entry.author or (extracted.author if extracted and extracted.author else ""),
        published_at=entry.published_at
        or (extracted.published_at if extracted else None)
        or entry.updated_at,
        language=entry.language
        or feed.language
        or (extracted.language if extracted else None)
        or source.language,
        image_url=entry.image_url or (extracted.image if extracted else None),
        canonical_url=extracted.canonical_url if extracted else None,
        extraction_method=text.method,
        policy=source.policy,
        categories=entry.categories,
    )


def _advance_cursor(source: Source, result: FetchResult, *, feed: ParsedFeed | None, now: datetime) -> None:
    from cupure.pipeline.fetch import cache_lifetime_seconds, retry_after_seconds

    published = [e.published_at for e in feed.entries if e.published_at] if feed else []
    interval = next_interval(
        bounds=poll_bounds(),
        ttl_minutes=feed.ttl_minutes if feed else None,
        cache_lifetime=cache_lifetime_seconds(result.headers, now),
        retry_after=retry_after_seconds(result.headers, now),
        publish_interval=publish_interval_seconds(published) if published else None,
    )
    updates = {
        "last_status": result.status,
        "last_fetched_at": now,
        "last_success_at": now,
        "error_count": 0,
        "last_error": "; ".join(feed.warnings)[:2000] if feed and feed.warnings else "",
        "last_error_kind": "warning" if feed and feed.warnings else "",
        "next_fetch_at": now + timedelta(seconds=interval),
        "interval_seconds": interval,
        "lease_until": None,
    }
    if not result.not_modified:
        updates["etag"] = (result.etag or "")[:512]
        updates["last_modified"] = (result.last_modified or "")[:128]
    if feed is not None and not source.site_url and feed.site_url:
        updates["site_url"] = feed.site_url[:2048]
    Source.objects.filter(id=source.id).update(**updates)


def _record_failure(
    source: Source, kind: str, message: str, status: int | None, retry_after: int | None, now: datetime
) -> None:
    errors = source.error_count + 1
    interval = backoff_interval(bounds=poll_bounds(), error_count=errors, retry_after=retry_after)
    log.warning(
        "source fetch failed",
        extra={
            "source_id": source.id,
            "url": source.feed_url,
            "kind": kind,
            "status": status,
            "errors": errors,
            "error": message[:300],
        },
    )
    Source.objects.filter(id=source.id).update(
        error_count=errors,
        last_error=message[:2000],
        last_error_kind=kind[:64],
        last_status=status,
        last_fetched_at=now,
        next_fetch_at=now + timedelta(seconds=interval),
        lease_until=None,
    )


def _retry_after(exc: FetchError, now: datetime) -> int | None:
    from cupure.pipeline.fetch import retry_after_seconds

    headers = getattr(exc, "headers", None) or {}
    return retry_after_seconds(headers, now) if headers else None


def _follow_permanent_redirect(source: Source, new_url: str) -> None:
    """A 301/308 moves the stored URL, unless another source already has it (no duplicate sources)."""
    if new_url == source.feed_url or len(new_url) > 2048:
        return
    if Source.objects.filter(feed_url=new_url).exclude(id=source.id).exists():
        log.warning(
            "permanent redirect to a URL another source has", extra={"source_id": source.id, "url": new_url}
        )
        return
    Source.objects.filter(id=source.id).update(feed_url=new_url)
