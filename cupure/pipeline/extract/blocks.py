"""Main content as a list of blocks, the unit every cleanup rule and both outputs work on.

A block is one paragraph, heading, list item, quote, table row or figure. Text output joins
block texts with blank lines; HTML output is the blocks as simple tags (p, h2-h6, ul/ol/li,
blockquote, figure/img, a), not yet sanitised.
"""

from __future__ import annotations

import copy
import functools
import html as htmllib
import re
from dataclasses import dataclass

from lxml import etree, html

_SPACE = re.compile(r"[ \t\r\f\v\u00a0\u200b]+")
# Soft hyphens (and the word joiner) are invisible hyphenation hints inside words: kept, they split
# "wich\u00adti\u00adge" into three tokens and break every phrase search over the text.
_INVISIBLE = re.compile(r"[\u00ad\u2060\ufeff]")
_UNSEEN = ("script", "style", "noscript", "template")


@dataclass(frozen=True)
class Block:
    kind: str  # "p", "h2".."h6", "li-ul", "li-ol", "quote", "row", "img", "pre"
    text: str
    html: str = ""
    link_share: float = 0.0  # share of the text's characters inside links

    @functools.cached_property  # asked for by nearly every cleanup rule, of the same few blocks
    def words(self) -> int:
        return len(self.text.split())

    @property
    def is_heading(self) -> bool:
        return self.kind.startswith("h")


def clean_text(text: str) -> str:
    lines = (_SPACE.sub(" ", line).strip() for line in _INVISIBLE.sub("", text).split("\n"))
    return "\n".join(line for line in lines if line)


def shown_text(element: etree._Element) -> str:
    """An element's text on one line, without invisible characters: the text its block would hold.

    Code the element carries is not text a reader sees: a shop's product card in a list holds its
    tracking ``<script>``, whose JSON would otherwise be printed with the product's name.
    """
    if next(element.iterdescendants(*_UNSEEN), None) is not None:
        element = copy.deepcopy(element)
        etree.strip_elements(element, *_UNSEEN, with_tail=False)
    return " ".join(clean_text(element.text_content()).split())


def code_text(text: str) -> str:
    """A code block's text: invisible characters and trailing spaces gone, indentation kept."""
    lines = [line.rstrip() for line in _INVISIBLE.sub("", text).expandtabs(4).split("\n")]
    return "\n".join(lines).strip("\n")


def _escape(text: str) -> str:
    return htmllib.escape(text, quote=False)


def _inline_html(element: etree._Element, link_tag: str, href_attr: str) -> str:
    """Text of ``element`` with its links kept as <a>; all other inline markup is dropped."""
    parts: list[str] = [_escape(element.text or "")]
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        inner = _inline_html(child, link_tag, href_attr)
        if tag == link_tag and child.get(href_attr):
            parts.append(f'<a href="{htmllib.escape(child.get(href_attr, ""))}">{inner}</a>')
        elif tag in ("lb", "br"):
            parts.append("<br>")
        else:
            parts.append(inner)
        parts.append(_escape(child.tail or ""))
    return "".join(parts)


# Child elements that start a line of their own inside a block (trafilatura's list item holding a
# headline and a blurb, a quote holding paragraphs), besides explicit line breaks.
_LINE_TAGS = frozenset({"lb", "br", "p", "head", "item", "list", "quote", "div", "li", "ul", "ol"})
_LINE_TAGS |= frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "dd", "dt", "figcaption"})


def _text(element: etree._Element) -> str:
    pieces: list[str] = []
    _gather(element, pieces)
    return clean_text("".join(pieces))


def _gather(element: etree._Element, pieces: list[str]) -> None:
    """Text in reading order: the element's text, then each child's text and tail in turn."""
    if element.text and isinstance(element.tag, str):
        pieces.append(element.text)
    for child in element:
        breaks = isinstance(child.tag, str) and child.tag in _LINE_TAGS
        if breaks:
            pieces.append("\n")
        _gather(child, pieces)
        if breaks:
            pieces.append("\n")
        if child.tail:
            pieces.append(child.tail)


def link_share(element: etree._Element, text: str, link_tag: str = "a") -> float:
    """Share of ``text``'s characters inside ``element``'s links."""
    if not text:
        return 0.0
    inside = sum(
        len(clean_text(link.text_content() if hasattr(link, "text_content") else "".join(link.itertext())))
        for link in element.iter(link_tag)
    )
    return min(1.0, inside / len(text))


def _make(kind: str, element: etree._Element, text: str, link_tag: str, href_attr: str) -> Block:
    return Block(kind, text, _inline_html(element, link_tag, href_attr), link_share(element, text, link_tag))


# --- trafilatura's internal XML (p, head, list/item, quote, table/row/cell, graphic, ref, hi, lb) ---

_HEAD_LEVELS = {"h1": "h2", "h2": "h2", "h3": "h3", "h4": "h4", "h5": "h5", "h6": "h6"}


