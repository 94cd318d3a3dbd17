"""Whether a feed entry's own body is the whole article (so the page need not be extracted)."""

from __future__ import annotations

import re

from cupure.pipeline.extract.blocks import html_to_text

MIN_WORDS = 150
PAGE_SHARE = 0.8
_STUB = re.compile(
    r"(read|continue|keep)\s+(the\s+)?(full\s+|whole\s+|rest\s+of\s+(the\s+|this\s+)?)?(reading|article|story|post|more)"
    r"|weiterlesen|mehr\s+lesen|lire\s+la\s+suite|leer\s+m[aá]s|the\s+post\s+.{1,200}\s+appeared\s+first\s+on",
    re.I,
)
_ELLIPSIS_END = re.compile(r"(\.\.\.|…|\[\s*(\.\.\.|…)\s*\]|\[\.\.\.\]|&hellip;)\s*$")


def feed_body_is_complete(content_html: str, *, page_text: str | None = None) -> bool:
    """The rule: complete when the body has at least MIN_WORDS words, its end is not a "read more" /
    "continue reading" stub or an ellipsis, and, when the page's extracted text is known, it holds at
    least PAGE_SHARE of that text's words. Short feed bodies are excerpts far more often than not.
    """
    text = html_to_text(content_html) if "<" in content_html else content_html
    words = text.split()
    if len(words) < MIN_WORDS:
        return False
    tail = " ".join(words[-40:])
    if _STUB.search(tail) or _ELLIPSIS_END.search(text.rstrip()):
        return False
    if page_text is not None and len(words) < PAGE_SHARE * len(page_text.split()):
        return False
    return True
