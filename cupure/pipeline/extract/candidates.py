"""Body candidates from several extractors, and the choice between them."""

from __future__ import annotations

import copy
import functools
import html as htmllib
import itertools
import logging
import re
from dataclasses import dataclass
from typing import Any

import readability.readability
import trafilatura
from lxml import etree, html
from readability import Document
from trafilatura.metadata import extract_metadata
from trafilatura.settings import Extractor

from cupure.pipeline.extract.blocks import (
    Block,
    blocks_from_html,
    blocks_from_plain,
    blocks_from_trafilatura,
    blocks_text,
)
from cupure.pipeline.extract.cleanup import clean_blocks, is_end_marker
from cupure.pipeline.extract.metadata import PageMeta, as_printed, byline_name, name_without_role
from cupure.pipeline.extract.paragraphs import split_as_printed
from cupure.pipeline.extract.relink import PageLinks, read_page_links, relink, starts_with_link

# readability cleans each page with a Cleaner whose ``javascript`` option rewrites every link of the
# page to find "javascript:" URLs: a tenth of cupure's time on AEB's pages. A copy of its cleaner
# without that option keeps the rest of the cleaning; the sanitiser removes such links (and event
# attributes) from what is stored.
_readability_cleaner = copy.copy(readability.readability.html_cleaner)
_readability_cleaner.javascript = False
readability.readability.html_cleaner = _readability_cleaner

# trafilatura logs a warning for each odd page ("discarding data", "empty link"): the page's
# oddities, not faults of ours, and a flood in a worker's log or an eval run.
logging.getLogger("trafilatura").setLevel(logging.ERROR)

_WORD = re.compile(r"\w+")
_ESCAPED_TWICE = re.compile(r"&amp;(?:[a-z]+|#\d+);")


@dataclass
class Candidate:
    method: str
    blocks: list[Block]

    @property
    def words(self) -> int:
        return sum(len(b.text.split()) for b in self.blocks)


def trafilatura_candidate(tree: html.HtmlElement, url: str | None, **options: bool) -> Candidate | None:
    """trafilatura's body with its links (link mode), as our blocks."""
    doc = _trafilatura(copy.deepcopy(tree), url, include_links=True, **options)
    if doc is None or doc.body is None:
        return None
    _space_before_links(doc.body, tree)
    return Candidate("trafilatura", blocks_from_trafilatura(doc.body))


# Each check searches the page's text; a hostile page could hold thousands of glued links.
MAX_LINK_SPACE_CHECKS = 200


def _space_before_links(body: etree._Element, page: html.HtmlElement) -> None:
    """Put back the space before a link that trafilatura's link mode trimmed away.

    In a list item broken by ``<br>``, it trims the text before each link: "Learn more about
    <a>Honorlock</a>" came out as "Learn more aboutHonorlock". The space goes back where the page
    prints the two words apart and never together (a link inside a word, "un<a>lock</a>", stays).
    """
    page_text: str | None = None
    checks = 0
    for link in body.iter("ref"):
        previous = link.getprevious()
        before = previous.tail if previous is not None else link.getparent().text
        linked = "".join(link.itertext())
        if not before or not before[-1].isalnum() or not linked[:1].isalnum():
            continue
        checks += 1
        if checks > MAX_LINK_SPACE_CHECKS:
            return
        if page_text is None:
            page_text = " ".join(page.text_content().split())
        left, right = before.split()[-1], linked.split()[0]
        if f"{left} {right}" in page_text and f"{left}{right}" not in page_text:
            if previous is not None:
                previous.tail = before + " "
            else:
                link.getparent().text = before + " "


