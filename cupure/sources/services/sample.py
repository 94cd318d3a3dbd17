"""The bundled offline sample and the default source list.

The sample is cupure's own writing: six fictional outlets' feeds in ``cupure/sources/sample``. Their
dates are placeholders (``{{HOURS_AGO:5}}``) filled in at load time so the sample always looks like
today's news. Sample sources live under reserved ``.example`` domains and are inactive, so the poller
never tries to reach them; their documents go through the same ingest code as fetched ones.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

from django.utils import timezone

from cupure.pipeline.parse import parse_feed
from cupure.sources.models import Source
from cupure.sources.services.manage import SourceAddError, section_get_or_create, source_add
from cupure.sources.services.refresh import RefreshStats, source_ingest_feed

SOURCES_DIR = Path(__file__).resolve().parents[1]
SAMPLE_DIR = SOURCES_DIR / "sample"
DEFAULTS_FILE = SOURCES_DIR / "default_sources.json"
_PLACEHOLDER = re.compile(r"\{\{HOURS_AGO(_ISO)?:(\d+(?:\.\d+)?)\}\}")
_CONTENT_TYPES = {
    ".json": "application/feed+json",
    ".atom": "application/atom+xml",
    ".xml": "application/rss+xml",
}


def fill_dates(text: str, *, now: datetime) -> str:
    def replace(match: re.Match[str]) -> str:
        when = now - timedelta(hours=float(match.group(2)))
        return when.isoformat() if match.group(1) else format_datetime(when)

    return _PLACEHOLDER.sub(replace, text)


def sample_load(*, now: datetime | None = None) -> RefreshStats:
    """Ingest every bundled sample feed (idempotent: a second load adds nothing)."""
    now = now or timezone.now()
    manifest = json.loads((SAMPLE_DIR / "manifest.json").read_text(encoding="utf-8"))
    stats = RefreshStats()
    for item in manifest:
        source = _sample_source(item)
        path = SAMPLE_DIR / item["file"]
        body = fill_dates(path.read_text(encoding="utf-8"), now=now).encode("utf-8")
        feed = parse_feed(body, base_url=source.feed_url, content_type=_CONTENT_TYPES.get(path.suffix))
        stats.fetched += 1
        stats.merge(source_ingest_feed(source=source, feed=feed, now=now, fetch_pages=False))
    return stats


def _sample_source(item: dict[str, object]) -> Source:
    section = section_get_or_create(str(item["section"])) if item.get("section") else None
    source, _ = Source.objects.get_or_create(
        feed_url=str(item["feed_url"]),
        defaults={
            "name": str(item["name"]),
            "slug": str(item["slug"]),
            "site_url": str(item.get("site_url") or ""),
            "section": section,
            "single_topic": bool(item.get("single_topic", True)),
            "policy": str(item.get("policy") or "full"),
            "active": False,
            "last_error": "bundled sample: not polled",
            "last_error_kind": "sample",
        },
    )
    return source


def sources_load_defaults() -> list[Source]:
    """Add the default list of real public news feeds (unverified; the first poll checks them)."""
    added = []
    for item in json.loads(DEFAULTS_FILE.read_text(encoding="utf-8")):
        try:
            added.append(
                source_add(
                    url=item["feed_url"],
                    name=item["name"],
                    section=item.get("section"),
                    policy=item.get("policy", "full"),
                    single_topic=item.get("single_topic", True),
                    check=False,
                )
            )
        except SourceAddError:
            continue
    return added
