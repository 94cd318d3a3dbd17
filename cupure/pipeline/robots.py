"""robots.txt rules for article pages (feeds themselves are fetched regardless, as readers do).

This module never fetches: the caller downloads ``/robots.txt`` through ``fetch.py``, turns the
outcome into rules text with ``robots_text_for_outcome`` and keeps it in a ``RobotsCache``.
Policy (RFC 9309 section 2.3.1): a missing robots.txt or any 4xx means everything is allowed;
a 5xx or a network failure means "disallow everything for now" and is retried sooner.

Known difference from RFC 9309: ``urllib.robotparser`` applies the *first* matching rule in a group,
not the longest one, so ``Disallow: /a/`` listed before ``Allow: /a/b`` hides ``/a/b``. That errs on
the side of not fetching.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

ROBOTS_TTL_SECONDS = 24 * 3600
UNREACHABLE_TTL_SECONDS = 3600  # a failing server is asked again within the hour, not the day
MAX_ROBOTS_BYTES = 500 * 1024  # RFC 9309 2.5: parse at least 500 KiB; ignore the rest
ALLOW_ALL = ""
DISALLOW_ALL = "User-agent: *\nDisallow: /\n"


def robots_text_for_outcome(status: int | None, body: bytes = b"") -> str:
    """Rules text for a robots.txt fetch outcome; ``status`` None means the fetch failed outright."""
    if status is None or status >= 500:
        return DISALLOW_ALL
    if status >= 400:
        return ALLOW_ALL
    return body[:MAX_ROBOTS_BYTES].decode("utf-8", errors="replace")


def _parser(robots_txt: str) -> RobotFileParser:
    parser = RobotFileParser()
    # parse() also marks the parser as "checked"; without that can_fetch() answers False
    parser.parse(robots_txt[:MAX_ROBOTS_BYTES].splitlines())
    return parser


def _agent_token(user_agent: str) -> str:
    """``cupure/0.1 (+https://…)`` -> ``cupure``: robots.txt groups name the product token only."""
    return user_agent.split("/")[0].split()[0] if user_agent.strip() else "*"


def robots_allows(robots_txt: str | None, url: str, user_agent: str) -> bool:
    """May ``user_agent`` fetch ``url`` under these rules? None (no robots.txt known) allows."""
    if robots_txt is None or not robots_txt.strip():
        return True
    return _parser(robots_txt).can_fetch(_agent_token(user_agent), url)


def robots_url(page_url: str) -> str:
    parts = urlsplit(page_url)
    return f"{parts.scheme}://{parts.netloc}/robots.txt"


def host_key(url: str) -> str:
    """The cache key robots.txt applies to: scheme, host and port (RFC 9309 2.3)."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


@dataclass
class _Entry:
    text: str
    parser: RobotFileParser
    expires_at: float


class RobotsCache:
    """Parsed robots.txt per host, kept for 24 h (1 h when the server was failing).

    The caller fills it: ``cache.get(host, now)`` is None when unknown or expired, then the caller
    fetches ``robots_url(page)`` and calls ``cache.put(host, robots_text_for_outcome(status, body),
    now)``. ``host`` is ``host_key(page_url)`` (scheme, host and port), the key ``allows`` uses."""

    def __init__(self, ttl_seconds: float = ROBOTS_TTL_SECONDS, max_hosts: int = 10_000) -> None:
        self.ttl_seconds = ttl_seconds
        self.max_hosts = max_hosts
        self._entries: dict[str, _Entry] = {}

    def get(self, host: str, now: float) -> str | None:
        entry = self._entries.get(host)
        if entry is None or entry.expires_at <= now:
            return None
        return entry.text

    def put(self, host: str, text: str, now: float) -> None:
        if len(self._entries) >= self.max_hosts and host not in self._entries:
            self._entries.pop(next(iter(self._entries)))  # oldest insertion first; bounded memory
        ttl = UNREACHABLE_TTL_SECONDS if text == DISALLOW_ALL else self.ttl_seconds
        self._entries[host] = _Entry(text=text, parser=_parser(text), expires_at=now + ttl)

    def allows(self, url: str, user_agent: str, now: float) -> bool | None:
        """The answer for ``url`` from cached rules, or None when the host's rules must be fetched."""
        entry = self._entries.get(host_key(url))
        if entry is None or entry.expires_at <= now:
            return None
        if not entry.text.strip():
            return True
        return entry.parser.can_fetch(_agent_token(user_agent), url)