def trafilatura_metadata(
    tree: html.HtmlElement, url: str | None, *, need_date: bool = True
) -> dict[str, str]:
    """trafilatura's title, author and date for the page: the fallback for fields ours lacks.

    Asked for only when a field is missing (that search is up to a quarter of a page's extraction
    time), with the options trafilatura itself uses when it extracts a body with metadata. When the
    page's own date is known, the date search skips its free-text pass (dateparser over the page's
    text, most of the search's time): its answer would not be used.
    """
    options = Extractor(url=url, with_metadata=True)
    try:
        date_params = options.date_params if need_date else {**options.date_params, "extensive_search": False}
        doc = extract_metadata(tree, options.url, date_params, options.fast, options.author_blacklist)
    except (TypeError, ValueError):  # trafilatura's own call treats these as "no metadata"
        return {}
    author = name_without_role(as_printed(byline_name(doc.author), tree), tree) if doc.author else None
    return {k: v for k, v in (("title", doc.title), ("author", author), ("date", doc.date)) if v}


def plain_trafilatura_candidate(
    tree: html.HtmlElement, url: str | None, links: PageLinks
) -> Candidate | None:
    """trafilatura's body from its plain mode, with the page's links put back (``relink``)."""
    page = copy.deepcopy(tree)
    _drop_comments_in_links(page)
    doc = _trafilatura(page, url, include_links=False)
    if doc is None or doc.body is None:
        return None
    return Candidate("trafilatura", relink(blocks_from_trafilatura(doc.body), links))


def _trafilatura(page: html.HtmlElement, url: str | None, **options: bool) -> Any:
    """trafilatura on ``page``, which must be a copy: it edits the tree, and so do we first."""
    _unmask_inline_tables(page)
    _unmask_prose_boxes(page)
    _unmask_embedded_posts(page)
    _drop_author_boxes(page)
    _drop_teaser_cards(page)
    _text_divs_to_paragraphs(page)
    _unlink_self_anchored_headings(page)
    _unwrap_buttons_in_sentences(page)
    settings = {"include_comments": False} | options
    return trafilatura.bare_extraction(page, url=url, **settings)


def _unlink_self_anchored_headings(tree: html.HtmlElement) -> None:
    """A heading that is a link to itself (``<h3 id="cognitive-benefits"><a href="#cognitive-benefits">``,
    a shareable section link) keeps its text but loses the link: trafilatura's link mode drops a
    heading made of a link, as it drops a teaser's. A contents list's headings link to other
    elements, and stay links (the gold texts leave those lists out)."""
    for heading in tree.iter("h2", "h3", "h4", "h5", "h6"):
        parent = heading.getparent()
        own = {element.get("id") for element in heading.iter()} | {
            parent.get("id") if parent is not None else None
        }
        for link in list(heading.iter("a")):
            href = link.get("href") or ""
            if href.startswith("#") and href[1:] in own:
                link.drop_tag()


BUTTON_LABEL_WORDS = 6  # a name or a term; a longer label is a control's instruction


def _unwrap_buttons_in_sentences(tree: html.HtmlElement) -> None:
    """A ``<button>`` inside a paragraph's sentence (a name that opens a side note: "said MIT Sloan
    professor <button>Thomas W. Malone</button>, the ...") keeps its text: trafilatura removes every
    button, and the sentence lost its subject."""
    for button in list(tree.iter("button")):
        parent = button.getparent()
        if parent is None or parent.tag != "p":
            continue
        before = (button.getprevious().tail if button.getprevious() is not None else parent.text) or ""
        label = " ".join(button.text_content().split())
        if before.strip() and (button.tail or "").strip() and 1 <= len(label.split()) <= BUTTON_LABEL_WORDS:
            # A button is set apart by its box, not by spaces: the words around it need them.
            button.text = " " + (button.text or "")
            if button.tail[:1].isalnum():
                button.tail = " " + button.tail
            button.drop_tag()


INLINE_TABLE_MIN_ROWS = 3
WRAPPER_LEVELS = 4  # a table or an embedded post and its wrappers, up to this many elements
FLOW_PARAGRAPH_WORDS = 15  # a sibling paragraph this long ...
FLOW_PARAGRAPHS = 2  # ... and this many of them: the box sits in the article's running text


