"""Feed bytes -> :class:`ParsedFeed` (RSS 0.9x/1.0/2.0, Atom 0.3/1.0, RDF, CDF, JSON Feed 1.0/1.1).

Only ever bytes: never a URL or a path (SECURITY.md B12), so no parser can be made to fetch or
open anything. The steps:

1. decode (:func:`decode_document`): BOM, XML declaration, Content-Type
   charset, then detection; never fails on bad bytes;
2. sniff the root: JSON Feed, an XML feed, or a clear :class:`ParseError` (HTML page, OPML, other);
3. defuse: the DOCTYPE is removed and named entities are rewritten as character references
   *before* any XML parser sees the document, so external entities (XXE), parameter entities and
   entity-expansion bombs cannot exist, whatever the parser's settings;
4. parse with fastfeedparser (fast), or feedparser when the document uses ``xml:base`` or is a
   format fastfeedparser does not read, or when fastfeedparser fails;
5. map to dataclasses: titles to plain text, links resolved and limited to http(s), dates to aware
   UTC. HTML fields stay raw: ingest sanitises them with the entry URL as base.
"""

from __future__ import annotations

import codecs
import html
import json
import re
import warnings
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from html.entities import html5 as _HTML5_ENTITIES
from typing import Any
from urllib.parse import urljoin, urlsplit

import fastfeedparser
import feedparser
from charset_normalizer import from_bytes
from lxml import etree

from cupure.pipeline.textnorm import CAPS, clean_line, html_to_text

MAX_CATEGORIES = 20
_MAX_OFFSET = timedelta(hours=14)


@dataclass
class ParsedEntry:
    guid: str | None
    url: str | None
    title: str
    summary_html: str
    content_html: str
    author: str
    published_at: datetime | None
    updated_at: datetime | None
    categories: list[str] = field(default_factory=list)
    image_url: str | None = None
    language: str | None = None


@dataclass
class ParsedFeed:
    kind: str
    title: str
    site_url: str | None
    language: str | None
    ttl_minutes: int | None
    entries: list[ParsedEntry]
    warnings: list[str] = field(default_factory=list)


class ParseError(Exception):
    """The bytes are not a feed we can read; the message says why (shown to operators)."""


# ---------------------------------------------------------------------------------------------
# 1. Decoding


