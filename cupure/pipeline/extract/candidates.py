"""Body candidates from several extractors, and the choice between them."""

from __future__ import annotations

import copy
import html as htmllib
import re
from dataclasses import dataclass

import trafilatura
from lxml import html
from readability import Document

from cupure.pipeline.extract.blocks import (
    Block,
    blocks_from_html,
    blocks_from_plain,
    blocks_from_trafilatura,
    blocks_text,
)
from cupure.pipeline.extract.cleanup import clean_blocks
from cupure.pipeline.extract.metadata import PageMeta

_WORD = re.compile(r"\w+")


@dataclass
class Candidate:
    method: str
    blocks: list[Block]

    @property
    def words(self) -> int:
        return sum(len(b.text.split()) for b in self.blocks)


def trafilatura_candidate(
    tree: html.HtmlElement, url: str | None, **options: bool
) -> tuple[Candidate | None, dict[str, str]]:
    settings = {"include_comments": False, "with_metadata": True, "include_links": True} | options
    doc = trafilatura.bare_extraction(copy.deepcopy(tree), url=url, **settings)
    if doc is None:
        return None, {}
    fallback = {k: v for k, v in (("title", doc.title), ("author", doc.author), ("date", doc.date)) if v}
    if doc.body is None:
        return None, fallback
    return Candidate("trafilatura", blocks_from_trafilatura(doc.body)), fallback


def paragraph_words(tree: html.HtmlElement) -> int:
    return sum(len((p.text_content() or "").split()) for p in tree.iter("p"))


def readability_candidate(text: str, url: str | None) -> Candidate | None:
    try:
        summary = Document(text, url=url).summary(html_partial=True)
    except Exception:  # noqa: BLE001 - readability raises bare Exceptions on odd pages
        return None
    return Candidate("readability", blocks_from_html(summary))


def build_candidates(
    tree: html.HtmlElement, text: str, url: str | None, meta: PageMeta
) -> tuple[list[Candidate], dict[str, str]]:
    candidates: list[Candidate] = []
    traf, fallback = trafilatura_candidate(tree, url)
    if traf is not None:
        candidates.append(traf)
    # readability only matters when it could find more text than trafilatura kept: skip it (half
    # the cost of a page) when the page's paragraphs hold no more words than trafilatura's body.
    if traf is None or paragraph_words(tree) > READABILITY_GATE * traf.words:
        read = readability_candidate(text, url)
        if read is not None:
            candidates.append(read)
    if meta.jsonld_body:
        body = meta.jsonld_body
        if "<" not in body and "&lt;" in body:  # markup escaped once more by the CMS
            body = htmllib.unescape(body)
        blocks = blocks_from_html(body) if "<p" in body else blocks_from_plain(body)
        candidates.append(Candidate("jsonld", blocks))
    for candidate in candidates:
        candidate.blocks = clean_blocks(candidate.blocks, meta.title or fallback.get("title"))
    return candidates, fallback


# Choice thresholds, measured on the extraction dev sets (README section 1).
JSONLD_MIN_WORDS = 50
JSONLD_MIN_SHARE = 0.8  # of the trafilatura body's words: below that, articleBody is a teaser
READABILITY_GATE = 1.0  # run readability when the page's <p> words exceed trafilatura's body words
READABILITY_GAIN = 1.25  # readability must find this many times more words ...
READABILITY_CONTAINS = 0.7  # ... and hold nearly all of trafilatura's text (a superset, not a neighbour)


def _shingle_set(text: str) -> set[tuple[str, ...]]:
    tokens = _WORD.findall(text)
    return {tuple(tokens[i : i + 4]) for i in range(max(1, len(tokens) - 3))}


def contained_share(part: str, whole: str) -> float:
    inner = _shingle_set(part)
    return len(inner & _shingle_set(whole)) / len(inner) if inner else 1.0


def choose(candidates: list[Candidate], meta: PageMeta) -> Candidate | None:
    """Trafilatura's cleaned body by default; a complete JSON-LD articleBody when the page has one
    (the publisher's own statement of the text); readability when it finds clearly more text that
    includes trafilatura's (trafilatura stopped at an inner container)."""
    usable = {c.method: c for c in candidates if c.words > 0}
    if not usable:
        return None
    traf = usable.get("trafilatura")
    traf_words = traf.words if traf else 0
    jsonld = usable.get("jsonld")
    if jsonld and jsonld.words >= max(JSONLD_MIN_WORDS, JSONLD_MIN_SHARE * traf_words):
        return jsonld
    read = usable.get("readability")
    if traf is None:
        return read or jsonld
    if read and read.words > READABILITY_GAIN * traf_words:
        if contained_share(blocks_text(traf.blocks), blocks_text(read.blocks)) >= READABILITY_CONTAINS:
            return read
    return traf