def _unmask_inline_tables(tree: html.HtmlElement) -> None:
    """The box holding a data table inside the article's running text loses its class and id.

    trafilatura drops any element whose class merely contains a furniture word ("embed", "widget",
    "slide", "meta" ...), and CMS wrappers carry such names: a Webflow ``w-embed`` holding the
    article's comparison table went with it (WCXB dev +0.0010 F1, the other sets unchanged).
    A table of links (a related-posts grid) stays as it is.
    """
    for table in list(tree.iter("table")):
        if sum(1 for _ in table.iter("tr")) < INLINE_TABLE_MIN_ROWS or _link_words_share(table) > 0.3:
            continue
        # Every wrapper up to a few levels that sits in running text: a table left open by the CMS
        # nests the rest of the article inside its wrapper, so that wrapper is the flow's parent too.
        for box in itertools.islice((table, *table.iterancestors()), WRAPPER_LEVELS):
            parent = box.getparent()
            if parent is None or box.tag not in ("table", "div", "section", "aside", "figure", "span"):
                break
            flow = [
                c for c in parent if c.tag == "p" and len(c.text_content().split()) >= FLOW_PARAGRAPH_WORDS
            ]
            if len(flow) >= FLOW_PARAGRAPHS:
                box.attrib.pop("class", None)
                box.attrib.pop("id", None)


PROSE_BOX_PARAGRAPHS = 2  # paragraphs of FLOW_PARAGRAPH_WORDS or more inside the box ...
PROSE_BOX_LINK_SHARE = 0.1  # ... and hardly a linked word: prose, not a list of teasers


def _unmask_prose_boxes(tree: html.HtmlElement) -> None:
    """A box of prose set in the article's running text loses its class and id, and so do the boxes
    inside it.

    trafilatura drops an element whose class merely contains a furniture word, and page builders name
    their blocks with such words: an accordion of the article's method notes whose wrapper is styled
    "kt-accodion-icon-style-arrow" ("-icon"), a pros-and-cons box in a "rating" block. A box counts
    as the article's own when its parent holds the article's paragraphs and it holds paragraphs of
    its own with hardly a link (WCXB dev +0.0005, AEB and the trafilatura set unchanged).
    """
    flow_parents: dict[html.HtmlElement, bool] = {}

    def in_flow(parent: html.HtmlElement) -> bool:
        if parent not in flow_parents:
            flow = [
                c for c in parent if c.tag == "p" and len(c.text_content().split()) >= FLOW_PARAGRAPH_WORDS
            ]
            flow_parents[parent] = len(flow) >= FLOW_PARAGRAPHS
        return flow_parents[parent]

    for box in list(tree.iter("div", "section")):
        parent = box.getparent()
        if parent is None or not (box.get("class") or box.get("id")) or not in_flow(parent):
            continue
        paragraphs = [p for p in box.iter("p") if len(p.text_content().split()) >= FLOW_PARAGRAPH_WORDS]
        if len(paragraphs) < PROSE_BOX_PARAGRAPHS or _link_words_share(box) > PROSE_BOX_LINK_SHARE:
            continue
        for element in box.iter("div", "section", "span"):
            element.attrib.pop("class", None)
            element.attrib.pop("id", None)


WRAPPER_EXTRA_WORDS = 5  # a wrapper of the post alone may add a caption ("Embedded post")


def _unmask_embedded_posts(tree: html.HtmlElement) -> None:
    """An embedded social post (``<blockquote class="twitter-tweet">``, the fallback text its embed
    script would replace) and the wrappers that hold only it lose their class and id: trafilatura
    drops them by name ("tweet", "widget"), but a quoted post is part of the story, and the AEB
    gold keeps it (AEB +0.0028 F1 on 2 pages; the other sets unchanged, as were they with Instagram,
    TikTok, Facebook and Bluesky embeds added).
    """
    for post in tree.xpath('//blockquote[contains(@class, "twitter-tweet")]'):
        words = len(post.text_content().split())
        for box in itertools.islice((post, *post.iterancestors()), WRAPPER_LEVELS):
            wraps_more = len(box.text_content().split()) > words + WRAPPER_EXTRA_WORDS
            if box.tag in ("body", "article", "main") or wraps_more:
                break
            box.attrib.pop("class", None)
            box.attrib.pop("id", None)


