"""Put a page's text where a reader's browser shows it, before the extractors read the tree.

Two kinds of article text sit in the served HTML but hidden, and the extractors drop hidden elements:

* **Streamed segments.** React's streaming server rendering sends a placeholder (``<template
  id="B:0">``, ``<template id="P:5">``) where content will go, then the content later in a hidden
  ``<div hidden id="S:0">`` and a script call (``$RC("B:0","S:0")``, ``$RS("S:5","P:5")``) that moves
  it into place. Without the move, whole articles are hidden; we make the same move. A page saved
  without its scripts is placed by React's numbering: segment ``S:a`` fills ``B:a`` or ``P:a``.
* **Collapsed panels.** Accordions, tabs and FAQ answers start closed (``display:none``, ``hidden``,
  ``aria-hidden``) and open on a click. A panel is recognised by what makes it a disclosure widget: a
  ``region``/``tabpanel`` role or a control on the page naming it in ``aria-controls``. Menus,
  dialogs and forms are left alone.
"""

from __future__ import annotations

import re

from lxml import etree, html

# $RC(boundary, segment) completes a Suspense boundary; $RS(segment, placeholder) fills a slot.
# Ids are hexadecimal: "S:9", "S:a", "P:1f".
_COMPLETE_BOUNDARY = re.compile(r"\$RC\(\s*[\"']([BP]:[0-9a-f]+)[\"']\s*,\s*[\"'](S:[0-9a-f]+)[\"']")
_FILL_SEGMENT = re.compile(r"\$RS\(\s*[\"'](S:[0-9a-f]+)[\"']\s*,\s*[\"']([BP]:[0-9a-f]+)[\"']")
_HIDING_STYLE = re.compile(r"(?:display\s*:\s*none|visibility\s*:\s*hidden)\s*(?:!important)?\s*;?", re.I)
# A class name that hides: "hidden", "hide", "collapsed", or a name ending in one ("panel-hidden").
_HIDING_CLASS = re.compile(r"^(?:(?:is-)?(?:hidden|hide|collapsed)|.*[-_](?:hidden|collapsed))$", re.I)
_PANEL_ROLES = {"region", "tabpanel"}
# Hidden widgets that are not part of the text even when a control opens them.
_NOT_TEXT = re.compile(
    r"menu|nav|modal|dialog|popup|popover|cookie|consent|search|cart|login|sign-?in|drawer", re.I
)
_NOT_TEXT_TAGS = {"nav", "header", "footer", "form", "dialog", "select"}


def reveal_hidden_text(tree: html.HtmlElement) -> bool:
    """Place streamed segments and open collapsed panels, in place. Returns whether anything changed."""
    placed = _place_streamed_segments(tree)
    opened = _open_collapsed_panels(tree)
    return placed or opened


def _place_streamed_segments(tree: html.HtmlElement) -> bool:
    moves: list[tuple[str, str]] = []  # (placeholder id, segment id)
    for script in tree.iter("script"):
        code = script.text or ""
        if "$R" not in code:
            continue
        moves += _COMPLETE_BOUNDARY.findall(code)
        moves += [(slot, segment) for segment, slot in _FILL_SEGMENT.findall(code)]
    if not moves and next(tree.iter("template"), None) is None:
        return False  # no streaming: the common page, left without another walk over its divs
    by_id = {element.get("id"): element for element in tree.iter("template", "div") if element.get("id")}
    # A page saved without its scripts still holds the segments: React gives a segment the number of
    # the boundary or placeholder it fills ($RC("B:3","S:3"), $RS("S:a","P:a")), so pair them so.
    moved = {segment for _, segment in moves}
    for segment_id in [i for i in by_id if i.startswith("S:") and i not in moved]:
        number = segment_id[2:]
        slot_id = next((f"{kind}:{number}" for kind in "BP" if f"{kind}:{number}" in by_id), None)
        if slot_id is not None and by_id[segment_id].get("hidden") is not None:
            moves.append((slot_id, segment_id))
    if not moves:
        return False
    changed = False
    for slot_id, segment_id in moves:
        slot, segment = by_id.get(slot_id), by_id.get(segment_id)
        if slot is None or segment is None or slot.getparent() is None or segment.getparent() is None:
            continue
        if any(ancestor is segment for ancestor in slot.iterancestors()):
            continue  # a page placing a segment inside itself: nothing a browser could show either
        if slot_id.startswith("B:"):
            _drop_fallback(slot)
        _replace_with_children(slot, segment)
        segment.getparent().remove(segment)
        changed = True
    return changed