_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# BOM-less UTF-16/32: the byte pattern of "<" (XML 1.0 appendix F).
_PATTERNS: tuple[tuple[bytes, str], ...] = (
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00?", "utf-16-be"),
    (b"<\x00?\x00", "utf-16-le"),
)
_XML_DECL_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:\-]+)["']""")
_CT_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:\-]+)""", re.IGNORECASE)
# Browsers decode these labels as windows-1252 (WHATWG Encoding), and so do feeds in practice:
# curly quotes declared as ISO-8859-1 are the commonest mojibake source.
_AS_CP1252 = frozenset({"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "us-ascii", "ascii", "cp819"})


def _codec(label: str) -> str | None:
    label = label.strip().lower()
    if label in _AS_CP1252:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _try_decode(data: bytes, codec: str) -> str | None:
    # A UTF-16/32 label on a document without the byte pattern is a lie copied between feeds.
    if codec.startswith(("utf-16", "utf-32")) and b"\x00" not in data[:4]:
        return None
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        if codec == "cp1252":  # five bytes are undefined in cp1252; latin-1 maps every byte
            return data.decode("latin-1")
        return None


@dataclass
class Decoded:
    text: str
    codec: str
    note: str | None  # set when the declared encoding was unusable and we had to choose


def decode_document(data: bytes, content_type: str | None = None) -> Decoded:
    """Text of the document: BOM, byte pattern, XML declaration, Content-Type charset, UTF-8, detection.

    A declared encoding is used only if the bytes decode with it; otherwise the next candidate is
    tried, and the result carries a note (the feed is then flagged, like feedparser's ``bozo``).
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return Decoded(data[len(bom) :].decode(codec, errors="replace"), codec, None)
    for pattern, codec in _PATTERNS:
        if data.startswith(pattern):
            return Decoded(data.decode(codec, errors="replace"), codec, None)
    labels = []
    declared = _XML_DECL_ENCODING.match(data[:512])
    if declared:
        labels.append(declared.group(1).decode("ascii"))
    header = _CT_CHARSET.search(content_type or "")
    if header:
        labels.append(header.group(1))
    for index, label in enumerate([*labels, "utf-8"]):
        codec = _codec(label)
        text = _try_decode(data, codec) if codec else None
        if text is not None:
            # Plain UTF-8 without any declaration is what XML assumes: nothing to flag.
            note = f"declared encoding {labels[0]!r} unusable, decoded as {codec}" if index > 0 else None
            return Decoded(text, codec or "utf-8", note)
    best = from_bytes(data[: 256 * 1024]).best()
    guessed = best.encoding if best is not None and best.encoding else "utf-8"
    note = f"no usable encoding declared, detected {guessed}"
    return Decoded(data.decode(guessed, errors="replace"), guessed, note)


# ---------------------------------------------------------------------------------------------
# 2-3. Sniffing and defusing

_PROLOG_ITEM = re.compile(
    r"\s*(<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(\[.*?\]\s*)?>)", re.DOTALL | re.IGNORECASE
)
_ROOT = re.compile(r"\s*<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")
_ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9._\-]*);")
_XML_ENTITIES = frozenset({"amp", "lt", "gt", "quot", "apos"})
# XML 1.0 forbids these characters; lxml's recover mode drops the text around them.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Root local name (lower-cased; CDF writes <CHANNEL>) -> kind. RDF is matched case-sensitively
# below: RSS 0.90/1.0 roots are always rdf:RDF, and a bare <rdf> is some other XML.
_FEED_ROOTS = {"rss": "rss", "feed": "atom", "channel": "rss"}


def _skip_prolog(text: str) -> tuple[int, bool]:
    """(offset of the root element, whether an HTML doctype was seen)."""
    pos, html_doctype = 0, False
    while True:
        match = _PROLOG_ITEM.match(text, pos)
        if not match:
            return pos, html_doctype
        if match.group(1)[:9].upper() == "<!DOCTYPE" and re.match(r"<!DOCTYPE\s+html", match.group(1), re.I):
            html_doctype = True
        pos = match.end()


def _sniff(text: str) -> tuple[str, int]:
    """(kind, offset of the root element) or ParseError."""
    stripped = text.lstrip()
    if not stripped:
        raise ParseError("empty document")
    if stripped[0] in "{[":
        return "json", 0
    pos, html_doctype = _skip_prolog(text)
    root = _ROOT.match(text, pos)
    if root is None:
        # Junk before the root (a PHP warning, a stray byte): look for the first tag.
        start = text.find("<", pos)
        root = _ROOT.match(text, start) if start >= 0 else None
        if root is None:
            raise ParseError("not a feed: no XML root element found")
    name = root.group(2)
    if name.lower() == "html" or html_doctype:
        raise ParseError("not a feed: looks like an HTML page")
    if name.lower() == "opml":
        raise ParseError("not a feed: this is an OPML subscription list")
    kind = "rdf" if name == "RDF" else _FEED_ROOTS.get(name.lower())
    if kind is None:
        raise ParseError(f"not a feed: unexpected root element <{name}>")
    return kind, root.start() + (len(root.group(0)) - len(root.group(0).lstrip()))


def _entity_reference(match: re.Match[str]) -> str:
    name = match.group(1)
    if name in _XML_ENTITIES:
        return match.group(0)
    chars = _HTML5_ENTITIES.get(name + ";")
    if chars is None:
        # Undefined (or defined only in the DTD we removed): keep it visible as literal text.
        return f"&amp;{name};"
    return "".join(f"&#{ord(c)};" for c in chars)


