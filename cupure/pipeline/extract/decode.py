"""Bytes -> text for HTML pages, the way a browser picks the charset.

Order: byte-order mark; UTF-8 when the bytes are UTF-8 (valid, or all but a few broken sequences
such as a teaser cut mid-character: legacy 8-bit text almost never forms valid multi-byte
sequences, so many valid ones outweigh any declaration); the HTTP ``Content-Type`` charset; a
``<meta charset>`` or ``http-equiv`` declaration anywhere in the first ``META_SCAN_BYTES`` (many
CMSs put it after byte 1024, past the HTML5 prescan window); then charset-normalizer's guess.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

META_SCAN_BYTES = 65_536
UTF8_VALID_PER_INVALID = 10  # valid multi-byte characters per broken sequence for "UTF-8 with damage"
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)
# WHATWG encoding rules: these labels mean the superset a browser actually uses.
_BROWSER_ALIASES = {
    "iso-8859-1": "cp1252",
    "latin-1": "cp1252",
    "latin1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "iso-8859-9": "cp1254",
    "tis-620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-sjis": "shift_jis",
    "utf8": "utf-8",
    "unicode": "utf-16-le",
}


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().lower()
    label = _BROWSER_ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _declared(data: bytes, content_type: str | None) -> str | None:
    if content_type:
        match = _HEADER_CHARSET.search(content_type)
        if match and (codec := _codec(match.group(1))):
            return codec
    match = _META_CHARSET.search(data[:META_SCAN_BYTES])
    if match:
        return _codec(match.group(1).decode("ascii", "ignore"))
    return None


def _mostly_utf8(data: bytes) -> str | None:
    """The text when ``data`` is UTF-8 with at most a few broken sequences, else None."""
    text = data.decode("utf-8", errors="replace")
    broken = text.count("\ufffd")
    valid = len(text) - len(text.encode("ascii", "ignore")) - broken
    return text if valid >= UTF8_VALID_PER_INVALID * max(broken, 1) else None


def decode_html(data: bytes, *, content_type: str | None = None) -> str:
    """Decode page bytes to text; never raises (undecodable bytes become U+FFFD)."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, errors="replace")
    declared = _declared(data, content_type)
    # A page that says UTF-16 in ASCII-compatible bytes is lying (the declaration itself was readable).
    if declared and declared.startswith("utf-16"):
        declared = None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if declared is None or declared == "utf-8" or not text.isascii():
            return text
    if (text := _mostly_utf8(data)) is not None:
        return text
    if declared and declared != "utf-8":
        return data.decode(declared, errors="replace")
    best = charset_normalizer.from_bytes(data[:200_000]).best()
    codec = _codec(best.encoding) if best is not None else None
    return data.decode(codec or "cp1252", errors="replace")
