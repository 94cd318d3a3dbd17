"""Full text for each new entry: the feed's own body when it is whole, else the article page.

Order (DESIGN.md section 2): policy ``excerpt`` stores the excerpt only; a complete feed body is used
as is; otherwise the page is fetched (where robots.txt allows) and the article taken from it
(JSON-LD ``articleBody``, else the extractor). When the page cannot be had, the feed's text is kept
and the article is marked ``feed-partial`` rather than lost.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from django.conf import settings

from cupure.pipeline.extract import ExtractedArticle, extract_article, feed_body_is_complete
from cupure.pipeline.fetch import FetchError, FetchRequest, fetch_many_sync
from cupure.pipeline.parse import ParsedEntry
from cupure.pipeline.robots import RobotsCache, host_key, robots_text_for_outcome, robots_url
from cupure.sources.fetching import page_limits
from cupure.sources.models import Policy, Source

log = logging.getLogger(__name__)
_robots = RobotsCache()


@dataclass
class FullText:
    body_html: str
    method: str
    extracted: ExtractedArticle | None = None
    page_url: str | None = None


def full_texts(source: Source, entries: list[ParsedEntry], *, fetch_pages: bool = True) -> list[FullText]:
    """One FullText per entry, in order. Pages are fetched together, at most N per host at once."""
    results: list[FullText | None] = []
    need_page: list[int] = []
    for index, entry in enumerate(entries):
        feed_body = entry.content_html or entry.summary_html
        if source.policy == Policy.EXCERPT:
            results.append(FullText(body_html="", method="excerpt"))
        elif entry.content_html and feed_body_is_complete(entry.content_html):
            results.append(FullText(body_html=entry.content_html, method="feed"))
        elif fetch_pages and entry.url:
            results.append(None)
            need_page.append(index)
        else:
            results.append(FullText(body_html=feed_body, method="feed-partial"))
    if need_page:
        _fill_from_pages(source, entries, need_page, results)
    return [r if r is not None else FullText("", "feed-partial") for r in results]


def _fill_from_pages(
    source: Source, entries: list[ParsedEntry], indexes: list[int], results: list[FullText | None]
) -> None:
    allowed = [i for i in indexes if _robots_allow(source, entries[i].url or "")]
    for i in set(indexes) - set(allowed):
        entry = entries[i]
        results[i] = FullText(entry.content_html or entry.summary_html, "feed-partial (robots.txt)")
    requests = [FetchRequest(url=entries[i].url or "") for i in allowed]
    fetched = fetch_many_sync(requests, limits=page_limits(), per_host=settings.FETCH_PER_HOST, concurrency=8)
    for i, page in zip(allowed, fetched, strict=True):
        entry = entries[i]
        fallback = entry.content_html or entry.summary_html
        if isinstance(page, FetchError):
            log.info("article page not fetched", extra={"url": entry.url, "kind": page.kind})
            results[i] = FullText(fallback, f"feed-partial ({page.kind})")
            continue
        try:
            extracted = extract_article(
                page.body, url=page.url, content_type=page.headers.get("content-type")
            )
        except Exception:  # noqa: BLE001 - a bug on one odd page must not cost the feed's other entries
            log.exception("article extraction failed", extra={"url": page.url})
            results[i] = FullText(fallback, "feed-partial (extract error)", None, page.url)
            continue
        if len(extracted.text) < len(_plain(fallback)):
            # The page gave less than the feed (a consent wall, a login page): trust nothing from it.
            results[i] = FullText(fallback, "feed-partial", None, page.url)
        else:
            results[i] = FullText(extracted.html, extracted.method, extracted, page.url)


def _plain(html: str) -> str:
    from cupure.pipeline.textnorm import html_to_text

    return html_to_text(html) if html else ""


def _robots_allow(source: Source, url: str) -> bool:
    if not (settings.FETCH_RESPECT_ROBOTS and source.respect_robots):
        return True
    now = time.time()
    answer = _robots.allows(url, settings.FETCH_USER_AGENT, now)
    if answer is None:
        [result] = fetch_many_sync([FetchRequest(url=robots_url(url))], limits=page_limits(), per_host=1)
        if isinstance(result, FetchError):
            text = robots_text_for_outcome(result.status)
        else:
            text = robots_text_for_outcome(result.status, result.body)
        _robots.put(host_key(url), text, now)
        answer = _robots.allows(url, settings.FETCH_USER_AGENT, now)
    return bool(answer)
