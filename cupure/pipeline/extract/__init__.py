"""Article page -> main text, simple HTML and metadata (title, author, date, language, image, URL).

``extract_article`` never fetches anything. It parses the page once, as a browser builds it (text
after a premature ``</body>`` stays in the body; ``reveal`` places streamed segments and opens
collapsed panels), reads metadata (JSON-LD, <meta>, links), builds body candidates (trafilatura, also
in its recall mode when it kept far less than the page's paragraphs and in its plain mode when its
link mode dropped text (``relink``), readability-lxml, JSON-LD ``articleBody``), cleans each with
page-family rules (``cleanup``), keeps the best by a quality score (``choose``) and puts back a
lead paragraph printed just above the body that the page repeats as its description (``lead``).
"""

from __future__ import annotations

import datetime as dt
import warnings
from dataclasses import dataclass

from lxml import etree, html
from selectolax.lexbor import LexborHTMLParser

from cupure.pipeline.extract.blocks import Block, blocks_html, blocks_text, html_to_text
from cupure.pipeline.extract.candidates import Candidate, build_candidates, choose, trafilatura_metadata
from cupure.pipeline.extract.cleanup import drop_heading, drop_named_bio
from cupure.pipeline.extract.decode import decode_html
from cupure.pipeline.extract.feedbody import feed_body_is_complete
from cupure.pipeline.extract.headings import restore_headings
from cupure.pipeline.extract.lead import restore_lead
from cupure.pipeline.extract.metadata import (
    PageMeta,
    normalize_language,
    parse_date,
    printed_byline,
    read_metadata,
    real_author,
    visible_byline,
)
from cupure.pipeline.extract.reveal import reveal_hidden_text
from cupure.pipeline.textnorm import repair_mojibake

__all__ = [
    "Block",
    "ExtractedArticle",
    "decode_html",
    "extract_article",
    "feed_body_is_complete",
    "html_to_text",
]

# Bounds for hostile or absurd pages: bytes decoded, and elements handed to the extractors.
MAX_PAGE_BYTES = 5_000_000
MAX_ELEMENTS = 15_000  # the dev sets reach ~10k; a real article page rarely passes 5k


@dataclass
class ExtractedArticle:
    title: str | None
    author: str | None
    published_at: dt.datetime | None  # aware, in the page's own offset
    language: str | None  # ISO 639-1
    image: str | None  # absolute http(s) URL
    canonical_url: str | None  # absolute http(s) URL
    text: str  # paragraphs separated by blank lines
    html: str  # simple, NOT yet sanitised HTML
    method: str  # which candidate won: "jsonld" | "trafilatura" | "readability" | "none"


def as_browsers_read_it(text: str) -> str:
    """The page re-written as the tree an HTML5 parser (a browser's rules, by lexbor) builds from it.

    libxml2, which lxml, trafilatura and readability parse with, repairs bad markup its own way. A
    ``<button>`` holding unclosed ``<div>``s (a page family's menu button) swallowed the rest of the
    page, article included, and trafilatura printed that article as one paragraph; libxml2 also stops
    at ``</body>``, where HTML5 goes on (templates that close the page and then print the article).
    Re-written by HTML5's rules, every later parse sees what readers see (WCXB +0.0004, trafilatura
    set +0.0008, about 1 ms a page).
    """
    if not text.strip():
        return ""
    # A no-break space a CMS stored as UTF-8 twice reads "Â" + no-break space; the serialiser writes
    # that space as "&nbsp;". No word is "Â" alone, so the stray letter goes (WCXB: 5 pages of 711).
    return (LexborHTMLParser(text).html or "").replace("Â&nbsp;", "&nbsp;")


def _parse(text: str) -> html.HtmlElement | None:
    if not text.strip():
        return None
    try:
        return html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return None


