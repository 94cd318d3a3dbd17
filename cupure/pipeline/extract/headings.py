"""Subheadings and lists the chosen body lost, put back where the page prints them.

On some pages trafilatura returns an article's paragraphs without the ``<h2>``/``<h3>`` and the
bullet lists between them (plain ``trafilatura.extract`` does the same on those pages, so it is not
our preparation of the page; readability-lxml keeps them). The reader then gets a guide of fifteen
sections as one run of paragraphs. A heading or a list is put back only
where it stands in the page between two blocks that follow each other in the body, each element
leading straight to the next (nothing with text in between, no wrapper around it), so a sidebar's
heading, a newsletter box, a table of contents or a teaser list never comes back.

The same holds for a side note the page sets in an ``<aside>`` inside the run of the article ("A note
on other devices", between two of its paragraphs): trafilatura drops every ``<aside>``; one of prose,
standing between two consecutive body blocks, comes back (WCXB +0.0001: 3 pages up by up to 0.05, one
down by 0.002 where the aside was a standfirst the gold leaves out).
"""

from __future__ import annotations

import html as html_escape
import re

from lxml import html

from cupure.pipeline.extract.blocks import Block, link_share, shown_text
from cupure.pipeline.extract.cleanup import names_a_newsletter, opens_with_end_marker

MAX_HEADING_WORDS = 20  # longer than this, a "heading" is a styled paragraph
MAX_LINK_SHARE = 0.5  # a linked heading or list names other pages (teasers), not this one's sections
MAX_UNITS = 3  # headings and lists put back between two blocks: "Section", its list, "Subsection"
KEY_CHARS = 60  # a block is recognised in the page by its opening
_HEADINGS = ("h2", "h3", "h4", "h5", "h6")
_LISTS = ("ul", "ol")
_TEXT_TAGS = ("p", "li", "blockquote", "pre", "table", *_HEADINGS)
_OUTSIDE = ("nav", "header", "footer", "aside", "form")
_ASIDE_PARTS = ("p", "li", "blockquote", *_HEADINGS)
MIN_ASIDE_WORDS = 15  # fewer: a label, a share bar or a pull quote's credit, not a side note
_WORD = re.compile(r"\w+")
_INVISIBLE = str.maketrans("", "", "\u00ad\u2060\ufeff")  # as ``clean_text`` drops them from blocks

# A heading or a list of the page that the body lacks, with the blocks it would add.
_Unit = tuple[html.HtmlElement, list[Block]]


def _key(text: str) -> str:
    """A text's opening, normalised: how a block is recognised in the page (read from the first
    characters only, the same way on both sides)."""
    return " ".join(_WORD.findall(text[: 2 * KEY_CHARS].translate(_INVISIBLE).lower()))[:KEY_CHARS]