def _drop_fallback(boundary: html.HtmlElement) -> None:
    """Remove what a pending boundary shows meanwhile (a spinner), up to its closing ``<!--/$-->``.

    Boundaries nest (``<!--$-->``, ``<!--$?-->``, ``<!--$!-->`` open one); nothing is removed unless the
    matching close is found among the following siblings.
    """
    fallback: list[etree._Element] = []
    depth = 0
    for sibling in boundary.itersiblings():
        if isinstance(sibling, etree._Comment):
            marker = (sibling.text or "").strip()
            if marker == "/$":
                if depth == 0:
                    for element in fallback:
                        _remove_keeping_tail(element)
                    return
                depth -= 1
            elif marker in ("$", "$?", "$!"):
                depth += 1
        fallback.append(sibling)


def _replace_with_children(slot: html.HtmlElement, segment: html.HtmlElement) -> None:
    parent = slot.getparent()
    index = parent.index(slot)
    children = list(segment)
    for offset, child in enumerate(children):
        parent.insert(index + offset, child)
    if segment.text and segment.text.strip():
        _append_text_before(parent, index, segment.text)
    _remove_keeping_tail(slot)


def _append_text_before(parent: html.HtmlElement, index: int, text: str) -> None:
    if index == 0:
        parent.text = (parent.text or "") + text
    else:
        previous = parent[index - 1]
        previous.tail = (previous.tail or "") + text


def _remove_keeping_tail(element: etree._Element) -> None:
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        index = parent.index(element)
        _append_text_before(parent, index, element.tail)
    parent.remove(element)


def _is_hidden(element: html.HtmlElement) -> bool:
    return (
        element.get("hidden") is not None
        or element.get("aria-hidden") == "true"
        or bool(_HIDING_STYLE.search(element.get("style") or ""))
        or bool(_hiding_classes(element))
    )


def _hiding_classes(element: html.HtmlElement) -> list[str]:
    """Class names that hide an element ("hidden", "is-collapsed", "kt-accordion-panel-hidden")."""
    return [
        name
        for name in (element.get("class") or "").split()
        if _HIDING_CLASS.match(name) and not name.lower().startswith(("overflow", "visually", "sr-"))
    ]


def _open_collapsed_panels(tree: html.HtmlElement) -> bool:
    controlled: set[str] = set()
    for control in tree.xpath("//*[@aria-controls]"):
        controlled.update((control.get("aria-controls") or "").split())
    changed = False
    # Only a panel can open: an element with a panel role, or one a control names.
    for element in tree.xpath("//*[@role or @id]"):
        is_panel = (element.get("role") or "").lower() in _PANEL_ROLES or element.get("id") in controlled
        if not is_panel or not isinstance(element.tag, str) or not _is_hidden(element) or _is_widget(element):
            continue
        element.attrib.pop("hidden", None)
        element.attrib.pop("aria-hidden", None)
        if hiding := _hiding_classes(element):
            element.set("class", " ".join(n for n in (element.get("class") or "").split() if n not in hiding))
        # The whole style goes: collapsed panels also hide by height:0 and overflow:hidden.
        element.attrib.pop("style", None)
        changed = True
    return changed


def _is_widget(element: html.HtmlElement) -> bool:
    if any(node.tag in _NOT_TEXT_TAGS for node in (element, *element.iterancestors())):
        return True
    # Names on the panel and its wrapper only: a page's <body> class often mentions "nav".
    parent = element.getparent()
    return any(
        _NOT_TEXT.search(f"{node.get('id') or ''} {node.get('class') or ''} {node.get('role') or ''}")
        for node in (element, parent)
        if node is not None
    )
