"""OPML import/export (SECURITY.md B1, B11)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from cupure.pipeline.opml import OpmlError, OpmlOutline, build_opml, parse_opml

FEEDS = Path(__file__).resolve().parent.parent / "testdata" / "feeds"


def test_it_flattens_nested_outlines_with_their_categories() -> None:
    outlines = parse_opml((FEEDS / "subscriptions.opml").read_bytes())
    assert outlines == [
        OpmlOutline("Top level", "https://top.example/feed", "https://top.example/", ""),
        OpmlOutline(
            "Harbour Gazette", "https://gazette.example/rss", "https://gazette.example/", "News / Local"
        ),
        OpmlOutline("Wire", "https://wire.example/atom", None, "News"),
        OpmlOutline("Private", "http://10.0.0.1/feed", None, ""),  # the importer refuses it per line
    ]


def test_entities_and_external_references_are_not_expanded() -> None:
    started = time.perf_counter()
    outlines = parse_opml((FEEDS / "xxe.opml").read_bytes())
    assert time.perf_counter() - started < 1.0
    hostname = Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").exists() else "\0never"
    text = " ".join(o.title + o.xml_url for o in outlines)
    assert hostname not in text and "lollol" not in text


def test_the_outline_count_is_capped() -> None:
    body = b"".join(b'<outline text="f%d" xmlUrl="https://f.example/%d"/>' % (i, i) for i in range(6000))
    outlines = parse_opml(b'<opml version="2.0"><body>' + body + b"</body></opml>", max_outlines=5000)
    assert len(outlines) == 5000 and outlines[0].title == "f0"


def test_deep_nesting_does_not_recurse() -> None:
    deep = (
        b'<outline text="d">' * 1000
        + b'<outline text="leaf" xmlUrl="https://l.example/"/>'
        + b"</outline>" * 1000
    )
    outlines = parse_opml(b'<opml version="2.0"><body>' + deep + b"</body></opml>")
    assert [o.title for o in outlines] in ([], ["leaf"])  # libxml2 may refuse the depth; never a crash


@pytest.mark.parametrize("document", [b"", b"not xml", b"<rss/>"])
def test_non_opml_raises_opml_error(document: bytes) -> None:
    with pytest.raises(OpmlError):
        parse_opml(document)


def test_build_then_parse_round_trips() -> None:
    outlines = [
        OpmlOutline("A & B", "https://a.example/feed?x=1&y=2", "https://a.example/", "News"),
        OpmlOutline("C", "https://c.example/rss", None, ""),
        OpmlOutline('Quote "q"', "https://q.example/rss", None, "News"),
    ]
    document = build_opml(outlines, "Export")
    assert document.startswith(b"<?xml")
    assert sorted(parse_opml(document), key=lambda o: o.xml_url) == sorted(outlines, key=lambda o: o.xml_url)
