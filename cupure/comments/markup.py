"""Comment Markdown: a small subset rendered once at save time, then sanitised.

markdown-it-py with ``html=False`` turns raw HTML into text; only paragraphs, line breaks, emphasis,
links, code, quotes and lists are enabled (no images, no tables, no headings). nh3 then keeps only
the comment allow-list, drops every URL scheme but http, https and mailto, and marks every link
``rel="nofollow ugc noopener"``. Nesting is capped so ``>`` x 10,000 stays cheap.
"""

from __future__ import annotations

import re
import unicodedata

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml

ALLOWED_TAGS = {"p", "br", "a", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li"}
ALLOWED_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow ugc noopener"
MAX_NESTING = 12

_md = MarkdownIt("zero", {"html": False, "linkify": False, "breaks": True, "maxNesting": MAX_NESTING})
_md.enable(["emphasis", "link", "autolink", "backticks", "fence", "code", "blockquote", "list", "newline"])
_md.enable(["escape", "entity", "image"])


def _image_as_link(self, tokens, idx, options, env):  # type: ignore[no-untyped-def]
    """No images in comments: ``![alt](src)`` becomes a plain link to ``src``."""
    token = tokens[idx]
    src = escapeHtml(token.attrGet("src") or "")
    alt = escapeHtml(self.renderInlineAsText(token.children or [], options, env) or "image")
    return f'<a href="{src}">{alt}</a>'


_md.add_render_rule("image", _image_as_link)

# Invisible characters that must not make an otherwise empty comment count as text.
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")
_HREF = re.compile(r"<a\s", re.IGNORECASE)


def normalize_body(text: str) -> str:
    """NFC, unified newlines, no invisible characters or trailing space; what length limits apply to."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE.sub("", text).replace("\x00", "")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def render(body: str) -> str:
    return clean(_md.render(body))


def clean(html: str) -> str:
    """The comment allow-list; idempotent, so stored comment HTML can be cleaned again on output."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    ).strip()


def link_count(html: str) -> int:
    return len(_HREF.findall(html))
