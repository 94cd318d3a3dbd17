"""Article writes. ``article_ingest`` is the one function every write path goes through.

It normalises and caps every field, sanitises every piece of HTML with the one allow-list, checks URL
schemes, keeps the raw input (compressed) for ``cupure reprocess``, and stores the source's sighting
(an Entry) and the Article it points to in one short transaction.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Literal
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction

from cupure.articles.models import Article, Entry
from cupure.pipeline.language import detect_language
from cupure.pipeline.sanitize import SANITIZER_VERSION, safe_http_url, sanitize_html
from cupure.pipeline.textnorm import CAPS, clean_line, clean_text, html_to_text
from cupure.pipeline.urls import canonicalize_url, host_of, url_hash

Outcome = Literal["new", "duplicate", "updated", "unchanged"]
EXCERPT_CHARS = 600


@dataclass
class ArticleInput:
    """An article as one source gave it, before cleaning. HTML fields are untrusted."""

    url: str
    title: str
    summary_html: str = ""
    body_html: str = ""
    author: str = ""
    published_at: datetime | None = None
    language: str | None = None
    image_url: str | None = None
    canonical_url: str | None = None
    extraction_method: str = "feed"
    policy: str = "full"
    # Where to send readers when the item has no link of its own (the source's site); never identity.
    link_fallback: str = ""
    categories: list[str] = field(default_factory=list)  # the feed item's own categories


@dataclass
class EntryInput:
    key_kind: str
    key_hash: str
    guid: str | None = None
    url: str | None = None
    item_hash: str = ""  # what the feed said about the item; unchanged hash = nothing to do


@dataclass
class IngestResult:
    outcome: Outcome
    article_id: int
    entry_id: int


@dataclass
class CleanArticle:
    url: str
    canonical_url: str
    canonical_url_hash: str
    title: str
    summary: str
    body_html: str
    body_text: str
    author: str
    published_at: datetime | None
    language: str
    image_url: str
    extraction_method: str
    policy: str
    content_hash: str
    raw: bytes = field(repr=False, default=b"")
    categories: list[str] = field(default_factory=list)


def article_clean(data: ArticleInput) -> CleanArticle:
    """Normalise, cap and sanitise one article's fields (pure: no database)."""
    url = _capped(safe_http_url(clean_line(data.url, cap=CAPS["url"])))
    canonical = _identity_url(
        url, safe_http_url(clean_line(data.canonical_url or "", cap=CAPS["url"]), base_url=url)
    )
    summary = sanitize_html(clean_text(data.summary_html, cap=CAPS["summary"]), base_url=url)
    body_html = ""
    if data.policy != "excerpt":
        body_html = sanitize_html(clean_text(data.body_html, cap=CAPS["content"]), base_url=url)
    body_text = html_to_text(body_html or summary)
    if data.policy == "excerpt" and len(body_text) > EXCERPT_CHARS:
        body_text = body_text[:EXCERPT_CHARS].rsplit(" ", 1)[0] + " …"
    title = clean_line(data.title, cap=CAPS["title"]) or _title_from_text(body_text) or canonical
    language = (
        clean_line(data.language or "", cap=16).split("-")[0].lower() or detect_language(body_text) or ""
    )
    content_hash = hashlib.sha256(f"{title}\n{body_text}".encode()).hexdigest()
    raw = zlib.compress(json.dumps(asdict(data), default=str, ensure_ascii=False).encode("utf-8"))
    return CleanArticle(
        url=url,
        canonical_url=canonical,
        # An item without a usable link gets its identity from its entry key (set by article_ingest).
        canonical_url_hash=url_hash(canonical) if canonical else "",
        title=title,
        summary=summary,
        body_html=body_html,
        body_text=body_text,
        author=clean_line(data.author, cap=CAPS["author"]),
        published_at=data.published_at,
        language=language,
        image_url=_capped(safe_http_url(clean_line(data.image_url or "", cap=CAPS["url"]), base_url=url)),
        extraction_method=data.extraction_method[:32],
        policy=data.policy,
        content_hash=content_hash,
        raw=raw,
        categories=_categories(data.categories),
    )


MAX_CATEGORIES = 10


def _categories(given: list[str]) -> list[str]:
    """A feed item's categories, each one line and capped, repeats dropped, at most ``MAX_CATEGORIES``."""
    kept: list[str] = []
    for category in given:
        line = clean_line(category if isinstance(category, str) else "", cap=CAPS["category"])
        if line and line not in kept:
            kept.append(line)
    return kept[:MAX_CATEGORIES]


def _identity_url(url: str, claimed: str) -> str:
    """The canonical URL that identifies the article: the page's own claim only when it is believable.

    A rel=canonical pointing at another host (a consent wall, a login page) or at the site's home page
    would merge every article of a source into one, so those fall back to the entry's own link.
    Canonicalising can lengthen a URL (percent-encoding); one over the column cap falls back too.
    """
    believable = (
        claimed
        and host_of(claimed) == host_of(url)
        and not (_is_site_root(claimed) and not _is_site_root(url))
    )
    candidates = [canonicalize_url(c) for c in ((claimed, url) if believable else (url,)) if c]
    for canonical in [*candidates, url]:  # the link as given, when canonicalising made it too long
        if canonical and len(canonical) <= CAPS["url"]:
            return canonical
    return ""