_CDATA = re.compile(r"(<!\[CDATA\[.*?\]\]>)", re.DOTALL)
# An ampersand that starts no reference: the commonest ill-formedness in real feeds ("Fish & chips").
_BARE_AMPERSAND = re.compile(r"&(?!(?:[A-Za-z][A-Za-z0-9._\-]*|#[0-9]+|#[xX][0-9A-Fa-f]+);)")


def _defuse_markup(segment: str) -> str:
    segment = _BARE_AMPERSAND.sub("&amp;", segment)
    return _ENTITY.sub(_entity_reference, segment)


def _defuse(text: str, root_offset: int) -> bytes:
    """UTF-8 XML without DOCTYPE or named entities beyond XML's five, ready for any XML parser.

    CDATA sections are left alone: entities are not recognised inside them anyway.
    """
    body = _XML_ILLEGAL.sub("", text[root_offset:])
    parts = _CDATA.split(body)
    body = "".join(part if index % 2 else _defuse_markup(part) for index, part in enumerate(parts))
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body).encode("utf-8", errors="replace")


# ---------------------------------------------------------------------------------------------
# 4. Parsing XML feeds

_STRICT = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _is_well_formed(xml: bytes) -> bool:
    """Strict parse; raises ParseError for nesting past libxml2's default limit (256 levels).

    No feed nests that deep; a document that does is an attack (SECURITY.md B5) and is rejected
    here in milliseconds, before the lenient parsers spend seconds recovering it.
    """
    try:
        etree.fromstring(xml, parser=_STRICT)
    except etree.XMLSyntaxError as error:
        if "depth" in str(error).lower():
            raise ParseError("rejected: elements nested too deeply") from None
        return False
    return True


def _fast(xml: bytes) -> dict[str, Any] | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # it warns on recoverable oddities it has handled
            return dict(fastfeedparser.parse(xml))
    except (ValueError, TypeError, KeyError, AttributeError, etree.LxmlError, RecursionError):
        return None


def _slow(xml: bytes, base_url: str) -> dict[str, Any]:
    headers = {"content-location": base_url, "content-type": "application/xml; charset=utf-8"}
    with warnings.catch_warnings():
        # feedparser warns (DeprecationWarning) about its own dict-key aliases; not ours to fix.
        warnings.simplefilter("ignore")
        result = feedparser.parse(xml, response_headers=headers, sanitize_html=False)
        return {"feed": dict(result.get("feed", {})), "entries": list(result.get("entries", [])),
                "bozo": bool(result.get("bozo"))}  # fmt: skip


def _needs_feedparser(xml: bytes, root_name: str) -> bool:
    # fastfeedparser ignores xml:base and does not read CDF; feedparser handles both properly.
    return b"xml:base" in xml or root_name.lower() == "channel"


def _missed_items(parsed: dict[str, Any], xml: bytes) -> bool:
    # e.g. RSS 0.90 items in the Netscape namespace, which fastfeedparser does not look for.
    return not parsed.get("entries") and (b"<item" in xml or b"<entry" in xml)


# ---------------------------------------------------------------------------------------------
# 5. Mapping


def _parse_date(value: object) -> datetime | None:
    """Aware UTC datetime from RFC 822 / ISO 8601 text; offsets beyond +-14 h are read as UTC."""
    if isinstance(value, datetime):
        parsed: datetime | None = value
    elif isinstance(value, str) and value.strip():
        parsed = _parse_date_text(value.strip())
    else:
        return None
    if parsed is None:
        return None
    offset = parsed.utcoffset()
    if offset is None or abs(offset) > _MAX_OFFSET:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except (OverflowError, ValueError):
        return parsed.replace(tzinfo=UTC)