# A box about the article's author (photo, "About the author", a bio, social links), named so by
# its class or id: "author-box", "about-the-author", "TestReport__AuthorBox", "autorenbox" ...
_AUTHOR_BOX = re.compile(
    r"(?:^|[\s_-])(?:about[-_]*(?:the[-_]*)?author|author[-_]*(?:box|bio|info|card|details|profile)"
    r"|autorenbox|autor[-_]*info)",
    re.IGNORECASE,
)
AUTHOR_BOX_MAX_WORDS = 150  # more than a bio: the element holds the article (a CMS's "author-info" wrapper)


def _drop_author_boxes(tree: html.HtmlElement) -> None:
    """Author boxes go before trafilatura reads the page: it keeps many of them as the article's
    closing paragraphs, where no text rule can tell a bio from the article's last lines (measured on
    the dev sets: trafilatura's set +0.0004 F1, WCXB +0.0003, AEB unchanged).
    """
    for box in list(tree.iter("div", "section", "aside", "footer")):
        names = f"{box.get('class') or ''} {box.get('id') or ''}"
        if _AUTHOR_BOX.search(names) and len(box.text_content().split()) <= AUTHOR_BOX_MAX_WORDS:
            box.drop_tree()


# A card in a grid of other posts: a short <article> whose heading links to its post.
TEASER_CARD_MAX_WORDS = 250  # a headline and an excerpt; an article is longer
TEASER_HEADLINE_WORDS = 4  # a headline, not a forum post's linked user name
TEASER_CARDS = 2


def _is_teaser_card(element: html.HtmlElement) -> bool:
    if len(element.text_content().split()) > TEASER_CARD_MAX_WORDS:
        return False
    return any(
        (heading.find(".//a[@href]") is not None or heading.getparent().tag == "a")
        and len(heading.text_content().split()) >= TEASER_HEADLINE_WORDS
        for heading in element.iter("h2", "h3", "h4", "h5")
    )


def _drop_teaser_cards(tree: html.HtmlElement) -> None:
    """A grid of sibling <article> cards, each a linked headline and an excerpt, goes before
    trafilatura reads the page: a theme's "more posts" grid beside or after the article (Elementor's
    ``elementor-post`` cards) has excerpts long enough to pass for the article's closing paragraphs
    (WCXB dev +0.0010 on 5 pages, AEB and the trafilatura set unchanged). Cards without headlines
    go too when a heading just before them announces them ("Você pode gostar...", AEB +0.0048).
    """
    # Only a parent of an <article> can hold cards (found in libxml2, not by walking every element).
    for parent in tree.xpath("//*[article]"):
        cards = [child for child in parent if child.tag == "article"]
        if len(cards) < TEASER_CARDS:
            continue
        if all(_is_teaser_card(card) for card in cards) or _announced(cards[0]):
            for card in cards:
                card.drop_tree()


def _announced(card: html.HtmlElement) -> bool:
    """Whether the heading just before the first card says they are other posts ("Você pode gostar...")."""
    heading = card.getprevious()
    return (
        heading is not None
        and heading.tag in ("h2", "h3", "h4", "h5", "div", "p")
        and is_end_marker(heading.text_content())
    )


_INLINE_TAGS = frozenset(("a", "b", "strong", "em", "i", "span", "br", "u", "small", "sup", "sub"))


def _text_divs_to_paragraphs(tree: html.HtmlElement) -> None:
    """A div holding only text (and inline tags) between two paragraphs becomes a paragraph.

    trafilatura drops such a div, and CMSs print subheadings so (``<div class="subheadline">Who
    pays the cost?</div>``). Measured on the dev sets: AEB +0.0005, WCXB +0.0003, trafilatura set
    unchanged. Taking a div next to only one paragraph lost WCXB 0.0012 (teasers, widgets).
    """
    for div in list(tree.iter("div")):
        previous, following = div.getprevious(), div.getnext()
        if (
            all(child.tag in _INLINE_TAGS for child in div)
            and div.text_content().strip()
            and previous is not None
            and following is not None
            and previous.tag == "p"
            and following.tag == "p"
        ):
            div.tag = "p"


def _link_words_share(element: html.HtmlElement) -> float:
    words = len(element.text_content().split())
    linked = sum(len(a.text_content().split()) for a in element.iter("a"))
    return linked / words if words else 1.0


