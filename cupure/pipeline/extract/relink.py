"""trafilatura's plain mode, when its link mode lost text, with the links read back from the page.

trafilatura's link mode (``include_links``, which the cleanup rules and the article's HTML need)
drops the text of a ``<div>`` before its first link when the div holds loose text and links
(adbar/trafilatura #476 and #585): "Oftentimes, the reason ... enough time" vanishes and the
paragraph starts at the link. Its plain mode keeps that text but no links. So when a block of the
link-mode body starts with a link while the page element holding that link has more text before
it, the plain mode's body is taken, and each of its blocks gets the ``<a href>`` elements of the
page element whose text is the block's text (link share marks menus, teaser lists and promos).

Text is compared with all whitespace removed, because trafilatura and the page space the same words
differently around inline tags.
"""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from lxml import html

from cupure.pipeline.extract.blocks import Block, shown_text

# Elements trafilatura turns into one block of its own (paragraphs, headings, list items, cells).
_BLOCK_TAGS = frozenset(
    {"p", "div", "li", "td", "th", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"}
    | {"figcaption", "section", "article", "header", "footer", "aside", "nav", "main", "ul", "ol", "body"}
)
_SPACE = re.compile(r"\s+")
# Below this many characters a block is matched only exactly: a short label ("Home", "Next") would
# otherwise find itself inside every longer element of the page.
_MIN_PARTIAL_KEY = 20
_LEVELS = 2
# A link-first block of at least this many words, whose page element has at least this many more
# characters before it, is a sign of text lost in link mode.
_LINK_FIRST_MIN_WORDS = 5
_LOST_CHARS = 10
# Kinds whose HTML carries links (rows and code blocks are written as plain text).
_LINKED_KINDS = frozenset({"p", "quote", "li-ul", "li-ol", "h2", "h3", "h4", "h5", "h6"})


def _key(text: str) -> str:
    return _SPACE.sub("", text)


@dataclass
class PageLinks:
    """The page's links, grouped by the text of the block element they sit in."""

    by_block: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def links_for(self, text: str) -> list[tuple[str, str]]:
        key = _key(text)
        if not key:
            return []
        exact = self.by_block.get(key)
        if exact is not None or len(key) < _MIN_PARTIAL_KEY:
            return exact or []
        # trafilatura split a page element (loose text between a div's children) or joined several
        # (a <br>-separated run): take the links of every element that holds or is held by the block.
        found: list[tuple[int, str, str]] = []
        for block_key, links in self.by_block.items():
            if key in block_key or (len(block_key) >= _MIN_PARTIAL_KEY and block_key in key):
                found.extend((at, *link) for link in links if (at := key.find(_key(link[0]))) >= 0)
        return [(words, href) for _, words, href in sorted(found)]

    def lost_text_before_link(self, blocks: list[Block]) -> bool:
        """A block starts with a link while the page element holding that link has more text
        before it (at least ``_LOST_CHARS`` characters)."""
        keys = [_key(block.text) for block in _link_first(blocks)]
        return any(
            len(k) >= len(key) + _LOST_CHARS and k.endswith(key) for key in keys for k in self.by_block
        )


def _link_first(blocks: list[Block]) -> list[Block]:
    return [b for b in blocks if b.html.startswith("<a ") and b.words >= _LINK_FIRST_MIN_WORDS]


def starts_with_link(blocks: list[Block]) -> bool:
    """Some block of a sentence or more starts with a link: the cheap test before reading links."""
    return bool(_link_first(blocks))


def read_page_links(tree: html.HtmlElement) -> PageLinks:
    page = PageLinks()
    # Text of each block element, computed once per element. Keyed by the element itself: lxml's
    # proxies come and go, so an id() can be reused by another element.
    keys: dict[html.HtmlElement, str] = {}
    for anchor in tree.iter("a"):
        href = anchor.get("href")
        text = shown_text(anchor)
        if href is None or not text:
            continue
        # Filed under its nearest block element and that element's own block parent: a list item
        # or card holds its headline's link one level down (<li><h3><a>), and trafilatura makes the
        # whole item one block.
        holder = anchor.getparent()
        for _ in range(_LEVELS):
            while holder is not None and holder.tag not in _BLOCK_TAGS:
                holder = holder.getparent()
            if holder is None:
                break
            if holder not in keys:
                keys[holder] = _key(holder.text_content())
            page.by_block.setdefault(keys[holder], []).append((text, href))
            holder = holder.getparent()
    return page


def _linked(text: str, links: Iterable[tuple[str, str]]) -> tuple[str, float]:
    """``text`` as HTML with each link's words wrapped in <a>, in reading order, and the share of its
    characters inside links. Words are found ignoring whitespace (a card's headline and blurb are one
    link in the page, run together in trafilatura's text); a link not found after the previous one is
    skipped."""
    where = [i for i, char in enumerate(text) if not char.isspace()]  # squashed index -> text index
    squashed = "".join(text[i] for i in where)
    parts: list[str] = []
    cursor = squashed_cursor = inside = 0
    for words, href in links:
        key = _key(words)
        found = squashed.find(key, squashed_cursor) if key else -1
        if found < 0:
            continue
        start, end = where[found], where[found + len(key) - 1] + 1
        parts.append(htmllib.escape(text[cursor:start], quote=False))
        label = htmllib.escape(text[start:end], quote=False)
        # An in-page or script "link" (a button) counts towards the share but is no link to keep.
        keep = href.strip() and not href.strip().startswith(("#", "javascript:"))
        parts.append(f'<a href="{htmllib.escape(href.strip())}">{label}</a>' if keep else label)
        inside += end - start
        cursor, squashed_cursor = end, found + len(key)
    parts.append(htmllib.escape(text[cursor:], quote=False))
    return "".join(parts), min(1.0, inside / len(text)) if text else 0.0


def relink(blocks: list[Block], page: PageLinks) -> list[Block]:
    """The blocks with their links (HTML and link share) restored from the page."""
    out: list[Block] = []
    for block in blocks:
        if block.kind not in _LINKED_KINDS:
            out.append(block)
            continue
        markup, share = _linked(block.text, page.links_for(block.text))
        # Line breaks (<br> in the page) stay line breaks in the HTML, as in link mode's blocks.
        out.append(replace(block, html=markup.replace("\n", "<br>"), link_share=share))
    return out