def _capped(url: str) -> str:
    """A resolved URL longer than the column is dropped, never cut (a cut URL is a wrong URL)."""
    return url if len(url) <= CAPS["url"] else ""


def _is_site_root(url: str) -> bool:
    return urlsplit(url).path in ("", "/") and not urlsplit(url).query


def _title_from_text(text: str) -> str:
    words = text.split()[:12]
    return " ".join(words) + (" …" if len(text.split()) > 12 else "") if words else ""


def article_ingest(*, source_id: int, entry: EntryInput, data: ArticleInput, now: datetime) -> IngestResult:
    """Store one source's sighting of an article, creating or updating the article.

    Idempotent: re-ingesting the same entry with the same content changes nothing. Safe against a
    concurrent writer: the unique keys (entry per source, article per canonical URL) decide, and a lost
    race is retried once against the row the other writer committed.
    """
    clean = article_clean(data)
    if not entry.item_hash:
        entry.item_hash = clean.content_hash
    if not clean.canonical_url_hash:
        clean.canonical_url_hash = hashlib.sha256(f"entry:{source_id}:{entry.key_hash}".encode()).hexdigest()
        clean.url = clean.canonical_url = safe_http_url(clean_line(data.link_fallback, cap=CAPS["url"]))
    for attempt in range(2):
        try:
            with transaction.atomic():
                return _store(source_id=source_id, entry=entry, clean=clean, now=now)
        except IntegrityError:
            if attempt == 1:
                raise
    raise AssertionError("unreachable")


def _store(*, source_id: int, entry: EntryInput, clean: CleanArticle, now: datetime) -> IngestResult:
    existing = (
        Entry.objects.select_related("article").filter(source_id=source_id, key_hash=entry.key_hash).first()
    )
    if existing is not None:
        if existing.content_hash == entry.item_hash:
            return IngestResult("unchanged", existing.article_id, existing.id)
        # The article belongs to the source that brought it first; another source's edit of its own
        # copy (an excerpt, a re-headlined syndication) must not overwrite what readers see.
        if existing.article.primary_source_id in (None, source_id):
            _article_update(existing.article, clean)
        existing.content_hash = entry.item_hash
        existing.last_seen_at = now
        existing.save(update_fields=["content_hash", "last_seen_at"])
        return IngestResult("updated", existing.article_id, existing.id)

    article = Article.objects.filter(canonical_url_hash=clean.canonical_url_hash).first()
    outcome: Outcome = "duplicate"
    if article is None:
        article = Article.objects.create(
            **_article_fields(clean),
            first_seen_at=now,
            sort_at=Article.sort_time(clean.published_at, now),
            primary_source_id=source_id,
        )
        outcome = "new"
    created = Entry.objects.create(
        source_id=source_id,
        key_hash=entry.key_hash,
        key_kind=entry.key_kind,
        guid=clean_line(entry.guid or "", cap=CAPS["guid"]),
        url=clean.url,
        article=article,
        content_hash=entry.item_hash,
        first_seen_at=now,
        last_seen_at=now,
    )
    return IngestResult(outcome, article.id, created.id)


def _article_fields(clean: CleanArticle) -> dict[str, Any]:
    return {
        "url": clean.url,
        "canonical_url": clean.canonical_url,
        "canonical_url_hash": clean.canonical_url_hash,
        "title": clean.title,
        "summary": clean.summary,
        "body_html": clean.body_html,
        "body_text": clean.body_text,
        "raw": clean.raw,
        "sanitizer_version": SANITIZER_VERSION,
        "extraction_method": clean.extraction_method,
        "image_url": clean.image_url,
        "author": clean.author,
        "published_at": clean.published_at,
        "language": clean.language,
        "text_length": len(clean.body_text),
        "content_hash": clean.content_hash,
        "policy": clean.policy,
        "feed_categories": clean.categories,
    }


def _article_update(article: Article, clean: CleanArticle) -> None:
    """An edited entry updates the article in place (same id, so its comments stay)."""
    fields = _article_fields(clean)
    # The canonical URL is the article's identity; an edit never moves it.
    for name in ("url", "canonical_url", "canonical_url_hash"):
        fields.pop(name)
    if not clean.body_text and article.body_text:
        fields.pop("body_html"), fields.pop("body_text"), fields.pop("text_length")
    for name, value in fields.items():
        setattr(article, name, value)
    article.save(update_fields=[*fields.keys(), "updated_at"])


def article_set_hidden(*, article_ids: list[int], hidden: bool) -> int:
    """Hide articles from (or show them on) the site; cached pages that listed them are refreshed."""
    from cupure.lib.pagecache import bump_page_cache

    changed = Article.objects.filter(id__in=article_ids).update(hidden=hidden)
    bump_page_cache()
    return changed


def article_resanitize(*, article_id: int) -> bool:
    """Rebuild the cleaned fields from the stored raw input (after a sanitiser change)."""
    article = Article.objects.get(id=article_id)
    if not article.raw:
        return False
    payload = json.loads(zlib.decompress(bytes(article.raw)).decode("utf-8"))
    published = payload.get("published_at")
    payload["published_at"] = datetime.fromisoformat(published) if published else None
    clean = article_clean(ArticleInput(**payload))
    with transaction.atomic():
        _article_update(article, clean)
    return True