def _raw(element: html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def restore_headings(tree: html.HtmlElement, blocks: list[Block]) -> list[Block]:
    """``blocks`` with the page's subheadings and lists between them that the extractor dropped."""
    body = tree.find(".//body")
    if len(blocks) < 2 or body is None:
        return blocks
    position: dict[str, int] = {}
    for i, block in enumerate(blocks):
        position.setdefault(_key(block.text), i)
    position.pop("", None)
    missing: dict[int, list[Block]] = {}
    previous: int | None = None  # the body block the walk through the page saw last
    pending: list[_Unit] = []  # what the body lacks, seen since then
    taken: html.HtmlElement | None = None  # the lost list or side note being walked through
    for element in body.iter(*_TEXT_TAGS, *_LISTS, "aside"):
        if taken is not None and any(parent is taken for parent in element.iterancestors()):
            continue
        taken = None
        if element.tag in (*_LISTS, "aside"):
            unit = _lost_list(element, position) if element.tag in _LISTS else _lost_aside(element, position)
            if unit is None:
                continue  # a list or side note the body has: its blocks are walked one by one
            taken = element
            pending = [*pending, unit] if unit[1] else []  # links, a box: not the article's
            continue
        text = _raw(element)
        if not text or (element.tag not in _HEADINGS and _inside(element, _HEADINGS)):
            continue
        found = position.get(_key(text))
        if found is None:
            if element.tag in _HEADINGS and _is_lost_heading(element, text):
                pending.append((element, [_heading_block(element.tag, shown_text(element))]))
            elif element.tag in _HEADINGS or not _inside(element, _TEXT_TAGS):
                pending = []  # text the body left out stands between: what came before went with it
            continue
        if previous is not None and found == previous + 1 and _belongs(pending, element, blocks[found - 1]):
            missing.setdefault(found, [block for _, unit_blocks in pending for block in unit_blocks])
        previous, pending = found, []
    if not missing:
        return blocks
    out: list[Block] = []
    for i, block in enumerate(blocks):
        out.extend(missing.get(i, ()))
        out.append(block)
    return out


def _belongs(pending: list[_Unit], element: html.HtmlElement, before: Block) -> bool:
    """Whether the pending units go right before ``element``: few, each leading to the next."""
    if not pending or len(pending) > MAX_UNITS:
        return False
    if pending[0][0].tag in _HEADINGS and before.is_heading:
        return False  # two headings in a row: the lost one is a kicker or a label, not a section
    targets = [unit for unit, _ in pending[1:]] + [element]
    return all(_leads_to(unit, target) for (unit, _), target in zip(pending, targets, strict=True))


def _leads_to(unit: html.HtmlElement, element: html.HtmlElement) -> bool:
    """Whether the first sibling after ``unit`` that has text is, or holds, ``element``.

    Siblings only: looking past a wrapper around a heading let a sidebar's or a newsletter box's
    heading in next to the text that followed the box (trafilatura's set lost two pages, AEB one).
    """
    if (unit.tail or "").strip():
        return False
    ancestors = set(element.iterancestors())
    for sibling in unit.itersiblings():
        if sibling is element or sibling in ancestors:
            return True
        if (isinstance(sibling.tag, str) and sibling.text_content().strip()) or (sibling.tail or "").strip():
            return False  # (comments and processing instructions have no text of their own)
    return False


def _inside(element: html.HtmlElement, tags: tuple[str, ...]) -> bool:
    return next(element.iterancestors(*tags), None) is not None


def _is_lost_heading(element: html.HtmlElement, text: str) -> bool:
    if len(text.split()) > MAX_HEADING_WORDS or opens_with_end_marker(text) or names_a_newsletter(text):
        return False  # a box's heading ("Related posts", "Pick Six Newsletter") whose box went
    if _inside(element, _OUTSIDE):
        return False
    return link_share(element, text) <= MAX_LINK_SHARE


def _lost_list(element: html.HtmlElement, position: dict[str, int]) -> _Unit | None:
    """The list as blocks when the body has none of its items; no blocks when it is not the article's
    (links, page furniture, a nested list); None when the body has it."""
    items = [item for item in element if item.tag == "li" and _raw(item)]
    if not items or any(_key(_raw(item)) in position for item in items):
        return None
    texts = [shown_text(item) for item in items]
    if _inside(element, (*_OUTSIDE, *_LISTS)) or link_share(element, " ".join(texts)) > MAX_LINK_SHARE:
        return element, []
    kind = "li-ol" if element.tag == "ol" else "li-ul"
    return element, [Block(kind, text, html_escape.escape(text, quote=False)) for text in texts]


def _lost_aside(element: html.HtmlElement, position: dict[str, int]) -> _Unit | None:
    """An ``<aside>`` in the run of the article (a side note) as blocks when the body has none of its
    text; no blocks when it is not prose (links, a newsletter box, "Related ..."); None when the body
    has some of it or it holds no text block."""
    parts = [part for part in element.iter(*_ASIDE_PARTS) if _raw(part) and not _nested(part, element)]
    if not parts or any(_key(_raw(part)) in position for part in parts):
        return None
    texts = [shown_text(part) for part in parts]
    whole = " ".join(texts)
    if (
        len(whole.split()) < MIN_ASIDE_WORDS
        or _inside(element, _OUTSIDE)
        or link_share(element, whole) > MAX_LINK_SHARE
        or opens_with_end_marker(texts[0])
        or any(names_a_newsletter(text) for text in texts[:2])
    ):
        return element, []
    blocks = []
    for part, text in zip(parts, texts, strict=True):
        if part.tag in _HEADINGS:
            blocks.append(_heading_block(part.tag, text))
        else:
            kind = "li-ul" if part.tag == "li" else "p"
            blocks.append(Block(kind, text, html_escape.escape(text, quote=False)))
    return element, blocks


def _nested(part: html.HtmlElement, root: html.HtmlElement) -> bool:
    """Whether ``part`` sits inside another text block of ``root`` (its text is in that one's)."""
    for ancestor in part.iterancestors():
        if ancestor is root:
            return False
        if ancestor.tag in _ASIDE_PARTS:
            return True
    return False


def _heading_block(tag: str, text: str) -> Block:
    # A block's html is its inner markup: ``blocks_html`` writes the tag around it.
    return Block(kind=tag, text=text, html=html_escape.escape(text, quote=False))