def _prune_oversized(tree: html.HtmlElement) -> bool:
    """Keep the first MAX_ELEMENTS elements (document order) so a 5 MB div soup stays bounded in time.

    Cuts everything after the element at the limit: its children, its following siblings and those
    of each ancestor, a handful of removals whatever the page size. Returns whether it cut.
    """
    # Counted in libxml2 first: walking every element in Python costs ~1 ms on an ordinary page.
    if tree.xpath("count(descendant-or-self::node()[not(self::text())])") <= MAX_ELEMENTS:
        return False
    for count, element in enumerate(tree.iter()):
        if count < MAX_ELEMENTS:
            continue
        for child in list(element):
            element.remove(child)
        node = element
        while (parent := node.getparent()) is not None:
            for sibling in list(node.itersiblings()):
                parent.remove(sibling)
            node = parent
        return True
    return False


def _empty(meta: PageMeta | None = None) -> ExtractedArticle:
    meta = meta or PageMeta()
    return ExtractedArticle(
        meta.headline or meta.title,
        printed_byline(real_author(meta.author), None),
        meta.published_at,
        meta.language,
        meta.image,
        meta.canonical_url,
        "",
        "",
        "none",
    )


def _guessed_date(value: str | None) -> dt.datetime | None:
    """trafilatura's date, found in the page's text when its metadata has none. A 1 January is its
    guess from a bare year ("© 2025", "Best of 2026"), nearly always wrong (3 of 76 on the dev sets):
    no date is better than a made-up one."""
    guessed = parse_date(value)
    return None if guessed is None or (guessed.month, guessed.day) == (1, 1) else guessed


def _language(meta: PageMeta, text: str) -> str | None:
    if meta.language:
        return meta.language
    if len(text) < 40:
        return None
    import py3langid

    code, _ = py3langid.classify(text[:5000])
    return normalize_language(code)


def extract_article(
    page: bytes | str, *, url: str | None = None, content_type: str | None = None
) -> ExtractedArticle:
    """Extract the article from a page's bytes (charset detected) or text. Never raises on bad input."""
    if isinstance(page, bytes):
        text = decode_html(page[:MAX_PAGE_BYTES], content_type=content_type)
    else:
        text = page[:MAX_PAGE_BYTES]
    # (Also turns an XML declaration, which lxml refuses in str input, into a comment.)
    text = as_browsers_read_it(text)
    tree = _parse(text)
    if tree is None:
        return _empty()
    pruned = _prune_oversized(tree)
    if reveal_hidden_text(tree) or pruned:
        text = html.tostring(tree, encoding="unicode")
    meta = read_metadata(tree, url)
    with warnings.catch_warnings():
        # trafilatura/htmldate/readability warn on odd markup; a page's oddities are not our errors.
        warnings.simplefilter("ignore")
        # trafilatura's metadata fills what the page's own (JSON-LD, <meta>) lacks; most pages lack none.
        need_date = meta.published_at is None  # its date is only a fallback for ours
        missing = not meta.title or not real_author(meta.author) or need_date
        fallback_meta = trafilatura_metadata(tree, url, need_date=need_date) if missing else {}
        candidates = build_candidates(tree, text, url, meta, fallback_meta.get("title"))
    best: Candidate | None = choose(candidates, meta)
    if best is None:
        return _empty(meta)
    # The headline readers see is the title field: a copy opening the body goes (only that heading;
    # the standfirst stays, as ``clean_blocks`` decided with the metadata title).
    blocks = restore_lead(tree, drop_heading(best.blocks, meta.headline), meta.description)
    blocks = restore_headings(tree, blocks)
    author = printed_byline(
        real_author(meta.author) or real_author(fallback_meta.get("author")) or visible_byline(tree), tree
    )
    blocks = drop_named_bio(blocks, author)
    # Mojibake is repaired in what is printed, not in the page: the whole page is 30 times the text,
    # and ftfy's check of it would cost more than the extraction.
    body_text = repair_mojibake(blocks_text(blocks))
    published = meta.published_at or _guessed_date(fallback_meta.get("date"))
    title = meta.headline or meta.title or fallback_meta.get("title")
    return ExtractedArticle(
        title=repair_mojibake(title) if title else title,
        author=repair_mojibake(author) if author else author,
        published_at=published,
        language=_language(meta, body_text),
        image=meta.image,
        canonical_url=meta.canonical_url,
        text=body_text,
        html=repair_mojibake(blocks_html(blocks)),
        method=best.method,
    )
