"""Page metadata: JSON-LD objects, <meta> tags and links, read from the parsed tree.

Preference per field (first present wins), from the most deliberate statement to the least:
title: JSON-LD headline, og:title, twitter:title, <h1>, <title> minus the site name;
author: JSON-LD author names, meta author / article:author (names, not profile URLs), the "Written
by" pair of a link-preview card; the caller falls back to trafilatura's author search (without a role
it glued on, ``name_without_role``), then to ``visible_byline`` (microdata, a "Written by" label, a
link to the writer's page);
date: JSON-LD datePublished, article:published_time and kin; the caller falls back to trafilatura.
"""

from __future__ import annotations

import datetime as dt
import html as htmllib
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree, html

ARTICLE_TYPES = {
    "article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
    "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "techarticle", "scholarlyarticle",
    "report", "liveblogposting", "posting", "socialmediaposting", "medicalscholarlyarticle",
}  # fmt: skip
_DATE_META = (
    "article:published_time", "og:article:published_time", "datepublished", "date", "pubdate",
    "publishdate", "publish-date", "dc.date.issued", "dc.date", "dcterms.date", "sailthru.date",
    "parsely-pub-date", "article.published", "published_time", "cxenseparse:recs:publishtime",
)  # fmt: skip
_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:·•›»]\s+")


@dataclass
class PageMeta:
    title: str | None = None
    headline: str | None = None  # the page's one <h1>, the headline as readers see it
    author: str | None = None
    published_at: dt.datetime | None = None
    language: str | None = None
    image: str | None = None
    canonical_url: str | None = None
    site_name: str | None = None
    jsonld_body: str | None = None
    description: str | None = None


def _walk_jsonld(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, list):
        for item in node:
            yield from _walk_jsonld(item)
    elif isinstance(node, dict):
        yield node
        for key in ("@graph", "mainEntity", "itemListElement"):
            if key in node:
                yield from _walk_jsonld(node[key])


def _types(node: dict[str, Any]) -> set[str]:
    value = node.get("@type", [])
    values = value if isinstance(value, list) else [value]
    return {str(v).lower().rsplit("/", 1)[-1] for v in values}


def jsonld_objects(tree: html.HtmlElement) -> list[dict[str, Any]]:
    objects: list[dict[str, Any]] = []
    for script in tree.xpath('//script[contains(translate(@type, "LDJSON", "ldjson"), "ld+json")]'):
        raw = (script.text or "").strip()
        if not raw:
            continue
        try:
            data = json.loads(raw, strict=False)
        except ValueError:
            # Trailing commas and HTML comments around the JSON are common; one repair attempt.
            try:
                data = json.loads(re.sub(r",\s*([}\]])", r"\1", raw.strip("<!->; \n")), strict=False)
            except ValueError:
                continue
        objects.extend(_walk_jsonld(data))
    return objects


def _article_object(objects: list[dict[str, Any]]) -> dict[str, Any] | None:
    articles = [o for o in objects if _types(o) & ARTICLE_TYPES]
    if not articles:
        return None
    # Several article objects (related stories, a site-wide one): the one with a body or headline.
    return max(articles, key=lambda o: (bool(o.get("articleBody")), bool(o.get("headline"))))


def _names(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value] if value.strip() and not value.startswith("http") else []
    if isinstance(value, list):
        return [name for item in value for name in _names(item)]
    if isinstance(value, dict):
        return _names(value.get("name", ""))
    return []


def _first_url(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and value:
        return _first_url(value[0])
    if isinstance(value, dict):
        return _first_url(value.get("url") or value.get("contentUrl") or value.get("@id"))
    return None


def parse_date(value: str | None) -> dt.datetime | None:
    """ISO 8601 (and its common near-misses) -> aware datetime in the offset the page states, so its
    date is the publisher's own ("00:30+02:00" is that day, not the UTC day before); a time without
    zone is taken as UTC. Storage converts to UTC anyway."""
    if not value:
        return None
    text = value.strip().replace(" ", "T", 1)
    text = re.sub(r"([+-]\d\d)(\d\d)$", r"\1:\2", text)
    try:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        match = re.match(r"\d{4}-\d\d-\d\d", text)
        if not match:
            return None
        try:
            parsed = dt.datetime.fromisoformat(match.group(0))
        except ValueError:
            return None
    if not 1990 <= parsed.year <= dt.datetime.now(dt.UTC).year + 1:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed


def absolute_http_url(value: str | None, base: str | None) -> str | None:
    if not value:
        return None
    url = urljoin(base or "", value.strip())
    parts = urlsplit(url)
    return url if parts.scheme in ("http", "https") and parts.netloc else None


def _meta_map(tree: html.HtmlElement) -> dict[str, str]:
    found: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        content = (meta.get("content") or "").strip()
        if key and content and key not in found:
            found[key] = content
    return found


_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-f]+|[a-z]+\d*);", re.I)


