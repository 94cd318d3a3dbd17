"""Feed discovery from a page's <link rel="alternate"> tags, and telling pages from feeds."""

from __future__ import annotations

import pytest

from cupure.pipeline.discover import MAX_DISCOVERED, discover_feeds, looks_like_html

BASE = "https://news.example.test/section/index.html"


def page(head: str) -> bytes:
    return f"<!doctype html><html><head><title>t</title>{head}</head><body><p>hi</p></body></html>".encode()


def test_it_finds_feeds_in_document_order_and_resolves_relative_urls():
    html = page(
        '<link rel="alternate" type="application/atom+xml" href="/atom.xml">'
        '<link rel="stylesheet" href="/site.css">'
        '<link rel="alternate" type="application/rss+xml" href="feed.rss">'
        '<link rel="alternate" type="application/feed+json" href="https://cdn.example.test/feed.json">'
        '<link rel="alternate" type="application/json" href="//other.test/items.json">'
    )
    assert discover_feeds(html, BASE) == [
        "https://news.example.test/atom.xml",
        "https://news.example.test/section/feed.rss",
        "https://cdn.example.test/feed.json",
        "https://other.test/items.json",
    ]


@pytest.mark.parametrize(
    "link",
    [
        '<link rel="ALTERNATE" type="Application/RSS+XML; charset=utf-8" href="/a.xml">',
        '<link rel="alternate home" type="application/rss+xml" href="/a.xml">',
        '<LINK REL="alternate" TYPE="application/rss+xml" HREF="  /a.xml  ">',
    ],
)
def test_rel_and_type_are_matched_case_insensitively(link):
    assert discover_feeds(page(link), BASE) == ["https://news.example.test/a.xml"]


@pytest.mark.parametrize(
    "link",
    [
        '<link rel="alternate" type="text/html" href="/fr/">',  # a translation, not a feed
        '<link rel="alternate" hreflang="de" href="/de/">',
        '<link rel="feed" type="application/rss+xml" href="/x.xml">',
        '<link rel="alternate" type="application/rss+xml">',
        '<link rel="alternate" type="application/rss+xml" href="">',
    ],
)
def test_links_that_are_not_feeds_are_ignored(link):
    assert discover_feeds(page(link), BASE) == []


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "file:///etc/passwd",
        "ftp://x.test/feed",
        "data:text/xml,<rss/>",
        "feed://x.test/r",
    ],
)
def test_only_http_and_https_urls_are_returned(href):
    assert (
        discover_feeds(page(f'<link rel="alternate" type="application/rss+xml" href="{href}">'), BASE) == []
    )


def test_duplicates_are_dropped_and_fragments_removed():
    html = page(
        '<link rel="alternate" type="application/rss+xml" href="/feed.xml">'
        '<link rel="alternate" type="application/rss+xml" href="https://news.example.test/feed.xml#top">'
    )
    assert discover_feeds(html, BASE) == ["https://news.example.test/feed.xml"]


def test_an_http_base_href_is_respected():
    html = page(
        '<base href="https://static.example.test/feeds/">'
        '<link rel="alternate" type="application/rss+xml" href="main.xml">'
    )
    assert discover_feeds(html, BASE) == ["https://static.example.test/feeds/main.xml"]


@pytest.mark.parametrize("base", ["javascript:alert(1)//", "file:///srv/", "data:,x"])
def test_a_non_web_base_href_is_ignored(base):
    html = page(f'<base href="{base}"><link rel="alternate" type="application/rss+xml" href="main.xml">')
    assert discover_feeds(html, BASE) == ["https://news.example.test/section/main.xml"]


@pytest.mark.parametrize("html", [b"", b"   ", b"\x00\x01garbage", b"<rss><channel/></rss>"])
def test_empty_or_non_html_input_yields_nothing(html):
    assert discover_feeds(html, BASE) == []


def test_a_page_advertising_thousands_of_feeds_is_capped():
    links = "".join(f'<link rel="alternate" type="application/rss+xml" href="/f{n}.xml">' for n in range(500))
    assert len(discover_feeds(page(links), BASE)) == MAX_DISCOVERED


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        (page(""), "text/html; charset=utf-8", True),
        (page(""), None, True),
        (b"\xef\xbb\xbf  <!DOCTYPE html><html></html>", "application/octet-stream", True),
        (b"<html><body>x</body></html>", "", True),
        (
            b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"></html>',
            "application/xhtml+xml",
            True,
        ),
        (b'<?xml version="1.0"?><rss version="2.0"><channel/></rss>', "application/rss+xml", False),
        (b'<?xml version="1.0"?><rss version="2.0"><channel/></rss>', "text/html", False),  # mislabelled feed
        (b'<feed xmlns="http://www.w3.org/2005/Atom"></feed>', "text/html", False),
        (b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"></feed>', None, False),
        (b'{"version": "https://jsonfeed.org/version/1.1"}', "application/feed+json", False),
        (b"\x89PNG\r\n\x1a\n....", "image/png", False),
        (b"", "text/plain", False),
    ],
)
def test_looks_like_html_tells_pages_from_feeds(body, content_type, expected):
    assert looks_like_html(body, content_type) is expected