def _traf_block(element: etree._Element) -> list[Block]:
    tag = element.tag
    if tag == "list":
        kind = "li-ol" if element.get("rend") == "ol" else "li-ul"
        items = [child for child in element if child.tag == "item"] or [element]
        return [_make(kind, i, t, "ref", "target") for i in items if (t := _text(i))]
    if tag == "table":
        rows = element.iter("row")
        return [Block("row", t, _escape(t)) for r in rows if (t := " | ".join(_cells(r)))]
    if tag == "graphic":
        src = element.get("src", "")
        return [
            Block(
                "img", "", f'<img src="{htmllib.escape(src)}" alt="{htmllib.escape(element.get("alt", ""))}">'
            )
        ]
    text = _text(element)
    if not text:
        return []
    if tag == "head":
        return [_make(_HEAD_LEVELS.get(element.get("rend", ""), "h3"), element, text, "ref", "target")]
    if tag == "quote":
        return [_make("quote", element, text, "ref", "target")]
    if tag == "code":
        code = code_text(_code_lines(element)) or text  # indentation is part of the code
        return [Block("pre", code, _escape(code))]
    return [_make("p", element, text, "ref", "target")]


def _code_lines(element: etree._Element) -> str:
    """A code block's text with its ``<br>`` line breaks (trafilatura's ``<lb/>``) as new lines: some
    sites print code as one ``<pre>`` line broken by ``<br>``s, and the text alone ran it together.
    (A walk, not a recursion: a hostile page may nest thousands of inline tags in a ``<pre>``.)"""
    parts: list[str] = []
    for event, node in etree.iterwalk(element, events=("start", "end", "comment", "pi")):
        if event == "start":
            parts.append("\n" if node.tag in ("br", "lb") else node.text or "")
        elif node is not element:  # an element's end, or a comment: what follows it
            parts.append(node.tail or "")
    return "".join(parts)


def _cells(row: etree._Element) -> list[str]:
    return [t for cell in row if (t := _text(cell))]


def blocks_from_trafilatura(body: etree._Element) -> list[Block]:
    blocks: list[Block] = []
    if body.text and (t := clean_text(body.text)):
        blocks.append(Block("p", t, _escape(t)))
    for child in body:
        if isinstance(child.tag, str):
            blocks.extend(_traf_block(child))
        if child.tail and (t := clean_text(child.tail)):
            blocks.append(Block("p", t, _escape(t)))
    return blocks


# --- ordinary HTML (readability's summary, JSON-LD articleBody) ---

_HTML_BLOCKS = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "blockquote",
    "pre",
    "tr",
    "figcaption",
    "dd",
    "dt",
}
_HTML_KIND = {"h1": "h2", "h2": "h2", "h3": "h3", "h4": "h4", "h5": "h5", "h6": "h6", "li": "li-ul"}
_HTML_KIND |= {"blockquote": "quote", "pre": "pre", "tr": "row"}


def _html_blocks(element: html.HtmlElement, out: list[Block], loose: list[str]) -> None:
    """Depth-first: a block tag becomes one block; text outside any block gathers into paragraphs."""
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in _HTML_BLOCKS and not any(isinstance(c.tag, str) and c.tag in _HTML_BLOCKS for c in element):
        _flush(loose, out)
        if tag == "pre":
            if code := code_text(_code_lines(element)):
                out.append(Block("pre", code, _escape(code)))
            return
        text = _text(element)
        if text:
            out.append(_make(_HTML_KIND.get(tag, "p"), element, text, "a", "href"))
        return
    if tag == "br":
        _flush(loose, out)
    if element.text and tag not in ("script", "style"):
        loose.append(element.text)
    for child in element:
        _html_blocks(child, out, loose)
        if child.tail:
            loose.append(child.tail)
    if tag in ("div", "section", "article", "td", "li", "blockquote", "ul", "ol", "table"):
        _flush(loose, out)


def _flush(loose: list[str], out: list[Block]) -> None:
    text = clean_text(" ".join(loose))
    loose.clear()
    if text:
        out.append(Block("p", text, _escape(text)))


def blocks_from_html(markup: str) -> list[Block]:
    if not markup.strip():
        return []
    try:
        root = html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError, AssertionError):
        # lxml asserts when the markup parses to no <body> at all (a <frameset> page): no blocks.
        return []
    out: list[Block] = []
    loose: list[str] = []
    _html_blocks(root, out, loose)
    _flush(loose, out)
    return out


def blocks_from_plain(text: str) -> list[Block]:
    paragraphs = re.split(r"\n\s*\n|\n", text)
    return [Block("p", t, _escape(t)) for p in paragraphs if (t := clean_text(p))]


def html_to_text(markup: str) -> str:
    return blocks_text(blocks_from_html(markup))


def blocks_text(blocks: list[Block]) -> str:
    return "\n\n".join(b.text for b in blocks if b.text)


_WRAP = {"p": "p", "quote": "blockquote", "pre": "pre"}


def blocks_html(blocks: list[Block]) -> str:
    parts: list[str] = []
    open_list = ""
    for block in blocks:
        list_tag = {"li-ul": "ul", "li-ol": "ol"}.get(block.kind, "")
        if list_tag != open_list:
            if open_list:
                parts.append(f"</{open_list}>")
            if list_tag:
                parts.append(f"<{list_tag}>")
            open_list = list_tag
        if list_tag:
            parts.append(f"<li>{block.html}</li>")
        elif block.kind == "img":
            parts.append(f"<figure>{block.html}</figure>")
        elif block.kind.startswith("h"):
            parts.append(f"<{block.kind}>{block.html}</{block.kind}>")
        else:
            tag = _WRAP.get(block.kind, "p")
            parts.append(f"<{tag}>{block.html}</{tag}>")
    if open_list:
        parts.append(f"</{open_list}>")
    return "\n".join(parts)
