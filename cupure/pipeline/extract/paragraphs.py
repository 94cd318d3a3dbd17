"""A JSON-LD ``articleBody`` given as one run of text, cut into the paragraphs the page prints.

Some sites put the whole article in ``articleBody`` without a single line break (seen on six pages of
the extraction dev sets, in English, German and Spanish). The text is right, often the most complete
the page has, but a reader would get it as one wall of words. The page's own ``<p>`` and heading
elements (and the blocks trafilatura read, for paragraphs set apart by ``<br>`` or ``<div>``) say
where its paragraphs start: the body is cut where each of them opens, and a heading found whole,
standing between two sentences, becomes a heading again. A page paragraph the text does not hold
is skipped; nothing is added or dropped, so the words are exactly the articleBody's.

Measured on the dev sets: WCXB 3 pages (2 up by up to 0.007, one down by 0.012 and back with the
"Listen to this article" rule of ``cleanup``), trafilatura set 1 page up; AEB unchanged.
"""

from __future__ import annotations

import html as htmllib
from collections.abc import Sequence

from lxml import html

from cupure.pipeline.extract.blocks import Block, shown_text

LONG_BLOCK_WORDS = 150  # a paragraph longer than this is worth checking against the page
KEY_CHARS = 40  # a page paragraph is found in the text by its opening characters
MIN_KEY_CHARS = 20  # shorter openings ("Read more", a date) would be found anywhere
MIN_HEADING_CHARS = 8  # a heading is found whole, and only between two sentences
_HEADINGS = ("h2", "h3", "h4", "h5", "h6")
_MARKS = ("p", *_HEADINGS)
_OPENING_QUOTES = "\"'“‘«„"
_SENTENCE_ENDS = ".!?:;\"'”’)…"


def split_as_printed(
    blocks: list[Block], tree: html.HtmlElement, printed: Sequence[Block] = ()
) -> list[Block]:
    """``blocks`` with each very long one cut where the page's paragraphs and headings open.

    ``printed`` are blocks another extractor read from the page: paragraphs the page sets apart with
    ``<br>``s or ``<div>``s rather than ``<p>``s are among them.
    """
    if not any(block.words > LONG_BLOCK_WORDS for block in blocks):
        return blocks
    found = [(element.tag, shown_text(element)) for element in tree.iter(*_MARKS)]
    found += [(block.kind if block.is_heading else "p", block.text) for block in printed]
    marks = [
        (tag, text)
        for tag, text in found
        if len(text) >= (MIN_HEADING_CHARS if tag in _HEADINGS else MIN_KEY_CHARS)
    ]
    out: list[Block] = []
    for block in blocks:
        out.extend(_split(block, marks) if block.words > LONG_BLOCK_WORDS and block.kind == "p" else [block])
    return out


def _split(block: Block, marks: list[tuple[str, str]]) -> list[Block]:
    text = block.text
    cuts: dict[int, str] = {}  # where a part starts -> its kind
    for tag, mark in marks:
        # Each where it first occurs, not in page order: a teaser or a sidebar that quotes a later
        # paragraph comes first in the page and would otherwise move past everything in between.
        found = text.find(mark[:KEY_CHARS])
        if found < 0:
            continue
        if tag not in _HEADINGS:
            cuts.setdefault(found, "p")
        elif text.startswith(mark, found) and _between_sentences(text, found, end := found + len(mark)):
            cuts[found] = tag
            cuts.setdefault(end, "p")
    if not set(cuts) - {0}:
        return [block]
    starts = sorted({0, *cuts})
    parts = []
    for start, end in zip(starts, [*starts[1:], len(text)], strict=True):
        part = text[start:end].strip()
        if part:
            parts.append(Block(cuts.get(start, "p"), part, htmllib.escape(part, quote=False)))
    return parts


def _between_sentences(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` stands alone: after a sentence's end and before a capital.

    A short heading ("Why it matters") is also a phrase a sentence may use; printed as a heading, it
    follows a finished sentence and a new one follows it.
    """
    before = text[:start].rstrip()
    after = text[end:].lstrip()
    opens = bool(after) and (after[0].isupper() or after[0].isdigit() or after[0] in _OPENING_QUOTES)
    return (not before or before[-1] in _SENTENCE_ENDS) and opens
