"""Normalisation, caps and HTML-to-text (SECURITY.md 4.4 steps 1-2, C12)."""

from __future__ import annotations

import pytest

from cupure.pipeline.textnorm import (
    CAPS,
    MOJIBAKE_MAX_CHARS,
    clean_line,
    clean_text,
    html_to_text,
    repair_mojibake,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("plain", "plain"),
        ("nul\x00byte", "nulbyte"),
        ("bell\x07 and esc\x1b", "bell and esc"),
        ("tab\tnew\nline\r", "tab\tnew\nline\r"),  # \t \n \r survive in multi-line text
        ("lone \ud800 surrogate", "lone \ufffd surrogate"),
        ("e\u0301", "\u00e9"),  # NFC
        ("evil\u202egnp.exe", "evilgnp.exe"),  # RLO stripped
        ("iso\u2066late\u2069", "isolate"),
        (None, ""),
        (42, "42"),
        (b"bytes \xff", "bytes \ufffd"),
    ],
)
def test_clean_text_normalises(value: object, expected: str) -> None:
    assert clean_text(value, cap=100) == expected


@pytest.mark.parametrize(
    ("garbled", "meant"),
    [
        # read as Windows-1252
        ("The council\u00e2\u20ac\u2122s vote \u00e2\u20ac\u201d at last", "The council’s vote — at last"),
        ("We\u00e2\x80\x99re open", "We’re open"),  # read as Latin-1: C1 controls
        ("Caf\u00c3\u00a9 cr\u00c3\u00a8me", "Café crème"),
        ("\u00e4\u00b8\u00ad\u00e6\u2013\u2021 \u00f0\u0178\u02dc\u20ac", "中文 😀"),  # 3 and 4 bytes
    ],
)
def test_text_decoded_twice_reads_as_written(garbled: str, meant: str) -> None:
    assert clean_line(garbled, cap=100) == meant


@pytest.mark.parametrize(
    "text",
    [
        "Il a dit «\u00a0café\u00a0» et «déjà»",
        "Straße, schön“ und Ärger, „GRÜN“",
        "naïve résumé — ’tis",
        "ÂÃâ plain",
        "Zażółć gęślą jaźń",
    ],
)
def test_correct_accented_text_is_left_alone(text: str) -> None:
    assert repair_mojibake(text) == text


def test_mojibake_repair_is_bounded_for_huge_fields() -> None:
    garbled = "It\u00e2\u20ac\u2122s fine. "
    huge = garbled * (MOJIBAKE_MAX_CHARS // len(garbled) + 1)
    assert repair_mojibake(huge) == huge  # left as it is rather than spending seconds on it
    assert repair_mojibake(garbled * 100) == "It’s fine. " * 100


def test_clean_line_collapses_all_whitespace() -> None:
    assert clean_line("  Breaking:\n\n  news \t here\u00a0now ", cap=100) == "Breaking: news here now"


@pytest.mark.parametrize("function", [clean_text, clean_line])
def test_long_values_are_truncated_with_a_marker(function) -> None:  # noqa: ANN001
    result = function("x" * 5_000_000, cap=CAPS["title"])
    assert len(result) == CAPS["title"] and result.endswith("…")


def test_caps_match_the_security_baseline() -> None:
    assert CAPS == {
        "title": 512,
        "author": 256,
        "url": 2048,
        "summary": 16384,
        "content": 524288,
        "category": 128,
        "guid": 2048,
    }


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>One</p><p>Two &amp; three</p>", "One\n\nTwo & three"),
        ("a<br>b", "a\nb"),
        ("<b>bold</b> &lt;tag&gt; &eacute;", "bold <tag> é"),
        ("<script>alert(1)</script><style>p{}</style>kept", "kept"),
        ("<div>  spaced\n   out  </div>", "spaced out"),
        ("<ul><li>a</li><li>b</li></ul>", "a\n\nb"),
        ("no markup", "no markup"),
        ("", ""),
        ("<!-- c -->after", "after"),
    ],
)
def test_html_to_text(html: str, text: str) -> None:
    assert html_to_text(html) == text


def test_html_to_text_survives_deep_nesting() -> None:
    assert "x" in html_to_text("<div>" * 50_000 + "x" + "</div>" * 50_000)