def _drop_comments_in_links(tree: html.HtmlElement) -> None:
    """Without link mode, trafilatura loses the text after a link that holds an HTML comment
    (``<a>Nutrition 2025<!----></a> meeting hosted ...``, a framework's render marker)."""
    for comment in list(tree.iter(etree.Comment)):
        parent = comment.getparent()
        if parent is None or (parent.tag != "a" and next(parent.iterancestors("a"), None) is None):
            continue
        previous = comment.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + (comment.tail or "")
        else:
            parent.text = (parent.text or "") + (comment.tail or "")
        parent.remove(comment)


def paragraph_words(tree: html.HtmlElement) -> int:
    return sum(len((p.text_content() or "").split()) for p in tree.iter("p"))


# Elements that print running text.
_TEXT_BLOCK_TAGS = frozenset(
    ("p", "li", "pre", "td", "th", "dd", "dt", "blockquote", "h2", "h3", "h4", "figcaption")
)


def text_block_words(tree: html.HtmlElement) -> int:
    """Words in the page's text blocks: its paragraphs, and the lists, tables and code some pages
    print their text in instead. A block inside another is counted with the outer one."""
    total = 0
    elements = tree.iter()  # document order: an element's descendants come right after it
    for element in elements:
        if element.tag in _TEXT_BLOCK_TAGS:
            total += len(element.text_content().split())
            for _ in element.iterdescendants():
                next(elements, None)
    return total


def readability_candidate(text: str, url: str | None) -> Candidate | None:
    try:
        summary = Document(text, url=url).summary(html_partial=True)
    except Exception:  # noqa: BLE001 - readability raises bare Exceptions on odd pages
        return None
    return Candidate("readability", blocks_from_html(summary))


def build_candidates(
    tree: html.HtmlElement, text: str, url: str | None, meta: PageMeta, fallback_title: str | None = None
) -> list[Candidate]:
    """Every extractor's body, each cleaned with the title (``fallback_title`` when ``meta`` has none)."""
    candidates: list[Candidate] = []
    traf = trafilatura_candidate(tree, url)
    page_words = paragraph_words(tree)
    recall: Candidate | None = None
    if traf is not None and starts_with_link(traf.blocks):
        links = read_page_links(tree)
        if links.lost_text_before_link(traf.blocks):
            # trafilatura's link mode dropped a div's text before a link: its plain mode has it.
            traf = plain_trafilatura_candidate(tree, url, links) or traf
    if traf is not None:
        candidates.append(traf)
        # A page whose paragraphs hold far more words than trafilatura kept: trafilatura's recall mode
        # (less pruning of link-rich and short blocks) often finds the rest of the article there.
        if page_words > RECALL_GATE * traf.words:
            recall = trafilatura_candidate(tree, url, favor_recall=True)
    # readability only matters when it could find more text than trafilatura kept: skip it (half
    # the cost of a page) when the page's paragraphs hold no more words than trafilatura's body,
    # unless its lists, tables and code blocks as well hold far more.
    if (
        traf is None
        or page_words > READABILITY_GATE * traf.words
        or text_block_words(tree) > READABILITY_BLOCKS_GATE * traf.words
    ):
        # Relative links are made absolute later, against the article's URL, by the sanitiser (as
        # trafilatura's are): readability resolving every link of the page made whole extractions
        # 13% slower on AEB's pages. Only a page whose <base href> names another base needs it.
        read = readability_candidate(text, url if tree.find(".//base[@href]") is not None else None)
        if read is not None:
            candidates.append(read)
    if meta.jsonld_body:
        body = meta.jsonld_body
        if ("<" not in body and "&lt;" in body) or _ESCAPED_TWICE.search(body):
            body = htmllib.unescape(body)  # markup or entities escaped once more by the CMS
        if "<p" in body:
            blocks = blocks_from_html(body)
        else:  # plain text: decode its entities here, as the parser decodes markup's ("can&rsquo;t";
            # a text escaped twice, "&amp;quot;", needs this and the unescape above)
            blocks = split_as_printed(
                blocks_from_plain(htmllib.unescape(body)), tree, traf.blocks if traf else ()
            )
        candidates.append(Candidate("jsonld", blocks))
    title = meta.title or fallback_title
    # A heading between the headline and the first paragraph: on an English page a dek that the text
    # goes on to say again (the English sets' gold leaves it out: AEB -0.0010 kept), on a German,
    # French, Spanish ... page the article's lead (Vorspann, chapô), which is its first paragraph
    # (trafilatura set +0.0019 kept: 5 pages gain a snippet, none lose one; a page without a declared
    # language is treated as English, as before).
    keep = meta.language not in (None, "en")
    for candidate in candidates:
        candidate.blocks = clean_blocks(candidate.blocks, title, keep_standfirst=keep)
    if traf is not None and recall is not None:
        recall.blocks = clean_blocks(recall.blocks, title, keep_standfirst=keep)
        if is_superset(recall, traf, RECALL_GAIN):
            candidates[candidates.index(traf)] = recall
    return candidates


