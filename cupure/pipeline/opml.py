"""OPML subscription lists: read (import) and write (export).

Reading is defensive (SECURITY.md B11): the DOCTYPE is never loaded and entities are never
expanded (``resolve_entities=False``, ``load_dtd=False``, ``no_network=True``), nesting is walked
without recursion, and at most ``max_outlines`` feeds are returned. Whether a feed URL is allowed
(http(s), public address) is the fetcher's decision, made per line by the importer.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from cupure.pipeline.textnorm import CAPS, clean_line


@dataclass(frozen=True)
class OpmlOutline:
    title: str
    xml_url: str
    html_url: str | None
    category: str  # enclosing outline titles joined with " / "; "" at top level


class OpmlError(ValueError):
    """Not an OPML document we can read."""


_CATEGORY_SEPARATOR = " / "


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        recover=True,
    )


def _attr(element: etree._Element, *names: str) -> str:
    # OPML in the wild spells attributes in any case (xmlUrl, xmlurl, XMLURL).
    lowered = {str(key).lower(): value for key, value in element.attrib.items()}
    for name in names:
        value = lowered.get(name.lower())
        if value and value.strip():
            return value.strip()
    return ""


def parse_opml(data: bytes, *, max_outlines: int = 5000) -> list[OpmlOutline]:
    """Feeds listed in an OPML document, flattened in document order, at most ``max_outlines``."""
    try:
        root = etree.fromstring(data, parser=_parser())
    except (etree.XMLSyntaxError, ValueError) as error:
        raise OpmlError(f"not an OPML document: {error}") from None
    if root is None or not isinstance(root.tag, str) or etree.QName(root).localname.lower() != "opml":
        raise OpmlError("not an OPML document: the root element is not <opml>")
    body = next((child for child in root if isinstance(child.tag, str) and child.tag.lower() == "body"), None)
    if body is None:
        return []
    found: list[OpmlOutline] = []
    # Explicit stack of (element, enclosing titles), children pushed in reverse to keep document order.
    stack: list[tuple[etree._Element, tuple[str, ...]]] = [(child, ()) for child in reversed(body)]
    while stack and len(found) < max_outlines:
        element, parents = stack.pop()
        if not isinstance(element.tag, str) or element.tag.lower() != "outline":
            continue
        title = clean_line(_attr(element, "title", "text"), cap=CAPS["title"])
        xml_url = _attr(element, "xmlUrl")
        if xml_url:
            found.append(
                OpmlOutline(
                    title=title,
                    xml_url=clean_line(xml_url, cap=CAPS["url"]),
                    html_url=clean_line(_attr(element, "htmlUrl"), cap=CAPS["url"]) or None,
                    category=_CATEGORY_SEPARATOR.join(p for p in parents if p),
                )
            )
        stack.extend((child, (*parents, title)) for child in reversed(element))
    return found


def build_opml(outlines: list[OpmlOutline], title: str) -> bytes:
    """An OPML 2.0 document with one folder outline per category, feeds in the given order."""
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = clean_line(title, cap=CAPS["title"])
    body = etree.SubElement(root, "body")
    folders: dict[str, etree._Element] = {}
    for outline in outlines:
        parent = body
        if outline.category:
            if outline.category not in folders:
                folders[outline.category] = etree.SubElement(
                    body, "outline", text=outline.category, title=outline.category
                )
            parent = folders[outline.category]
        attributes = {"type": "rss", "text": outline.title, "title": outline.title, "xmlUrl": outline.xml_url}
        if outline.html_url:
            attributes["htmlUrl"] = outline.html_url
        etree.SubElement(parent, "outline", attributes)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
