"""Feed discovery: find the feeds a web page advertises with ``<link rel="alternate">``.

Pure functions on bytes; the caller fetches the page (and then each discovered URL) through
``fetch.py``, so the same address guard applies to discovered URLs (SECURITY.md A23).
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

FEED_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/feed+json", "application/json"}
)
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
MAX_DISCOVERED = 50  # a page listing thousands of "feeds" is not a menu we want to offer
_SNIFF_BYTES = 1024


def _is_web_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _parse(html: bytes) -> lxml.html.HtmlElement | None:
    if not html.strip():
        return None
    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None


def _document_base(document: lxml.html.HtmlElement, base_url: str) -> str:
    """``<base href>`` counts only when it resolves to http(s); a ``javascript:`` or ``file:``
    base must not turn relative feed links into something else."""
    for href in document.xpath("//base/@href"):
        candidate = urljoin(base_url, str(href).strip())
        return candidate if _is_web_url(candidate) else base_url
    return base_url


def _is_feed_link(rel: str | None, type_: str | None) -> bool:
    rels = {token.lower() for token in (rel or "").split()}
    media_type = (type_ or "").split(";")[0].strip().lower()
    return "alternate" in rels and media_type in FEED_TYPES


def discover_feeds(html: bytes, base_url: str) -> list[str]:
    """Absolute http(s) feed URLs advertised by the page, deduplicated, in document order."""
    document = _parse(html)
    if document is None:
        return []
    base = _document_base(document, base_url)
    found: list[str] = []
    for link in document.iter("link"):
        href = (link.get("href") or "").strip()
        if not href or not _is_feed_link(link.get("rel"), link.get("type")):
            continue
        url = urljoin(base, href).split("#")[0]
        if _is_web_url(url) and url not in found:
            found.append(url)
        if len(found) >= MAX_DISCOVERED:
            break
    return found


def _sniff_html(body: bytes) -> bool:
    head = body[:_SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<?xml"):
        # XHTML pages start like feeds; look for the root element instead
        return b"<html" in head and not any(tag in head for tag in (b"<rss", b"<feed", b"<rdf:rdf"))
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<body"))


def looks_like_html(body: bytes, content_type: str | None) -> bool:
    """Is this response a web page (worth running discovery on) rather than a feed?"""
    media_type = (content_type or "").split(";")[0].strip().lower()
    if media_type in HTML_TYPES:
        # servers label feeds text/html surprisingly often: trust a feed-looking body over the header
        head = body[:_SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        return not head.startswith((b"<rss", b"<feed", b"<?xml")) or _sniff_html(body)
    if media_type in FEED_TYPES or media_type.endswith(("+xml", "/xml", "+json")):
        return False
    return _sniff_html(body)