def _decoded(text: str) -> str:
    """``text`` with its character references decoded, also those a CMS escaped twice ("&amp;#x26;",
    which a reader would otherwise see as "&#x26;"), and its runs of white space made one space."""
    for _ in range(2):
        if not _ENTITY.search(text):
            break
        text = htmllib.unescape(text)
    return " ".join(text.split())


def _clean_title(title: str, site_name: str | None, shown: str | None = None) -> str:
    """Drop a trailing/leading " | Site" part: the site name, or the shorter side of a separator.
    The first part is the title when the page's headline (``shown``) reads the same: the site's
    name after it may be the longer part ("ORSO MARSICANO: 2019 UN ANNO DA RECORD | Parco
    Nazionale d'Abruzzo, Lazio e Molise")."""
    title = _decoded(title)
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    if shown and parts[0].lower() == shown.lower():
        return parts[0]
    if site_name:
        kept = [p for p in parts if p.lower() != site_name.lower()]
        if kept and len(kept) < len(parts):
            return " - ".join(kept)
    return max(parts, key=len) if len(parts[0]) < len(parts[-1]) * 2 or len(parts[-1]) > 40 else parts[0]


def _shown_headline(tree: html.HtmlElement, site: str | None) -> str | None:
    """The page's one <h1> outside its header, nav and footer: the headline as readers see it, which
    the JSON-LD headline and og:title often reword for search engines and social cards ("Health And
    Nutrition Trends For 2026" above "Top 10 Health and Nutrition Trends to Watch"). Not when the
    page has several, or when it is the site's name (a logo)."""
    outside_chrome = tree.xpath("//h1[not(ancestor::header or ancestor::nav or ancestor::footer)]")
    headings = [h for h in outside_chrome if not _is_logo(h)]
    if len(headings) != 1:
        return None
    text = _decoded(headings[0].text_content())
    if len(text.split()) < 2 or len(text) > 300 or (site and text.lower() == site.strip().lower()):
        return None
    return text


# A link to a site's front page: "/", "https://example.org/", or an archived copy of one.
_FRONT_PAGE = re.compile(r"(?:^|://[^/]+)/?$")


def _is_logo(heading: html.HtmlElement) -> bool:
    """An <h1> that is the site's name linking to its front page, as blog themes print their logo."""
    links = heading.findall(".//a[@href]")
    return (
        len(links) == 1
        and bool(_FRONT_PAGE.search(links[0].get("href", "").strip()))
        and " ".join(links[0].text_content().split()) == " ".join(heading.text_content().split())
    )


def _agreeing(headline: str | None, title: str | None, site: str | None) -> str | None:
    """The shown headline when it tells the same story as the metadata title (a word of four or more
    letters in common), or the metadata names only the site; else None: a lone <h1> reading "World
    news" above an article is a section label."""
    if not headline or not title:
        return headline
    if _long_words(headline) & _long_words(title) or (site and title.strip().lower() == site.strip().lower()):
        return headline
    return None


def _long_words(text: str) -> set[str]:
    return set(re.findall(r"\w{4,}", text.lower()))


def _title(
    meta: dict[str, str],
    article: dict[str, Any] | None,
    tree: html.HtmlElement,
    site: str | None,
    shown: str | None,
) -> str | None:
    for candidate in (article or {}).get("headline"), meta.get("og:title"), meta.get("twitter:title"):
        if isinstance(candidate, str) and candidate.strip():
            return _clean_title(candidate, site, shown)
    h1 = next((h for h in tree.iter("h1") if not _is_logo(h)), None)
    if h1 is not None and (text := _decoded(h1.text_content())):
        return text
    title = tree.find(".//title")
    if title is not None and title.text and title.text.strip():
        return _clean_title(title.text, site, shown)
    return None


# The word a byline opens with, in the languages of the sites we read: "By Jane Doe", "Von Jane Doe",
# "Par Jane Doe", "Author: Jane Doe".
_BYLINE_PREFIX = re.compile(
    r"^(written by|geschrieben von|beitrag von|by|von|vom|par|por|door|author|autor|autorin)\s*:?\s+", re.I
)


_NAME_PARTICLES = frozenset({"von", "vom", "par", "por", "door"})

