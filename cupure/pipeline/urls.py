"""Canonical URLs, tracking-parameter stripping, entry identity keys and topic slugs.

Identity rules are SECURITY.md 7.1: an entry's key is ``sha256(kind + ":" + value)`` with kind
``guid``, ``url`` or ``content``, full 64 hex digits; GUIDs repeated inside one document are
disambiguated the way miniflux does (``guid|url``, else ``guid|position``).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import TYPE_CHECKING
from urllib.parse import SplitResult, parse_qsl, quote, urlencode, urlsplit, urlunsplit

if TYPE_CHECKING:
    from cupure.pipeline.parse import ParsedEntry

_DEFAULT_PORTS = {"http": 80, "https": 443}

# Query parameters that only say where a click came from; two URLs differing only in these are the
# same article. Exact names, then prefixes.
_TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "igshid",
        "mc_cid", "mc_eid", "ocid", "cmpid", "_ga", "_gl", "ref_src", "ref_url", "smid", "smtyp",
        "at_medium", "at_campaign", "at_custom1", "at_custom2", "at_custom3", "at_custom4",
        "mkt_tok", "_hsenc", "_hsmi", "hsctatracking", "vero_id", "vero_conv", "oly_anon_id",
        "oly_enc_id", "rb_clickid", "s_cid", "wt.mc_id", "cmp", "icid", "sr_share", "guccounter",
        "spm", "xtor", "__twitter_impression", "ito", "emc",
    }
)  # fmt: skip
_TRACKING_PREFIXES = ("utm_", "ns_", "pk_", "mtm_", "at_", "itm_", "trk_", "stm_")


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in _TRACKING_PARAMS or lowered.startswith(_TRACKING_PREFIXES)


def _idna_host(host: str) -> str:
    host = host.lower().rstrip(".")
    if host.isascii():
        return host
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        # Not a valid IDN (e.g. a label too long): keep it, lower-cased; it still hashes stably.
        return host


def _netloc(scheme: str, split: SplitResult) -> str:
    host = _idna_host(split.hostname or "")
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    try:
        port = split.port
    except ValueError:
        port = None
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"
    userinfo = split.netloc.rpartition("@")[0] if "@" in split.netloc else ""
    return f"{userinfo}@{host}" if userinfo else host


def canonicalize_url(url: str) -> str:
    """The form two links to the same article share.

    Lower-cases scheme and host, converts an IDN host to punycode, drops the default port, the
    fragment and tracking parameters, sorts the remaining query parameters and makes an empty path
    "/". Non-http(s) URLs are returned stripped but otherwise unchanged. Idempotent.
    """
    url = (url or "").strip()
    try:
        split = urlsplit(url)
    except ValueError:
        return url
    scheme = split.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not split.netloc:
        return url
    pairs = [(k, v) for k, v in parse_qsl(split.query, keep_blank_values=True) if not _is_tracking(k)]
    query = urlencode(sorted(pairs), quote_via=quote, safe="/:@!$'()*,;~")
    path = split.path or "/"
    return urlunsplit((scheme, _netloc(scheme, split), path, query, ""))


def url_hash(url: str) -> str:
    """SHA-256 hex digest of the canonical form of ``url``."""
    return hashlib.sha256(canonicalize_url(url).encode("utf-8", "surrogatepass")).hexdigest()


def _key(kind: str, value: str) -> tuple[str, str]:
    digest = hashlib.sha256(f"{kind}:{value}".encode("utf-8", "surrogatepass")).hexdigest()
    return kind, digest


def entry_key(
    *, guid: str | None, url: str | None, title: str | None, content: str | None
) -> tuple[str, str]:
    """``(kind, sha256-hex)`` identifying one entry within its source: GUID, else URL, else content."""
    if guid and guid.strip():
        return _key("guid", guid.strip())
    if url and url.strip():
        return _key("url", canonicalize_url(url))
    return _key("content", f"{(title or '').strip()}\n{content or ''}")


def disambiguate_keys(entries: list[ParsedEntry]) -> list[tuple[str, str]]:
    """Keys for the entries of one document, in order, with no two alike.

    A GUID repeated inside the document keeps its plain key for the first entry; later ones use
    ``guid|url`` (or ``guid|position`` when that is taken or there is no URL). Positions count in
    document order, so a refetch of the same document gives the same keys.
    """
    keys: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for position, entry in enumerate(entries):
        key = entry_key(guid=entry.guid, url=entry.url, title=entry.title, content=entry.content_html)
        if key in seen and entry.guid and entry.guid.strip():
            guid = entry.guid.strip()
            key = _key("guid", f"{guid}|{canonicalize_url(entry.url)}") if entry.url else key
            if key in seen:
                key = _key("guid", f"{guid}|{position}")
        elif key in seen:
            key = (key[0], hashlib.sha256(f"{key[1]}|{position}".encode()).hexdigest())
        seen.add(key)
        keys.append(key)
    return keys


def slugify_term(text: str) -> str:
    """URL slug for a topic term: "White House" -> "white-house"; letters of any script are kept."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    chars = [c if unicodedata.category(c)[0] in "LMN" else " " for c in text]
    return "-".join("".join(chars).split())


_HOST_RE = re.compile(r"^[a-z0-9.\-\[\]:]+$")


def host_of(url: str) -> str:
    """Lower-case (punycode) host of ``url`` ("www." kept); "" when there is none."""
    try:
        host = urlsplit((url or "").strip()).hostname or ""
    except ValueError:
        return ""
    host = _idna_host(host)
    return host if _HOST_RE.match(host) else ""