# Choice thresholds, measured on the extraction dev sets (README section 1).
JSONLD_MIN_WORDS = 50
JSONLD_MIN_SHARE = 0.8  # of the trafilatura body's words: below that, articleBody is a teaser
JSONLD_RENDER_GAIN = 1.2  # trafilatura's body at most this many times the articleBody's words ...
JSONLD_RENDER_CONTAINS = 0.95  # ... and holding nearly all of it: the same text, rendered more fully
READABILITY_GATE = 1.0  # run readability when the page's <p> words exceed trafilatura's body words ...
READABILITY_BLOCKS_GATE = 1.5  # ... or its words in all text blocks exceed them this many times
READABILITY_GAIN = 1.25  # readability must find this many times more words ...
READABILITY_CONTAINS = 0.7  # ... and hold nearly all of trafilatura's text (a superset, not a neighbour)
READABILITY_NEW = 0.2  # ... or, at more words, this share of its text is not in trafilatura's
SHARED_BLOCK = 0.5  # a block with this share of its 4-word runs in the other body is text both have
# trafilatura's closing blocks readability lacks are set aside for that comparison: at most this many,
CLOSING_EXTRA_BLOCKS = 2
CLOSING_EXTRA_SHARE = 0.4  # ... holding at most this share of its words
PROSE_LINE_WORDS = 8  # a line this long is a sentence, not a label, link or button
RESCUE_GAIN = 3.0  # readability replaces a body of scraps when it finds this many times more words ...
RESCUE_SCRAPS = 0.5  # ... and less than this share of trafilatura's words are in prose blocks ...
RESCUE_PROSE = 0.8  # ... while at least this share of readability's are
RECALL_GATE = 2.0  # run trafilatura's recall mode when the page's <p> words exceed its body this much ...
RECALL_GAIN = 1.5  # ... and keep that body when it has this many times more words and contains the first


@functools.lru_cache(maxsize=8)  # the choice compares the same few bodies in several ways
def _shingle_set(text: str) -> frozenset[tuple[str, ...]]:
    tokens = _WORD.findall(text)
    return frozenset(tuple(tokens[i : i + 4]) for i in range(max(1, len(tokens) - 3)))


def contained_share(part: str, whole: str) -> float:
    inner = _shingle_set(part)
    return len(inner & _shingle_set(whole)) / len(inner) if inner else 1.0


def is_superset(bigger: Candidate, smaller: Candidate, gain: float) -> bool:
    """``bigger`` has ``gain`` times the words of ``smaller`` and holds nearly all of its text
    (READABILITY_CONTAINS serves every extractor: a superset, not a neighbour)."""
    if bigger.words <= gain * smaller.words:
        return False
    return contained_share(blocks_text(smaller.blocks), blocks_text(bigger.blocks)) >= READABILITY_CONTAINS


def adds_text(bigger: Candidate, smaller: Candidate) -> bool:
    """``bigger`` is a superset of ``smaller`` of any gain and a real share of its own text is new:
    a section ``smaller``'s extractor pruned (a list, a table, a second part)."""
    if not is_superset(bigger, smaller, 1.0):
        return False
    return contained_share(blocks_text(bigger.blocks), blocks_text(smaller.blocks)) <= 1 - READABILITY_NEW


