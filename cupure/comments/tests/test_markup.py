from __future__ import annotations

import time
from html.parser import HTMLParser

import pytest

from cupure.comments.markup import link_count, normalize_body, render


def test_the_markdown_subset_renders_emphasis_code_quotes_lists_and_links() -> None:
    html = render(
        "*em* **strong** `code`\n\n> quoted\n\n- one\n- two\n\n1. first\n\n```\nblock\n```\n\n[a](https://example.test/)"
    )
    for tag in (
        "<em>em</em>",
        "<strong>strong</strong>",
        "<code>code</code>",
        "<blockquote>",
        "<ul>",
        "<ol>",
        "<pre>",
    ):
        assert tag in html
    assert '<a href="https://example.test/" rel="nofollow ugc noopener">a</a>' in html


@pytest.mark.parametrize(
    "payload",
    [
        "[x](javascript:alert(1))",
        "<javascript:alert(1)>",
        "<img src=x onerror=alert(1)>",
        "<script>alert(1)</script>",
        '<a href="javascript:alert(1)">x</a>',
        "[x](JaVaScRiPt:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[x](vbscript:msgbox(1))",
        "<svg onload=alert(1)>",
        '<iframe src="https://evil.example"></iframe>',
        "![x](javascript:alert(1))",
    ],
)
def test_script_urls_and_raw_html_never_survive_rendering(payload: str) -> None:
    elements = _elements(render(payload))
    assert {tag for tag, _ in elements} <= {"p", "a"}
    for tag, attrs in elements:
        assert all(not name.startswith("on") for name, _ in attrs)
        if tag == "a":
            href = dict(attrs).get("href") or ""
            assert href.startswith(("http://", "https://", "mailto:")) or href == ""


def _elements(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    found: list[tuple[str, list[tuple[str, str | None]]]] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append((tag, attrs))

    Collect().feed(html)
    return found


def test_images_become_plain_links_to_their_address() -> None:
    html = render("![pixel](http://tracker.example/pixel.gif)")
    assert "<img" not in html
    assert '<a href="http://tracker.example/pixel.gif" rel="nofollow ugc noopener">pixel</a>' in html
    assert link_count(html) == 1


def test_headings_and_tables_stay_plain_text() -> None:
    html = render("# Big\n\n| a | b |\n|---|---|\n| 1 | 2 |")
    assert "<h1" not in html and "<table" not in html


def test_ten_thousand_nested_quotes_are_capped_and_fast() -> None:
    started = time.perf_counter()
    html = render("> " * 10_000 + "deep")
    assert time.perf_counter() - started < 0.5
    assert html.count("<blockquote>") <= 12


@pytest.mark.parametrize("body", ["*" * 5000, "_a" * 2500, "[a" * 2500, "`" * 5000, "x" * 5000])
def test_pathological_bodies_at_the_length_limit_render_quickly(body: str) -> None:
    started = time.perf_counter()
    render(body)
    assert time.perf_counter() - started < 0.5


def test_normalising_removes_invisible_characters_and_outer_whitespace() -> None:
    assert normalize_body("\u200b\u200d \n\ufeff\t ") == ""
    assert normalize_body("  caf\u0065\u0301 \r\n") == "caf\u00e9"
    assert normalize_body("a\x00b") == "ab"