# A sentence that leads to the writer's name: "This post was written by", "View all posts by",
# "Recipe by", and German's "Zeige alle Beiträge von", "Alles von". Not "Sponsored by" or "Reviewed
# by": those name someone else.
_LEAD_TO_BY = re.compile(
    r"^(?:[A-Z]?[a-z']+\s+){0,4}(?i:written|posted|posts|article|recipe|story|words|text|compiled)\s+by\s+"
    r"(?=[A-Z])"
    r"|^(?:[A-ZÄÖÜ]?[a-zäöüß]+\s+){0,3}(?i:beiträge|artikel|alles|texte)\s+von\s+(?=[A-ZÀ-Þ])"
)


def byline_name(name: str) -> str:
    """A byline's name without the word that introduces it ("By", "Von", "Author: ")."""
    # Entities a CMS escaped once more than the markup needed ("Maria &amp; Katerina").
    name = _decoded(name)
    name = _LEAD_TO_BY.sub("", name)
    match = _BYLINE_PREFIX.match(name)
    if match is None:
        return name
    rest = name[match.end() :]
    # "By", "Author" and the phrases are never part of a name; "von", "par", ... are a prefix only
    # before a capital ("Von der Leyen" stays as it is; "Autor www.example.com" is the site's byline).
    return rest if rest and (rest[0].isupper() or match.group(1).lower() not in _NAME_PARTICLES) else name


def _author(meta: dict[str, str], article: dict[str, Any] | None) -> str | None:
    names = _names((article or {}).get("author"))
    if not names:
        for key in ("author", "article:author", "dc.creator", "parsely-author", "sailthru.author", "byl"):
            value = meta.get(key, "")
            if value and not value.startswith("http"):
                names = [value]
                break
    if not names and (shared := _labelled_twitter_author(meta)):
        names = [shared]
    unique = list(dict.fromkeys(byline_name(n) for n in names))
    return "; ".join(unique) if unique else None


_WRITTEN_BY = re.compile(
    r"^(written by|geschrieben von|verfasst von|écrit par|escrito por|scritto da)$", re.I
)


def _labelled_twitter_author(meta: dict[str, str]) -> str | None:
    """The writer a page names for link previews: WordPress SEO plugins print a "Written by" label
    and the name as the card's first (or second) label/data pair (``twitter:label1``/``data1``)."""
    for pair in ("1", "2"):
        if _WRITTEN_BY.match(meta.get(f"twitter:label{pair}", "").strip()):
            return meta.get(f"twitter:data{pair}") or None
    return None


# A person's or a desk's name as a byline prints it: two to five capitalised words, with the particles
# names carry ("Ursula von der Leyen") and the joins of a shared byline ("A and B").
_BYLINE_NAME = re.compile(
    r"^[A-ZÀ-Þ][\w'’.-]*(\s+([A-ZÀ-Þ][\w'’.-]*|de|van|von|der|den|la|le|da|di|du|and|und|&)){1,4}$"
)
# "Emily WalkerCasey McDevitt" is two names run together; "McDevitt", "DeAngelo" are one.
_RUN_TOGETHER = re.compile(r"[a-zà-ÿ]{3}[A-ZÀ-Þ]")
# The label that opens a byline's text: alone ("By", then the name in the next element), or with the
# name after it in the same text ("Written by John Crenshaw"; not "By" there: "By The Numbers" heads
# a section).
_BYLINE_LABEL_OPENS = re.compile(
    r"^(written by|geschrieben von|verfasst von|by|von|par|por|door|author|autor|autorin|auteur)\s*:?$"
    r"|^(written by|posted by|geschrieben von|verfasst von|author:|autor:|autorin:|auteur ?:)\s*\S",
    re.I,
)
_AUTHOR_PAGE = re.compile(r"/(authors?|autor(en)?|auteurs?|writers?|contributors?|staff)/[^/?#]+/?$", re.I)
_NOT_BYLINE_TAGS = ("script", "style", "noscript", "template")


