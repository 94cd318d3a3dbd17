"""Adding sources: by feed URL, by a site's home page (feed discovery), or from an OPML file."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from cupure.articles.models import Section
from cupure.pipeline.discover import discover_feeds, looks_like_html
from cupure.pipeline.fetch import FetchError, fetch
from cupure.pipeline.opml import OpmlOutline, build_opml, parse_opml
from cupure.pipeline.parse import ParseError, parse_feed
from cupure.pipeline.sanitize import safe_http_url
from cupure.pipeline.textnorm import clean_line
from cupure.sources.fetching import feed_limits
from cupure.sources.models import Policy, Source


class SourceAddError(Exception):
    """Why a source could not be added, in words an operator can act on."""


@dataclass
class ImportReport:
    added: list[Source]
    skipped: list[tuple[str, str]]  # (url, reason)


def section_get_or_create(slug_or_name: str) -> Section:
    slug = slugify(slug_or_name)[:64] or "news"
    section, _ = Section.objects.get_or_create(slug=slug, defaults={"name": slug_or_name.strip().title()})
    return section


def source_add(
    *,
    url: str,
    name: str | None = None,
    section: str | None = None,
    policy: str = Policy.FULL,
    single_topic: bool = True,
    check: bool = True,
) -> Source:
    """Add a source by its feed URL or its site's home page.

    With ``check`` (the default) the URL is fetched through the guarded fetcher: a feed is added as
    is; an HTML page is searched for ``<link rel=alternate>`` feeds and the first one that parses is
    added. Without it the URL is stored unverified (OPML import, offline set-up).
    """
    feed_url = safe_http_url(clean_line(url, cap=2048))
    if not feed_url:
        raise SourceAddError(f"{url!r} is not an http(s) URL")
    if policy not in Policy.values:
        raise SourceAddError(f"policy must be one of {', '.join(Policy.values)}")
    title, site_url = "", ""
    if check:
        feed_url, title, site_url = _resolve_feed(feed_url)
    if Source.objects.filter(feed_url=feed_url).exists():
        raise SourceAddError(f"a source with the feed {feed_url} already exists")
    display = clean_line(name or title or feed_url, cap=256)
    try:
        with transaction.atomic():
            return Source.objects.create(
                name=display,
                slug=_unique_slug(display),
                feed_url=feed_url,
                site_url=site_url,
                section=section_get_or_create(section) if section else None,
                policy=policy,
                single_topic=single_topic,
            )
    except IntegrityError as exc:
        raise SourceAddError(f"a source with the feed {feed_url} already exists") from exc


def _resolve_feed(url: str) -> tuple[str, str, str]:
    """(feed URL, feed title, site URL) for a feed URL or a page that links to feeds."""
    try:
        result = fetch(url, limits=feed_limits())
    except FetchError as exc:
        raise SourceAddError(f"could not fetch {url}: {exc}") from exc
    content_type = result.headers.get("content-type")
    try:
        feed = parse_feed(result.body, base_url=result.url, content_type=content_type)
        return result.url, feed.title, feed.site_url or ""
    except ParseError as exc:
        if not looks_like_html(result.body, content_type):
            raise SourceAddError(f"{url} is not a feed: {exc}") from exc
    for candidate in discover_feeds(result.body, result.url)[:5]:
        try:
            found = fetch(candidate, limits=feed_limits())
            feed = parse_feed(found.body, base_url=found.url, content_type=found.headers.get("content-type"))
        except (FetchError, ParseError):
            continue
        return found.url, feed.title, feed.site_url or result.url
    raise SourceAddError(f"{url} is an HTML page that links to no working feed")


def _unique_slug(name: str) -> str:
    base = slugify(name)[:100] or "source"
    slug, n = base, 2
    while Source.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def sources_import_opml(*, data: bytes, section: str | None = None) -> ImportReport:
    """Add every feed of an OPML file (unverified: the first poll reports broken ones)."""
    report = ImportReport(added=[], skipped=[])
    for outline in parse_opml(data):
        try:
            report.added.append(
                source_add(
                    url=outline.xml_url,
                    name=outline.title or None,
                    section=section or outline.category or None,
                    check=False,
                )
            )
        except SourceAddError as exc:
            report.skipped.append((outline.xml_url, str(exc)))
    return report


def sources_export_opml() -> bytes:
    outlines = [
        OpmlOutline(
            title=s.name,
            xml_url=s.feed_url,
            html_url=s.site_url or None,
            category=s.section.name if s.section else None,
        )
        for s in Source.objects.select_related("section").order_by("name")
    ]
    return build_opml(outlines, title="cupure sources")
