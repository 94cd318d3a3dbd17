"""The HTML allow-list against the SECURITY.md C1-C11 corpus, plus its properties."""

from __future__ import annotations

import re

import pytest

from cupure.pipeline.sanitize import SANITIZER_VERSION, safe_http_url, sanitize_html

BASE = "https://news.example/articles/1"
REL = 'rel="noopener noreferrer nofollow ugc"'
IMG = "https://news.example/articles"

CORPUS = {
    "C1 script": "<script>alert(1)</script>text",
    "C1 onerror": "<img src=x onerror=alert(1)>",
    "C1 handler": "<h2 onmouseenter=alert(1)>head</h2>",
    "C2 svg": "<svg onload=alert(1)><a><set attributeName=href to=javascript:alert(1)>x</set></a></svg>",
    "C2 math": "<math><annotation-xml encoding=text/html><img src=x onerror=alert(1)></math>",
    "C3 noscript": '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "C3 form math": '<form><math><mtext></form><form><mglyph><svg><mtext><style><path id="</style>'
    '<img onerror=alert(1) src>">',
    "C4 case": '<a href="jAvAsCrIpT:alert(1)">a</a>',
    "C4 tab": '<a href="java&#x09;script:alert(1)">a</a>',
    "C4 entity": '<a href="&#106;avascript:alert(1)">a</a>',
    "C4 percent": '<a href="%6a%61vascript:alert(1)">a</a>',
    "C4 space": '<a href=" javascript:alert(1)">a</a>',
    "C4 vbscript": '<a href="vbscript:msgbox(1)">a</a>',
    "C4 data": '<a href="data:text/html,<script>alert(1)</script>">a</a>',
    "C5 iframe": '<iframe src="javascript://youtube.com/%0Aalert(1)">inner</iframe>',
    "C5 protocol-relative": '<iframe src="//evil.com/youtube.com"></iframe>',
    "C7 form": "<form action=https://evil.example/><input type=password name=p><button>go</button></form>",
    "C8 meta": '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    "C8 base": '<base href="//evil.example/">',
    "C8 link": '<link rel=stylesheet href="https://evil.example/x.css">',
    "C8 style": "<style>@import 'https://evil.example/x.css';</style>",
    "C8 overlay": '<div style="position:fixed;top:0;left:0;width:100%">overlay</div>',
    "C8 object": '<object data="https://evil.example/x.swf"></object><embed src="https://evil.example/y">',
    "C9 srcset": '<img srcset="http:a<script>alert(1)</script> 1x">',
    "class id": '<p class="x" id="y" data-z="1">p</p>',
}
_ON_ATTRIBUTE = re.compile(r"<[^>]*\son\w+\s*=", re.IGNORECASE)


@pytest.mark.parametrize("payload", CORPUS.values(), ids=CORPUS.keys())
def test_no_script_vector_survives(payload: str) -> None:
    cleaned = sanitize_html(payload, base_url=BASE)
    lowered = cleaned.lower()
    assert "javascript:" not in lowered and "vbscript:" not in lowered and "data:" not in lowered
    assert not _ON_ATTRIBUTE.search(cleaned)
    for tag in (
        "<script",
        "<svg",
        "<math",
        "<iframe",
        "<form",
        "<input",
        "<button",
        "<meta",
        "<base",
        "<link",
        "<style",
        "<object",
        "<embed",
        "<noscript",
    ):
        assert tag not in lowered
    assert " style=" not in lowered and " class=" not in lowered and " id=" not in lowered


@pytest.mark.parametrize("payload", CORPUS.values(), ids=CORPUS.keys())
def test_sanitizing_is_idempotent(payload: str) -> None:
    once = sanitize_html(payload, base_url=BASE)
    assert sanitize_html(once, base_url=BASE) == once


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>Hi <b>there</b></p>", "<p>Hi <b>there</b></p>"),
        ('<a href="/x">x</a>', f'<a href="https://news.example/x" {REL}>x</a>'),
        ('<a href="../../up">u</a>', f'<a href="https://news.example/up" {REL}>u</a>'),
        ('<a href="mailto:ed@news.example">m</a>', f'<a href="mailto:ed@news.example" {REL}>m</a>'),
        (
            '<img src="p.jpg" alt="A" width="10">',
            f'<img src="{IMG}/p.jpg" alt="A" width="10" loading="lazy">',
        ),
        (
            '<img srcset="a.jpg 1x, b.jpg 2x">',
            f'<img srcset="{IMG}/a.jpg 1x, {IMG}/b.jpg 2x" loading="lazy">',
        ),
        ('<img srcset="a.jpg 1x nonsense">', '<img loading="lazy">'),
        ('<td colspan="2" onclick="x">c</td>', "c"),  # a cell outside a table is unwrapped
        ('<time datetime="2026-11-01">today</time>', '<time datetime="2026-11-01">today</time>'),
        (
            '<blockquote cite="/src">q</blockquote>',
            '<blockquote cite="https://news.example/src">q</blockquote>',
        ),
        ("<h1>Top</h1>", "Top"),
        ("<!-- comment -->text", "text"),
    ],
)
def test_allowed_markup_is_kept_and_urls_made_absolute(html: str, expected: str) -> None:
    assert sanitize_html(html, base_url=BASE) == expected


def test_relative_urls_are_dropped_without_a_base() -> None:
    assert "href" not in sanitize_html('<a href="/x">x</a>', base_url=None)


def test_a_javascript_base_cannot_make_links_live() -> None:
    assert "href" not in sanitize_html('<a href="x">x</a>', base_url="javascript:alert(1)//")


def test_content_is_capped_at_512_kib_without_breaking_markup() -> None:
    html = "<p>" + "<b>word</b> " * 120_000 + "</p>"
    cleaned = sanitize_html(html, base_url=BASE)
    assert len(cleaned) <= 512 * 1024
    assert cleaned.startswith("<p>") and cleaned.endswith("</p>")
    assert cleaned.count("<b>") == cleaned.count("</b>")
    assert sanitize_html(cleaned, base_url=BASE) == cleaned


def test_the_sanitizer_has_a_version() -> None:
    assert SANITIZER_VERSION >= 1


@pytest.mark.parametrize(
    ("url", "base", "expected"),
    [
        ("https://a.example/x", None, "https://a.example/x"),
        ("/x", "https://a.example/y", "https://a.example/x"),
        ("javascript:alert(1)", None, ""),
        ("JaVaScRiPt:alert(1)", "https://a.example/", ""),
        ("data:text/html,x", None, ""),
        ("mailto:a@b.example", None, ""),
        ("https://", None, ""),
        ("/relative", None, ""),
        ("java\tscript:alert(1)", None, ""),
        (None, None, ""),
    ],
)
def test_safe_http_url(url: str | None, base: str | None, expected: str) -> None:
    assert safe_http_url(url, base_url=base) == expected