def _parse_date_text(text: str) -> datetime | None:
    iso = text.replace("Z", "+00:00").replace("z", "+00:00")
    try:
        return datetime.fromisoformat(iso)
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _struct_date(value: object) -> datetime | None:
    try:
        return datetime(*value[:6], tzinfo=UTC)  # type: ignore[index,misc]
    except (TypeError, ValueError, OverflowError):
        return None


def _entry_date(entry: dict[str, Any], name: str) -> datetime | None:
    return _parse_date(entry.get(name)) or _struct_date(entry.get(f"{name}_parsed"))


def _http_url(value: object, base: str | None) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    url = value.strip()
    try:
        resolved = urljoin(base, url) if base else url
        split = urlsplit(resolved)
    except ValueError:
        return None
    if split.scheme.lower() not in ("http", "https") or not split.hostname:
        return None
    if len(resolved) > CAPS["url"] or any(ord(c) < 0x21 for c in resolved):
        return None
    return resolved


def _title(entry: dict[str, Any]) -> str:
    title = entry.get("title") or ""
    if not isinstance(title, str):
        title = str(title)
    detail = entry.get("title_detail") or {}
    kind = (detail.get("type") or "") if isinstance(detail, dict) else ""
    if kind != "text/plain" and re.search(r"<[A-Za-z/!]|&[#A-Za-z]", title):
        title = html_to_text(title)
    return clean_line(title, cap=CAPS["title"])


def _categories(entry: dict[str, Any]) -> list[str]:
    seen: dict[str, None] = {}
    for tag in entry.get("tags") or []:
        if not isinstance(tag, dict):
            continue
        term = clean_line(tag.get("label") or tag.get("term") or "", cap=CAPS["category"])
        if term and term.casefold() not in {s.casefold() for s in seen}:
            seen[term] = None
        if len(seen) >= MAX_CATEGORIES:
            break
    return list(seen)


def _image(entry: dict[str, Any], base: str | None) -> str | None:
    candidates: list[tuple[object, object]] = []
    for media in entry.get("media_content") or []:
        if isinstance(media, dict):
            candidates.append((media.get("url"), media.get("medium") or media.get("type") or "image"))
    for thumb in entry.get("media_thumbnail") or []:
        if isinstance(thumb, dict):
            candidates.append((thumb.get("url"), "image"))
    for enclosure in entry.get("enclosures") or []:
        if isinstance(enclosure, dict):
            candidates.append((enclosure.get("href") or enclosure.get("url"), enclosure.get("type") or ""))
    if isinstance(entry.get("image"), dict):
        candidates.append((entry["image"].get("href"), "image"))
    for url, kind in candidates:
        if isinstance(kind, str) and kind.lower().startswith("image"):
            resolved = _http_url(url, base)
            if resolved:
                return resolved
    return None


def _content(entry: dict[str, Any], summary: str) -> str:
    values = [c.get("value") for c in entry.get("content") or [] if isinstance(c, dict)]
    texts = [v for v in values if isinstance(v, str) and v.strip()]
    if not texts:
        return ""
    best = max(texts, key=len)
    return "" if best == summary else best


def _author(entry: dict[str, Any]) -> str:
    author = entry.get("author")
    if not author:
        detail = entry.get("author_detail") or {}
        author = detail.get("name") if isinstance(detail, dict) else ""
    return clean_line(author or "", cap=CAPS["author"])


def _language(entry: dict[str, Any]) -> str | None:
    for key in ("title_detail", "summary_detail"):
        detail = entry.get(key)
        if isinstance(detail, dict) and detail.get("language"):
            return str(detail["language"])[:35]
    return None