def _element_text(element: html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def _as_byline_name(text: str) -> str | None:
    name = byline_name(text)
    if _BYLINE_NAME.match(name) and not _RUN_TOGETHER.search(name):
        return name
    return None


def visible_byline(tree: html.HtmlElement) -> str | None:
    """The writer's name as the page shows it, for a page whose metadata names nobody.

    Looked for, in this order: schema.org microdata (``itemprop="author"``, its ``name``); a label
    ("Written by", "By", "Autor:") whose element or next element holds the name; a link to the
    writer's page (``/author/jane-doe``). Only a text shaped like a name counts.
    """
    body = tree.find(".//body")
    if body is None:
        return None
    for element in body.xpath('.//*[@itemprop="author"]'):
        names = element.xpath('.//*[@itemprop="name"]')
        if name := _as_byline_name(_element_text(names[0] if names else element)):
            return name
    for element in body.iter(tag=etree.Element):
        own_text = (element.text or "").strip()
        if element.tag in _NOT_BYLINE_TAGS or not _BYLINE_LABEL_OPENS.match(own_text):
            continue
        shown = _element_text(element)
        follower = element.getnext()
        if byline_name(shown) == shown and follower is not None:  # the label alone: the name follows
            shown = _element_text(follower)
        if name := _as_byline_name(shown):
            return name
    for link in body.xpath(".//a[@href]"):
        if _AUTHOR_PAGE.search(link.get("href", "")) and (name := _as_byline_name(_element_text(link))):
            return name
    return None


def name_without_role(name: str, tree: html.HtmlElement) -> str:
    """``name`` without a role an author box prints beside it, which a search that reads the box's
    text whole glues on ("Rachel MacDonald Writer" from ``<div>Rachel MacDonald</div><div>Writer</div>``).

    The name is the longest start of at least two words that the page prints as a text of its own,
    with the rest printed as (the start of) another text. A byline of several names is left as it is.
    """
    words = name.split()
    if len(words) < 3 or any(join in name for join in (",", ";", "&", " and ", " und ")):
        return name
    texts = {" ".join(t.split()) for t in _VISIBLE_TEXT(tree)}
    for cut in range(len(words) - 1, 1, -1):
        head, rest = " ".join(words[:cut]), " ".join(words[cut:])
        if head in texts and any(text.startswith(rest) for text in texts):
            return head
    return name


PRINTED_NAME_MIN_CHARS = 4  # a shorter name matches inside other words' capitals too easily
_VISIBLE_TEXT = etree.XPath("//body//text()[not(ancestor::script or ancestor::style or ancestor::noscript)]")


def as_printed(names: str, tree: html.HtmlElement) -> str:
    """``names`` ("; "-joined) as the page prints them: trafilatura's author search title-cases a
    name it finds in lower case ("revamp-it" -> "Revamp-It") and drops the dots of initials and
    domains ("Günter W Kienitz", "www koffergepackt com"); a byline is the page's own form. A
    title-cased name is looked up in any case, another in its own; a dot may stand where the name
    has a space. The form the page's text shows most often wins (the first on a tie)."""
    looked_up = [n for n in names.split("; ") if len(n) >= PRINTED_NAME_MIN_CHARS]
    if not looked_up:
        return names
    text = " ".join(_VISIBLE_TEXT(tree))
    printed = []
    for name in names.split("; "):
        forms: Counter[str] = Counter()
        if name in looked_up:
            spaced = r"(?:\.\s*|\s+)".join(re.escape(word) for word in name.split())
            pattern = r"(?<!\w)" + spaced + r"(?!\w)"
            flags = re.I if name == name.title() else 0
            # (The page's text nodes keep their line breaks and indentation: printed, they are spaces.)
            forms.update(" ".join(match.group(0).split()) for match in re.finditer(pattern, text, flags))
        printed.append(forms.most_common(1)[0][0] if forms else name)
    return "; ".join(printed)


# What may stand between two names of one byline: "A, B", "A and B", "A, and B", "A & B", "A und B".
_NAME_JOIN = r"\s*(?:,\s*(?:and\s+|&\s*)?|\s(?:and|und|et|y|e|en|&)\s)\s*"


def printed_byline(names: str | None, tree: html.HtmlElement | None) -> str | None:
    """Several "; "-joined names as the page's byline prints them ("David Brand and Ramsey
    Khalifeh", "Fiona Bornhöft und Mariam Hofbeck"); joined with ", " when the page never prints
    them together. One name is returned as it is."""
    if not names or "; " not in names:
        return names
    parts = names.split("; ")
    if tree is not None:
        pattern = _NAME_JOIN.join(r"(?<!\w)" + re.escape(part) + r"(?!\w)" for part in parts)
        if match := re.search(pattern, " ".join(" ".join(_VISIBLE_TEXT(tree)).split())):
            # Text nodes are joined with a space: "<a>A</a>, <a>B</a>" reads "A , B" here.
            return re.sub(r"\s+,", ",", match.group(0))
    return ", ".join(parts)


# A CMS's default account: the page names no person ("By admin" is no byline a reader can use).
_DEFAULT_ACCOUNTS = frozenset(
    {"admin", "administrator", "super user", "superuser", "webmaster", "wordpressadmin", "wpadmin"}
    | {"user", "root", "guest", "default"}
)


# What a byline block prints after the name, read with it as one line: the date ("Jordana Cepelewicz
# December 4, 2025", "Haley Hoekstra • March 3"), an update stamp ("Cazzy Magennis Last Updated ...").
# English month names only, whole or cut at a known point: cleanup's multilingual ``_MONTH`` takes
# any letters after "mar", "jun" ..., which after a name's dash would eat "— Marcus Reed".
_ENGLISH_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|jun(?:e)?|jul(?:y)?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE_TAIL = re.compile(
    r"(?:^|\s+)(?:last\s+)?(?:updated|published|posted)\b.*$"
    rf"|\s+[•|·—–-]\s+{_ENGLISH_MONTH}\b.*$"
    rf"|\s+{_ENGLISH_MONTH}\s+\d.*$"
    # A bare month name that is no one's name (not "Theresa May", "Brian June"): a date cut short.
    r"|\s+(?:january|february|september|october|november|december)$",
    re.I,
)
_ONLY_DATE = re.compile(rf"^(?:{_ENGLISH_MONTH}|[\d\s.,:/-]+)$", re.I)


MAX_BYLINE_CHARS = 300  # longer, a "byline" is a paragraph a template put in the author field


def tidy_byline(name: str | None) -> str | None:
    """A byline on one line without what its block printed around the name: quotes, a leading
    comma, the date or an update stamp after it; None when nothing but a month or digits is left
    ("Dec"), or when it is far too long to be a name."""
    if not name:
        return name
    name = " ".join(name.split())
    if len(name) > MAX_BYLINE_CHARS:
        return None
    name = name.strip('"“”').lstrip(",;:•|· ").strip()
    name = _DATE_TAIL.sub("", name).rstrip(",;:•|·—–- ")
    return None if not name or _ONLY_DATE.match(name) else name


def real_author(name: str | None) -> str | None:
    """``name``'s "; "-joined names tidied (``tidy_byline``), without the default accounts, or None
    when none is left. A single letter is no name either: what is left of a byline whose name was
    digits ("r23").
    """
    names = [tidy_byline(n) or "" for n in (name or "").split("; ")]
    kept = [n for n in names if len(n) > 1 and n.lower() not in _DEFAULT_ACCOUNTS]
    return "; ".join(kept) or None


def _published(
    meta: dict[str, str], article: dict[str, Any] | None, tree: html.HtmlElement
) -> dt.datetime | None:
    value = (article or {}).get("datePublished") or (article or {}).get("dateCreated")
    if isinstance(value, str) and (parsed := parse_date(value)):
        return parsed
    for key in _DATE_META:
        if parsed := parse_date(meta.get(key)):
            return parsed
    for node in tree.xpath("//time[@datetime][1]|//*[@itemprop='datePublished'][@datetime or @content][1]"):
        if parsed := parse_date(node.get("datetime") or node.get("content")):
            return parsed
    return None


def _body_text(article: dict[str, Any] | None) -> str | None:
    body = (article or {}).get("articleBody")
    if isinstance(body, list):
        body = "\n\n".join(str(b) for b in body)
    return body.strip() if isinstance(body, str) and body.strip() else None


def read_metadata(tree: html.HtmlElement, url: str | None) -> PageMeta:
    meta = _meta_map(tree)
    article = _article_object(jsonld_objects(tree))
    canonical = None
    for link in tree.xpath("//link[@rel][@href]"):
        if "canonical" in link.get("rel", "").lower().split():
            canonical = link.get("href")
            break
    base = url or canonical or meta.get("og:url")
    site = meta.get("og:site_name")
    lang = tree.get("lang") or tree.get("xml:lang") or meta.get("og:locale") or meta.get("content-language")
    image = _first_url((article or {}).get("image")) or meta.get("og:image") or meta.get("twitter:image")
    shown = _shown_headline(tree, site)
    title = _title(meta, article, tree, site, shown)
    return PageMeta(
        title=title,
        headline=_agreeing(shown, title, site),
        author=_author(meta, article),
        published_at=_published(meta, article, tree),
        language=normalize_language(lang),
        image=absolute_http_url(image, base),
        canonical_url=absolute_http_url(canonical or meta.get("og:url"), base),
        site_name=site,
        jsonld_body=_body_text(article),
        description=meta.get("og:description") or meta.get("description"),
    )


def normalize_language(value: str | None) -> str | None:
    """ "en-US", "de_DE", "EN" -> ISO 639-1 "en"; anything else -> None."""
    if not value:
        return None
    code = re.split(r"[-_]", value.strip().lower(), maxsplit=1)[0]
    return code if re.fullmatch(r"[a-z]{2}", code) else None
