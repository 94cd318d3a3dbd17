"""Unicode normalisation, field caps and HTML-to-text for fetched text (SECURITY.md 4.4 steps 1-2).

Everything a feed or page hands us goes through these before it is stored: fetched text can hold
NUL bytes (PostgreSQL refuses them), lone surrogates (unencodable as UTF-8), bidi overrides
(spoofed titles) and fields of any size. Caps are in characters, after normalisation; a capped
field ends with ``TRUNCATION_MARK`` so readers and operators can see it was cut.
"""

from __future__ import annotations

import re
import unicodedata
from html import unescape

import ftfy
from lxml import etree
from lxml import html as lxml_html

CAPS: dict[str, int] = {
    "title": 512,
    "author": 256,
    "url": 2048,
    "summary": 16 * 1024,
    "content": 512 * 1024,
    "category": 128,
    "guid": 2048,
}
TRUNCATION_MARK = "…"

# C0 controls except \t \n \r, DEL, and the bidi embedding/override/isolate controls that can make
# a title read differently from what it says (SECURITY.md C12).
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
# Any surrogate code point in a Python str is unpaired: valid pairs are decoded to one code point.
_SURROGATES = re.compile("[\ud800-\udfff]")
# Normalising a 5 MB title to keep 512 characters is wasted work; keep a generous margin because
# NFC and whitespace collapsing can only shrink text a little (combining sequences, runs of spaces).
_PRECUT_FACTOR = 8
_PRECUT_MIN = 4096


# Text written as UTF-8, read somewhere upstream as Latin-1 or Windows-1252 and saved again as UTF-8
# ("mojibake"): "it’s" prints as "itâ€™s", or as "itâ" and two invisible C1 controls. Such text keeps
# UTF-8's shape: a lead byte's character (Â-ß opens 2 bytes, à-ï 3, ð-ô 4) followed by as many
# continuation bytes' characters as it announces (U+0080-U+00BF, or their Windows-1252 reading:
# € ‘ ’ “ ” – — ™ …). The search is a cheap gate that correct text almost never passes (French
# "café»" has one such character after "é", not the two an "é" would announce); ftfy then decides
# whether the text really is mojibake, and repairs it.
_CONTINUATION_BYTES = bytes(range(0x80, 0xC0))
_CONTINUATION_CHARS = set(_CONTINUATION_BYTES.decode("latin-1")) | set(
    _CONTINUATION_BYTES.decode("cp1252", "ignore")
)
_CONTINUATION = "[" + re.escape("".join(sorted(_CONTINUATION_CHARS))) + "]"
_MOJIBAKE_HINT = re.compile(
    f"[\xc2-\xdf]{_CONTINUATION}|[\xe0-\xef]{_CONTINUATION}{{2}}|[\xf0-\xf4]{_CONTINUATION}{{3}}"
)


# ftfy reads about a megabyte of mojibake a second; a longer text is left as it is, so a hostile feed
# or page costs at most a fraction of a second per field. (The longest field kept, the content, is
# cut to 512 kB anyway, and no article comes near.)
MOJIBAKE_MAX_CHARS = 600_000


def repair_mojibake(text: str) -> str:
    """``text`` with UTF-8 that was decoded as Latin-1/Windows-1252 read back as UTF-8 (by ftfy)."""
    if len(text) > MOJIBAKE_MAX_CHARS or not _MOJIBAKE_HINT.search(text):
        return text
    return ftfy.fix_encoding(text)


def _to_str(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return value if isinstance(value, str) else str(value)


def _truncate(text: str, cap: int) -> str:
    if len(text) <= cap:
        return text
    if cap <= len(TRUNCATION_MARK):
        return text[:cap]
    return text[: cap - len(TRUNCATION_MARK)].rstrip() + TRUNCATION_MARK


def _normalise(text: str, cap: int) -> str:
    precut = max(cap * _PRECUT_FACTOR, _PRECUT_MIN)
    if len(text) > precut:
        text = text[:precut]
    text = _SURROGATES.sub("\ufffd", text)
    text = repair_mojibake(_CONTROLS.sub("", text))
    return unicodedata.normalize("NFC", text)


def clean_text(value: object, *, cap: int) -> str:
    """Normalised text (NFC, no NUL/C0/bidi controls, no lone surrogates), at most ``cap`` characters.

    Line breaks and tabs are kept; use :func:`clean_line` for single-line fields.
    """
    return _truncate(_normalise(_to_str(value), cap), cap)


def clean_line(value: object, *, cap: int) -> str:
    """Like :func:`clean_text`, with every run of whitespace (newlines included) made one space."""
    text = " ".join(_normalise(_to_str(value), cap).split())
    return _truncate(text, cap)


# Elements whose end starts a new paragraph in plain text.
_BLOCKS = frozenset(
    "address article aside blockquote dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 header "
    "hr li main nav ol p pre section table tbody tfoot thead tr ul caption".split()
)
_SKIPPED = frozenset({"script", "style", "template", "noscript", "head", "title"})
_PARAGRAPH = "\n\n"


def html_to_text(html: str) -> str:
    """Readable plain text of an HTML fragment: tags removed, entities decoded, paragraphs as blank lines.

    The tree is walked with an explicit stack, so deep nesting cannot hit Python's recursion limit;
    where libxml2 gives up on a pathological document, tags are stripped textually instead.
    Text inside script/style is dropped.
    """
    if not html or not html.strip():
        return ""
    if "<" not in html and "&" not in html:
        return " ".join(html.split())
    try:
        root = lxml_html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        root = None
    text = _join_paragraphs("".join(_text_parts(root))) if root is not None else ""
    if not text and _TAG.sub("", html).strip():
        return " ".join(unescape(_TAG.sub(" ", html)).split())
    return text


_TAG = re.compile(r"<[^>]*>?")
_SPACES = re.compile(r"\s+")


def _text_parts(root: etree._Element) -> list[str]:
    parts: list[str] = []
    # (element, closing?) pairs; children pushed in reverse so they pop in document order.
    stack: list[tuple[etree._Element, bool]] = [(root, False)]
    while stack:
        element, closing = stack.pop()
        tag = element.tag if isinstance(element.tag, str) else ""
        if closing:
            if tag in _BLOCKS:
                parts.append(_PARAGRAPH)
            if element.tail and element is not root:
                parts.append(_SPACES.sub(" ", element.tail))
            continue
        if tag in _SKIPPED:
            if element.tail:
                parts.append(_SPACES.sub(" ", element.tail))
            continue
        if tag == "br":
            parts.append("\n")
        elif tag and element.text:
            parts.append(_SPACES.sub(" ", element.text))
        stack.append((element, True))
        stack.extend((child, False) for child in reversed(element))
    return parts


def _join_paragraphs(text: str) -> str:
    paragraphs = []
    for block in re.split(r"\n\s*\n", text):
        lines = [" ".join(line.split()) for line in block.split("\n")]
        joined = "\n".join(line for line in lines if line)
        if joined:
            paragraphs.append(joined)
    return _PARAGRAPH.join(paragraphs)
