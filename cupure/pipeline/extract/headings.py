"""Subheadings the chosen body lost, put back where the page prints them.

trafilatura sometimes returns an article's paragraphs without the ``<h2>``/``<h3>`` between them: when
its first choice of container is too short, its fallbacks take the text again from the whole page,
and the readability variant among them keeps paragraphs only. The reader then gets a guide of
fifteen sections as one run of paragraphs. A heading is put back only where it stands in the page
between two blocks that follow each other in the body, with nothing else in between (no list,
paragraph or table the body left out), so a heading over a dropped box, a table of contents or a
teaser list never comes back with it.
"""

from __future__ import annotations

import html as html_escape
import re

from lxml import html

from cupure.pipeline.extract.blocks import Block, clean_text, link_share
from cupure.pipeline.extract.cleanup import opens_with_end_marker

MAX_WORDS = 20  # longer than this, a "heading" is a styled paragraph
MAX_LINK_SHARE = 0.5  # a linked heading names another page (a teaser), not a section of this one
KEY_CHARS = 60  # a block is recognised in the page by its opening
_HEADINGS = ("h2", "h3", "h4", "h5", "h6")
_TEXT_TAGS = ("p", "li", "blockquote", "pre", "table", *_HEADINGS)
_OUTSIDE = ("nav", "header", "footer", "aside", "form")
_WORD = re.compile(r"\w+")


def _norm(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def restore_headings(tree: html.HtmlElement, blocks: list[Block]) -> list[Block]:
    """``blocks`` with the page's subheadings between them that the extractor dropped."""
    body = tree.find(".//body")
    if len(blocks) < 2 or body is None:
        return blocks
    position: dict[str, int] = {}
    for i, block in enumerate(blocks):
        position.setdefault(_norm(block.text)[:KEY_CHARS], i)
    position.pop("", None)
    present = {_norm(block.text) for block in blocks}
    missing: dict[int, list[Block]] = {}
    previous: int | None = None  # the body block the walk through the page saw last
    pending: list[tuple[html.HtmlElement, Block]] = []  # headings seen since then
    for element in body.iter(*_TEXT_TAGS):
        text = " ".join(clean_text(element.text_content()).split())
        if element.tag in _HEADINGS:
            if _is_lost_heading(element, text, present):
                pending.append((element, _heading_block(element.tag, text)))
            continue
        if not text or any(parent.tag in _HEADINGS for parent in element.iterancestors()):
            continue
        found = position.get(_norm(text)[:KEY_CHARS])
        if found is None:
            if not any(parent.tag in _TEXT_TAGS for parent in element.iterancestors()):
                pending = []  # text the body left out stands between: the heading was its heading
            continue
        if (
            len(pending) == 1
            and previous is not None
            and found == previous + 1
            and not blocks[found - 1].is_heading
            and _leads_to(pending[0][0], element)
        ):
            missing.setdefault(found, [pending[0][1]])
        previous, pending = found, []
    if not missing:
        return blocks
    out: list[Block] = []
    for i, block in enumerate(blocks):
        out.extend(missing.get(i, ()))
        out.append(block)
    return out


def _leads_to(heading: html.HtmlElement, element: html.HtmlElement) -> bool:
    """Whether the first sibling after ``heading`` that has text is, or holds, ``element``.

    Siblings only: looking past a wrapper around the heading let a sidebar's or a newsletter box's
    heading in next to the text that followed the box (trafilatura's set lost two pages, AEB one).
    """
    if (heading.tail or "").strip():
        return False
    ancestors = set(element.iterancestors())
    for sibling in heading.itersiblings():
        if sibling is element or sibling in ancestors:
            return True
        if sibling.text_content().strip():
            return False
    return False


def _is_lost_heading(element: html.HtmlElement, text: str, present: set[str]) -> bool:
    if not text or len(text.split()) > MAX_WORDS or _norm(text) in present or opens_with_end_marker(text):
        return False
    if any(parent.tag in _OUTSIDE for parent in element.iterancestors()):
        return False
    return link_share(element, text) <= MAX_LINK_SHARE


def _heading_block(tag: str, text: str) -> Block:
    return Block(kind=tag, text=text, html=f"<{tag}>{html_escape.escape(text, quote=False)}</{tag}>")