def _map_entry(entry: dict[str, Any], base: str, synthetic_ids: bool, kind: str) -> ParsedEntry:
    # feedparser copies an id that looks like a URL into `link`; an RSS permalink GUID is a link by
    # spec (isPermaLink), an Atom id is only a name.
    borrowed = kind == "atom" and entry.get("guidislink")
    url = None if borrowed else _http_url(entry.get("link"), base)
    guid = clean_line(entry.get("id") or "", cap=CAPS["guid"]) or None
    if synthetic_ids and guid == (entry.get("link") or "").strip():
        guid = None
    summary = entry.get("summary") or entry.get("description") or ""
    summary = summary if isinstance(summary, str) else ""
    return ParsedEntry(
        guid=guid,
        url=url,
        title=_title(entry),
        summary_html=summary,
        content_html=_content(entry, summary),
        author=_author(entry),
        published_at=_entry_date(entry, "published"),
        updated_at=_entry_date(entry, "updated"),
        categories=_categories(entry),
        image_url=_image(entry, url or base),
        language=_language(entry),
    )


_TTL = re.compile(r"<(?:\w+:)?ttl>\s*(\d{1,6})\s*<", re.IGNORECASE)
_SY_PERIOD = re.compile(r"<sy:updatePeriod>\s*(\w+)\s*<", re.IGNORECASE)
_SY_FREQUENCY = re.compile(r"<sy:updateFrequency>\s*(\d{1,6})\s*<", re.IGNORECASE)
_PERIOD_MINUTES = {"hourly": 60, "daily": 1440, "weekly": 10080, "monthly": 43200, "yearly": 525600}


