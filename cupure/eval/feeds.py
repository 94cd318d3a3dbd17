"""Feed parsing evaluation (data pack README section 2): ``cupure eval feeds --data DIR``.

Two figures, both over every file listed in ``feeds/index.jsonl``:

``entries_matched``
    For files with an expected parse (feed-rs ``*.expected.json``: serde model with ``entries``;
    rss-parser ``*.expected.json``: ``{"feed": {"items": [...]}}``), the share of expected entries
    that our parse contains with the same title and the same link, pooled over all files (a feed
    with 60 entries weighs 60 times a feed with one). Titles are compared as plain text with HTML
    entities decoded and whitespace collapsed. Our parser's contract is plain-text titles, so an
    expected title typed as HTML, or holding markup (rss-parser keeps ``1930ft<sup>2</sup>``
    verbatim), is compared as its text. Links are compared after stripping whitespace, with
    "https://h" and "https://h/" the same link (RFC 3986 6.2.3); an expected link that is relative
    (the reference parsers do not resolve them) matches our absolute link when it resolves to it
    against the base URL we parsed with or against our link itself. An expected entry with no link
    matches one of ours with no link. Each of our entries matches at most once.

``parsed_ok``
    For files without an expected parse, the share handled correctly. A file is *meant to be
    rejected* when it is not a feed document at all (index ``format`` html, opml, xml or other):
    correct iff ``parse_feed`` raises ``ParseError``. A file marked ``illformed`` (deliberately
    broken, truncated or invalid) is correct when it is rejected *or* flagged, i.e. parsed with a
    warning: the README asks for "rejected or flagged without crashing", and recovering the text of
    a broken feed is what a reader should do. Every other file (well-formed feedparser cases, real
    feeds) is correct iff it parses without ``ParseError``; real feeds other than feedparser's
    synthetic cases must also yield at least one entry. Anything other than ``ParseError`` escaping
    the parser counts as wrong and is reported.

The base URL handed to the parser is ``https://feeds.invalid/<path>``, standing in for the URL the
file would have been fetched from.
"""

from __future__ import annotations

import html
import json
import re
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urljoin, urlsplit, urlunsplit

from cupure.pipeline.parse import ParsedFeed, ParseError, parse_feed
from cupure.pipeline.textnorm import html_to_text

BASE = "https://feeds.invalid/"
_REJECT_FORMATS = frozenset({"html", "opml", "xml", "other"})


_MARKUP = re.compile(r"<[A-Za-z/!]")


def _norm_title(value: object, *, is_html: bool = False) -> str:
    text = value if isinstance(value, str) else ""
    text = html_to_text(text) if is_html or _MARKUP.search(text) else html.unescape(text)
    return " ".join(text.split())


def _norm_link(value: object) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    link = value.strip()
    # "https://example.com" and "https://example.com/" are the same URL (RFC 3986 6.2.3).
    split = urlsplit(link)
    return urlunsplit(split._replace(path="/")) if split.netloc and not split.path else link


def _load_json(path: Path) -> Any:
    raw = path.read_bytes()
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return json.loads(raw.decode("latin-1"))  # rss-parser's encoding case is stored as latin-1


def _feed_rs_link(links: list[dict[str, Any]]) -> str | None:
    for link in links:
        if link.get("rel") in (None, "alternate"):
            return _norm_link(link.get("href"))
    return _norm_link(links[0].get("href")) if links else None


def expected_entries(document: Any) -> list[tuple[str, str | None]]:
    """(title, link) per expected entry, in document order, from either reference format."""
    if isinstance(document, dict) and isinstance(document.get("feed"), dict):
        items = document["feed"].get("items") or []
        return [(_norm_title(i.get("title")), _norm_link(i.get("link"))) for i in items]
    pairs = []
    for entry in document.get("entries") or []:
        title = entry.get("title") or {}
        is_html = "html" in (title.get("content_type") or "")
        pairs.append(
            (_norm_title(title.get("content"), is_html=is_html), _feed_rs_link(entry.get("links") or []))
        )
    return pairs


def _link_matches(ours: str | None, expected: str | None, base: str) -> bool:
    if expected is None or ours is None:
        return expected is None and ours is None
    return ours in (expected, urljoin(base, expected), urljoin(ours, expected))


def match_entries(parsed: ParsedFeed, expected: list[tuple[str, str | None]], base: str) -> int:
    """How many expected (title, link) pairs have a distinct parsed entry with the same title and link."""
    unused = [(_norm_title(e.title), _norm_link(e.url)) for e in parsed.entries]
    matched = 0
    for title, link in expected:
        for index, (our_title, our_link) in enumerate(unused):
            if our_title == title and _link_matches(our_link, link, base):
                matched += 1
                del unused[index]
                break
    return matched


def _attempt(path: Path, base: str) -> tuple[ParsedFeed | None, str]:
    try:
        return parse_feed(path.read_bytes(), base_url=base), ""
    except ParseError as error:
        return None, f"ParseError: {error}"
    except Exception as error:  # noqa: BLE001 - the evaluation reports parser crashes instead of dying
        return None, f"CRASH {type(error).__name__}: {error}"


def _judge(row: dict[str, Any], feed: ParsedFeed | None, error: str) -> bool:
    if error.startswith("CRASH"):
        return False
    if row["format"] in _REJECT_FORMATS:
        return feed is None
    if row["kind"] == "illformed":
        return feed is None or bool(feed.warnings)
    if feed is None:
        return False
    return row["set"] == "feedparser" or bool(feed.entries)


def run(data_dir: Path, *, out: TextIO | None, echo: Callable[[str], None]) -> dict[str, float]:
    """Score the parser on the feeds pack at ``data_dir`` (the pack root or its ``feeds/`` folder)."""
    feeds_dir = data_dir / "feeds" if (data_dir / "feeds" / "index.jsonl").exists() else data_dir
    rows = [json.loads(line) for line in (feeds_dir / "index.jsonl").read_text().splitlines() if line.strip()]
    per_set: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # matched, expected, ok, judged
    started = time.perf_counter()
    for row in rows:
        base = BASE + row["path"]
        feed, error = _attempt(feeds_dir / row["path"], base)
        record: dict[str, Any] = {"path": row["path"], "set": row["set"], "error": error or None}
        totals = per_set[row["set"]]
        if row.get("expected"):
            expected = expected_entries(_load_json(feeds_dir / row["expected"]))
            matched = match_entries(feed, expected, base) if feed else 0
            totals[0] += matched
            totals[1] += len(expected)
            record.update(expected=len(expected), matched=matched, parsed=len(feed.entries) if feed else 0)
        else:
            ok = _judge(row, feed, error)
            totals[2] += ok
            totals[3] += 1
            record.update(ok=ok, warnings=feed.warnings if feed else None)
        if out is not None:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    elapsed = time.perf_counter() - started
    for name, (matched, expected, ok, judged) in sorted(per_set.items()):
        parts = [f"{name:12s}"]
        if expected:
            parts.append(f"entries {matched}/{expected} ({matched / expected:.3f})")
        if judged:
            parts.append(f"files ok {ok}/{judged} ({ok / judged:.3f})")
        echo("  ".join(parts))
    echo(f"{len(rows)} files in {elapsed:.1f} s")
    matched = sum(t[0] for t in per_set.values())
    expected_total = sum(t[1] for t in per_set.values())
    ok_total = sum(t[2] for t in per_set.values())
    judged_total = sum(t[3] for t in per_set.values())
    return {
        "entries_matched": matched / expected_total if expected_total else 0.0,
        "parsed_ok": ok_total / judged_total if judged_total else 0.0,
    }
