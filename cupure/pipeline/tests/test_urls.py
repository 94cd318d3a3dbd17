"""Canonical URLs, identity keys (SECURITY.md 7.1) and slugs."""

from __future__ import annotations

import hashlib

import pytest

from cupure.pipeline.parse import ParsedEntry
from cupure.pipeline.urls import (
    canonicalize_url,
    disambiguate_keys,
    entry_key,
    host_of,
    slugify_term,
    url_hash,
)


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTPS://Example.COM:443/a?b=2&a=1#frag", "https://example.com/a?a=1&b=2"),
        ("http://example.com:80", "http://example.com/"),
        ("http://example.com:8080/x", "http://example.com:8080/x"),
        ("https://n.example/a?utm_source=rss&utm_medium=feed&id=7", "https://n.example/a?id=7"),
        ("https://n.example/a?fbclid=1&gclid=2&mc_cid=3&mc_eid=4&ocid=5&cmpid=6", "https://n.example/a"),
        (
            "https://n.example/a?ns_mchannel=x&at_medium=y&at_campaign=z&_ga=1&ref_src=t&smid=s",
            "https://n.example/a",
        ),
        ("https://bücher.example/ö", "https://xn--bcher-kva.example/ö"),
        ("https://n.example/a?q=a+b&empty=", "https://n.example/a?empty=&q=a%20b"),
        ("  https://n.example/x  ", "https://n.example/x"),
        ("mailto:a@b.example", "mailto:a@b.example"),
    ],
)
def test_canonicalize_url(url: str, canonical: str) -> None:
    assert canonicalize_url(url) == canonical


@pytest.mark.parametrize(
    "url", ["https://n.example/a?b=1&a=%20x+y", "HTTP://X.example:80?utm_x=1", "https://bücher.example/"]
)
def test_canonicalize_url_is_idempotent(url: str) -> None:
    once = canonicalize_url(url)
    assert canonicalize_url(once) == once


def test_url_hash_is_sha256_of_the_canonical_form() -> None:
    assert url_hash("https://A.example/x?utm_source=1") == hashlib.sha256(b"https://a.example/x").hexdigest()


@pytest.mark.parametrize(
    ("fields", "kind", "value"),
    [
        ({"guid": " g-1 ", "url": "https://a.example/1", "title": "t", "content": "c"}, "guid", "g-1"),
        (
            {"guid": None, "url": "https://A.example/1?utm_source=x", "title": "t", "content": "c"},
            "url",
            "https://a.example/1",
        ),
        ({"guid": "", "url": None, "title": "t", "content": "c"}, "content", "t\nc"),
    ],
)
def test_entry_key_prefers_guid_then_url_then_content(fields: dict, kind: str, value: str) -> None:
    assert entry_key(**fields) == (kind, hashlib.sha256(f"{kind}:{value}".encode()).hexdigest())


def _entry(guid: str | None, url: str | None, title: str = "t") -> ParsedEntry:
    return ParsedEntry(
        guid=guid,
        url=url,
        title=title,
        summary_html="",
        content_html="",
        author="",
        published_at=None,
        updated_at=None,
    )


def test_repeated_guids_are_disambiguated_by_url_then_position() -> None:
    entries = [
        _entry("same", "https://d.example/1"),
        _entry("same", "https://d.example/2"),
        _entry("same", None),
        _entry("same", "https://d.example/2"),
    ]
    keys = disambiguate_keys(entries)
    sha = lambda v: hashlib.sha256(f"guid:{v}".encode()).hexdigest()  # noqa: E731
    assert keys == [
        ("guid", sha("same")),
        ("guid", sha("same|https://d.example/2")),
        ("guid", sha("same|2")),
        ("guid", sha("same|3")),
    ]
    assert disambiguate_keys(entries) == keys  # stable across refetches


def test_distinct_entries_keep_their_plain_keys() -> None:
    entries = [_entry("a", None), _entry(None, "https://d.example/x"), _entry(None, None, "only title")]
    assert disambiguate_keys(entries) == [
        entry_key(guid=e.guid, url=e.url, title=e.title, content=e.content_html) for e in entries
    ]


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("White House", "white-house"),
        ("  Trump's   plan ", "trump-s-plan"),
        ("Москва", "москва"),
        ("नई दिल्ली", "नई-दिल्ली"),  # combining vowel signs kept
        ("Ｆｕｌｌ width", "full-width"),
        ("C++ / Rust", "c-rust"),
        ("", ""),
    ],
)
def test_slugify_term(text: str, slug: str) -> None:
    assert slugify_term(text) == slug


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://WWW.Example.com:8443/x", "www.example.com"),
        ("https://bücher.example", "xn--bcher-kva.example"),
        ("not a url", ""),
        ("http://[::1]/", "::1"),
    ],
)
def test_host_of(url: str, host: str) -> None:
    assert host_of(url) == host
