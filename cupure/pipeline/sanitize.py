"""The one HTML allow-list (SECURITY.md 4.4 step 3) and the URL check for links rendered in templates.

nh3 (ammonia, on html5ever) parses and serialises, so what we store is what a browser will parse:
no mXSS round-trip surprises from a second, different parser. Relative URLs are resolved against
the entry URL inside nh3's callbacks, and the scheme is checked on the *resolved* URL, so
``xml:base="javascript:"``-style tricks cannot produce a live link.

Bump ``SANITIZER_VERSION`` whenever the policy changes: stored HTML records the version it was
cleaned with, and ``cupure reprocess`` re-cleans older rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urljoin, urlsplit

import nh3

from cupure.pipeline.textnorm import CAPS

SANITIZER_VERSION: int = 1

ALLOWED_TAGS: frozenset[str] = frozenset(
    "a abbr b blockquote br caption cite code dd del dl dt em figcaption figure h2 h3 h4 h5 h6 hr i "
    "img ins kbd li ol p pre q s small sub sup table tbody td tfoot th thead time tr u ul".split()
)
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height", "srcset"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "time": {"datetime"},
    "q": {"cite"},
    "blockquote": {"cite"},
}
# Dropped with everything inside them; other disallowed tags are unwrapped and keep their text.
_DROP_WITH_CONTENT = frozenset(
    {"script", "style", "iframe", "svg", "math", "form", "object", "embed", "noscript", "template", "select",
     "textarea", "button", "head", "title", "frameset", "frame", "noembed", "noframes", "xmp", "applet"}
)  # fmt: skip
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener noreferrer nofollow ugc"
_URL_ATTRIBUTES = frozenset({"href", "src", "cite"})
# A srcset candidate: URL, then optional width ("640w") or density ("2x") descriptor.
_SRCSET_DESCRIPTOR = re.compile(r"^\d+w$|^\d+(\.\d+)?x$")
_CONTENT_CAP = CAPS["content"]
# When the cleaned HTML is over the cap we cut below it and let nh3 close the open elements; the
# margin absorbs those closing tags.
_CUT_MARGIN = 4096


def _resolve(url: str, base_url: str | None) -> str | None:
    """``url`` resolved against ``base_url`` if it has a scheme we allow afterwards, else None."""
    url = url.strip()
    if not url or any(ord(c) < 0x20 for c in url):
        return None
    try:
        resolved = urljoin(base_url, url) if base_url else url
        split = urlsplit(resolved)
    except ValueError:
        return None
    scheme = split.scheme.lower()
    if scheme not in URL_SCHEMES:
        return None
    if scheme != "mailto" and not split.hostname:
        return None
    return resolved


def _clean_srcset(value: str, base_url: str | None) -> str | None:
    candidates = []
    for candidate in value.split(","):
        words = candidate.split()
        if not words:
            continue
        if len(words) > 2 or (len(words) == 2 and not _SRCSET_DESCRIPTOR.match(words[1])):
            return None
        resolved = _resolve(words[0], base_url)
        if resolved is None or not resolved.lower().startswith(("http://", "https://")):
            return None
        candidates.append(" ".join([resolved, *words[1:]]))
    return ", ".join(candidates) or None


def _attribute_filter(base_url: str | None) -> Callable[[str, str, str], str | None]:
    def keep(tag: str, attribute: str, value: str) -> str | None:
        if attribute in _URL_ATTRIBUTES:
            return _resolve(value, base_url)
        if attribute == "srcset":
            return _clean_srcset(value, base_url)
        return value

    return keep


def _clean(html: str, base_url: str | None) -> str:
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(_DROP_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_attribute_filter(base_url),
        strip_comments=True,
        link_rel=LINK_REL,
        set_tag_attribute_values={"img": {"loading": "lazy"}},
        url_schemes=set(URL_SCHEMES),
        # nh3 checks schemes and relative URLs on the original value *before* the attribute filter
        # and does not re-check what the filter returns, so both resolve and both check.
        url_relative=lambda url: _resolve(url, base_url),
    )


def sanitize_html(html: str, *, base_url: str | None) -> str:
    """Allow-listed HTML, with URLs absolute and scheme-checked, at most 512 KiB characters.

    Idempotent: ``sanitize_html(sanitize_html(x, base_url=b), base_url=b) == sanitize_html(x, base_url=b)``.
    An over-long result is cut at a tag boundary and re-cleaned, so its markup stays balanced.
    """
    if not html:
        return ""
    cleaned = _clean(html, base_url)
    limit = _CONTENT_CAP - _CUT_MARGIN
    while len(cleaned) > _CONTENT_CAP and limit > 0:
        cut = cleaned.rfind(">", 0, limit) + 1
        cleaned = _clean(cleaned[: cut or limit], base_url)
        limit -= _CUT_MARGIN
    return cleaned


def safe_http_url(url: str | None, *, base_url: str | None = None) -> str:
    """The (resolved) URL if it is http(s) with a host, else "": for links rendered in templates."""
    if not url:
        return ""
    resolved = _resolve(url, base_url)
    if resolved is None or urlsplit(resolved).scheme.lower() not in {"http", "https"}:
        return ""
    return resolved