def adds_only_above(bigger: Candidate, smaller: Candidate) -> bool:
    """Every block ``bigger`` has that ``smaller`` lacks comes before the text they share: a gallery's
    captions or a teaser column printed above the story, not a part of the story that was pruned."""
    whole = blocks_text(smaller.blocks)
    shared = [contained_share(b.text, whole) >= SHARED_BLOCK for b in bigger.blocks if b.text.strip()]
    first = shared.index(True) if True in shared else len(shared)
    return all(shared[first:])


def prose_share(candidate: Candidate) -> float:
    """Share of the words that sit in lines long enough to be sentences."""
    if not candidate.words:
        return 0.0
    lines = (line for b in candidate.blocks for line in b.text.splitlines())
    prose = sum(n for line in lines if (n := len(line.split())) >= PROSE_LINE_WORDS)
    return prose / candidate.words


def _without_closing_extras(traf: Candidate, read: Candidate) -> Candidate | None:
    """trafilatura's body without its last blocks (at most ``CLOSING_EXTRA_BLOCKS`` of them, and at
    most ``CLOSING_EXTRA_SHARE`` of its words) that readability's body lacks; None when it has none."""
    whole = blocks_text(read.blocks)
    blocks = list(traf.blocks)
    while (
        blocks
        and len(traf.blocks) - len(blocks) < CLOSING_EXTRA_BLOCKS
        and contained_share(blocks[-1].text, whole) < SHARED_BLOCK
    ):
        blocks.pop()
    trimmed = Candidate(traf.method, blocks)
    if len(blocks) == len(traf.blocks) or trimmed.words < (1 - CLOSING_EXTRA_SHARE) * traf.words:
        return None
    return trimmed


def _rescues(read: Candidate, traf: Candidate) -> bool:
    """trafilatura kept page furniture (labels, counts, menu words) while readability found the prose:
    on pages whose layout trafilatura prunes, e.g. the whole page wrapped in a header component."""
    return (
        read.words >= RESCUE_GAIN * traf.words
        and prose_share(traf) < RESCUE_SCRAPS
        and prose_share(read) >= RESCUE_PROSE
    )


def _renders(traf: Candidate, jsonld: Candidate) -> bool:
    """trafilatura's body is the page's rendering of the articleBody: it holds all of it and only a
    little more (the standfirst, subheadings, lists the CMS left out of the JSON-LD copy)."""
    if traf.words > JSONLD_RENDER_GAIN * jsonld.words:
        return False
    return contained_share(blocks_text(jsonld.blocks), blocks_text(traf.blocks)) >= JSONLD_RENDER_CONTAINS


def choose(candidates: list[Candidate], meta: PageMeta) -> Candidate | None:
    """Trafilatura's cleaned body by default; a complete JSON-LD articleBody when the page has one
    (the publisher's own statement of the text) unless trafilatura's body is that same text rendered
    more fully; readability when it finds clearly more text that includes trafilatura's (trafilatura
    stopped at an inner container, or pruned a list or section of it) and not all of it above the
    story, or prose where trafilatura kept only page scraps."""
    usable = {c.method: c for c in candidates if c.words > 0}
    if not usable:
        return None
    traf = usable.get("trafilatura")
    traf_words = traf.words if traf else 0
    jsonld = usable.get("jsonld")
    if jsonld and jsonld.words >= max(JSONLD_MIN_WORDS, JSONLD_MIN_SHARE * traf_words):
        return traf if traf and _renders(traf, jsonld) else jsonld
    read = usable.get("readability")
    if traf is None:
        return read or jsonld
    if read:
        # Compared as it is, then without the closing blocks only trafilatura kept (a company blurb
        # after the article), which would otherwise make readability's fuller text look like another.
        for base in (traf, _without_closing_extras(traf, read)):
            if base is not None and (is_superset(read, base, READABILITY_GAIN) or adds_text(read, base)):
                return traf if adds_only_above(read, base) else read
    if read and _rescues(read, traf):
        return read
    return traf
