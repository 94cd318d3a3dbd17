"""Highlighted snippets, built from plain text: every piece is escaped, only our <mark> is markup."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

SNIPPET_CHARS = 240


def _pattern(words: Iterable[str]) -> re.Pattern[str] | None:
    # A match is a word that starts with a query word (stemmed matches: "election" marks "elections").
    unique = sorted({w for w in words if w}, key=len, reverse=True)
    if not unique:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in unique) + r")\w*", re.IGNORECASE)


def highlight(text: str, words: Iterable[str]) -> SafeString:
    """The whole text, escaped, with query words wrapped in <mark>."""
    pattern = _pattern(words)
    if pattern is None:
        return mark_safe(escape(text))  # noqa: S308 - escaped
    out: list[str] = []
    position = 0
    for match in pattern.finditer(text):
        out.append(escape(text[position : match.start()]))
        out.append(f"<mark>{escape(match.group(0))}</mark>")
        position = match.end()
    out.append(escape(text[position:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece escaped above


def snippet(text: str, words: Iterable[str], *, length: int = SNIPPET_CHARS) -> SafeString:
    """A window of the text around the first query word, cut at word boundaries, highlighted."""
    words = list(words)
    text = " ".join(text.split())
    pattern = _pattern(words)
    first = pattern.search(text) if pattern else None
    start = 0
    if first is not None and first.start() > length // 3:
        start = text.rfind(" ", 0, first.start() - length // 3) + 1
    end = start + length
    if end < len(text):
        cut = text.rfind(" ", start, end)
        end = cut if cut > start else end
    window = text[start:end]
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(escape(prefix) + highlight(window, words) + escape(suffix))  # noqa: S308 - escaped