def _ttl_minutes(text: str) -> int | None:
    """RSS <ttl>, else sy:updatePeriod / sy:updateFrequency, in minutes."""
    head = text[:65536]
    ttl = _TTL.search(head)
    if ttl and int(ttl.group(1)) > 0:
        return int(ttl.group(1))
    period = _SY_PERIOD.search(head)
    if period and period.group(1).lower() in _PERIOD_MINUTES:
        frequency = _SY_FREQUENCY.search(head)
        times = int(frequency.group(1)) if frequency and int(frequency.group(1)) > 0 else 1
        return max(1, _PERIOD_MINUTES[period.group(1).lower()] // times)
    return None


_LANGUAGE = re.compile(r"<(?:dc:)?language>\s*([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*)\s*<", re.IGNORECASE)
_XML_LANG = re.compile(
    r"""<(?:\w+:)?(?:feed|rss|RDF)\b[^>]*\bxml:lang\s*=\s*["']([A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*)["']"""
)


def _feed_language(text: str) -> str | None:
    """Channel <language>/<dc:language>, or xml:lang on the root (fastfeedparser reads neither)."""
    head = text[:65536]
    match = _LANGUAGE.search(head) or _XML_LANG.search(head)
    return match.group(1) if match else None


def _keep(entry: ParsedEntry) -> bool:
    return bool(entry.title or entry.url or entry.summary_html.strip() or entry.content_html.strip())


def _build_feed(kind: str, feed: dict[str, Any], raw_entries: list[Any], *, base_url: str,
                max_items: int, synthetic_ids: bool, text: str, notes: list[str]) -> ParsedFeed:  # fmt: skip
    site_url = _http_url(feed.get("link"), base_url)
    entries, skipped = [], 0
    for raw in raw_entries:
        if len(entries) >= max_items:
            notes.append(f"kept the first {max_items} items of {len(raw_entries)}")
            break
        entry = _map_entry(
            dict(raw), site_url or base_url if kind != "atom" else base_url, synthetic_ids, kind
        )
        if _keep(entry):
            entries.append(entry)
        else:
            skipped += 1
    if skipped:
        notes.append(f"skipped {skipped} items without title, link or content")
    language = feed.get("language") or _feed_language(text)
    return ParsedFeed(
        kind=kind,
        title=_title(feed),
        site_url=site_url,
        language=clean_line(language, cap=35) or None if isinstance(language, str) else None,
        ttl_minutes=_ttl_minutes(text),
        entries=entries,
        warnings=notes,
    )


def _parse_xml(text: str, kind: str, root_offset: int, *, base_url: str, max_items: int,
               notes: list[str]) -> ParsedFeed:  # fmt: skip
    root_name = _ROOT.match(text, root_offset).group(2)  # type: ignore[union-attr]
    xml = _defuse(text, root_offset)
    well_formed = _is_well_formed(xml)
    if not well_formed:
        notes.append("ill-formed XML, parsed leniently")
    parsed = None if _needs_feedparser(xml, root_name) else _fast(xml)
    synthetic_ids = kind in ("rss", "rdf") and b"<guid" not in xml
    if parsed is None or _missed_items(parsed, xml) or not well_formed:
        # The two recover differently from broken markup (lxml's recover mode drops what follows an
        # unclosed tag; feedparser's loose parser keeps going): keep whichever recovered more items.
        slow = _slow(xml, base_url)
        if parsed is None or len(slow["entries"]) > len(parsed.get("entries") or []):
            parsed, synthetic_ids = slow, False
        feed = parsed.get("feed") or {}
        if not well_formed and not parsed.get("entries") and not feed.get("title") and not feed.get("link"):
            raise ParseError("unparseable XML: no feed could be recovered")
    return _build_feed(kind, parsed.get("feed") or {}, parsed.get("entries") or [], base_url=base_url,
                       max_items=max_items, synthetic_ids=synthetic_ids, text=text, notes=notes)  # fmt: skip


# ---------------------------------------------------------------------------------------------
# JSON Feed (https://jsonfeed.org/version/1.1), read by hand so every type is checked.

_JSON_STRING_FIELDS = ("url", "external_url", "title", "content_html", "content_text", "summary",
                       "date_published", "date_modified", "image", "banner_image", "language")  # fmt: skip


def _json_item_problem(item: object) -> str | None:
    if not isinstance(item, dict):
        return "not an object"
    if "id" in item and not isinstance(item["id"], str | int) or isinstance(item.get("id"), bool):
        return "id is not a string"
    for name in _JSON_STRING_FIELDS:
        if item.get(name) is not None and not isinstance(item[name], str):
            return f"{name} is not a string"
    return None


def _json_author(item: dict[str, Any]) -> str:
    authors = item.get("authors")
    candidates = authors if isinstance(authors, list) else [item.get("author")]
    names = [a["name"] for a in candidates if isinstance(a, dict) and isinstance(a.get("name"), str)]
    return clean_line(", ".join(names), cap=CAPS["author"])


def _json_entry(item: dict[str, Any], base: str) -> ParsedEntry:
    url = _http_url(item.get("url"), base) or _http_url(item.get("external_url"), base)
    content = item.get("content_html") or ""
    if not content and item.get("content_text"):
        paragraphs = re.split(r"\n\s*\n", item["content_text"])
        content = "".join(f"<p>{html.escape(p.strip())}</p>" for p in paragraphs if p.strip())
    tags = item.get("tags") if isinstance(item.get("tags"), list) else []
    raw_id = item.get("id")
    return ParsedEntry(
        guid=clean_line(raw_id, cap=CAPS["guid"]) or None if raw_id is not None else None,
        url=url,
        title=_title({"title": item.get("title") or ""}),
        summary_html=html.escape(item["summary"]) if item.get("summary") else "",
        content_html=content,
        author=_json_author(item),
        published_at=_parse_date(item.get("date_published")),
        updated_at=_parse_date(item.get("date_modified")),
        categories=_categories({"tags": [{"term": t} for t in tags if isinstance(t, str)]}),
        image_url=_http_url(item.get("image"), url or base)
        or _http_url(item.get("banner_image"), url or base),
        language=item.get("language") or None,
    )


def _rss_in_json(channel: dict[str, Any], *, base_url: str, max_items: int, text: str) -> ParsedFeed:
    """RSS 2.0 serialised as JSON (``{"rss": {"channel": {..., "item": [...]}}}``, Dave Winer's format)."""
    items = channel.get("item")
    items = [items] if isinstance(items, dict) else items if isinstance(items, list) else []
    entries = []
    for item in items:
        if not isinstance(item, dict):
            continue
        categories = item.get("category")
        categories = categories if isinstance(categories, list) else [categories]
        entries.append({
            "id": item.get("guid") if isinstance(item.get("guid"), str) else None,
            "link": item.get("link"),
            "title": item.get("title") if isinstance(item.get("title"), str) else "",
            "summary": item.get("description") if isinstance(item.get("description"), str) else "",
            "published": item.get("pubDate"),
            "author": item.get("author") if isinstance(item.get("author"), str) else "",
            "tags": [{"term": c} for c in categories if isinstance(c, str)],
        })  # fmt: skip
    feed = {k: v for k, v in channel.items() if k in ("title", "link", "language") and isinstance(v, str)}
    return _build_feed("json", feed, entries, base_url=base_url, max_items=max_items, synthetic_ids=False,
                       text="", notes=[])  # fmt: skip


def _parse_json(text: str, *, base_url: str, max_items: int) -> ParsedFeed:
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise ParseError(f"unparseable JSON: {error}") from None
    rss = document.get("rss") if isinstance(document, dict) else None
    if isinstance(rss, dict) and isinstance(rss.get("channel"), dict):
        return _rss_in_json(rss["channel"], base_url=base_url, max_items=max_items, text=text)
    if not isinstance(document, dict) or "items" not in document:
        raise ParseError("not a feed: JSON document is not a JSON Feed")
    items = document["items"]
    if not isinstance(items, list):
        raise ParseError("invalid JSON Feed: items is not a list")
    feed_url = document.get("home_page_url")
    site_url = _http_url(feed_url, base_url)
    notes, entries, skipped = [], [], 0
    for item in items[:max_items]:
        problem = _json_item_problem(item)
        if problem:
            notes.append(f"skipped a JSON Feed item: {problem}")
            continue
        entry = _json_entry(item, base_url)
        if _keep(entry):
            entries.append(entry)
        else:
            skipped += 1
    if len(items) > max_items:
        notes.append(f"kept the first {max_items} items of {len(items)}")
    if skipped:
        notes.append(f"skipped {skipped} items without title, link or content")
    title = document.get("title")
    language = document.get("language")
    return ParsedFeed(
        kind="json",
        title=clean_line(title if isinstance(title, str) else "", cap=CAPS["title"]),
        site_url=site_url,
        language=language[:35] if isinstance(language, str) and language else None,
        ttl_minutes=None,
        entries=entries,
        warnings=notes,
    )


# ---------------------------------------------------------------------------------------------


def parse_feed(
    data: bytes, *, base_url: str, content_type: str | None = None, max_items: int = 500
) -> ParsedFeed:
    """Parse one feed document's bytes; relative links resolve against xml:base, then ``base_url``.

    Raises :class:`ParseError` (and nothing else) when the bytes are empty, not a feed (an HTML
    page: "not a feed: looks like an HTML page", so the caller can run discovery) or unreadable.
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise ParseError("parse_feed takes the document's bytes")
    data = bytes(data)
    if not data.strip():
        raise ParseError("empty document")
    try:
        decoded = decode_document(data, content_type)
        notes = [decoded.note] if decoded.note else []
        kind, root_offset = _sniff(decoded.text)
        if kind == "json":
            feed = _parse_json(decoded.text, base_url=base_url, max_items=max_items)
            feed.warnings[:0] = notes
            return feed
        return _parse_xml(
            decoded.text, kind, root_offset, base_url=base_url, max_items=max_items, notes=notes
        )
    except ParseError:
        raise
    except (RecursionError, MemoryError) as error:
        raise ParseError(f"unparseable: {type(error).__name__}") from None
    except Exception as error:  # noqa: BLE001 - a parser bug must become a recorded feed error, not a crash
        raise ParseError(f"unparseable: {type(error).__name__}: {error}"[:500]) from error
