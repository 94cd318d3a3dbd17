"""When to poll a source next (STYLE.md R5): pure arithmetic, no clock or settings read here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

MAX_BACKOFF_SECONDS = 24 * 3600


@dataclass(frozen=True)
class PollBounds:
    minimum: int = 300
    maximum: int = 86400
    default: int = 900


def publish_interval_seconds(published: list[datetime]) -> int | None:
    """Median gap between the feed's recent items: a feed that publishes hourly is polled about hourly."""
    times = sorted({t for t in published if t is not None}, reverse=True)[:20]
    if len(times) < 3:
        return None
    gaps = sorted(int((a - b).total_seconds()) for a, b in zip(times, times[1:], strict=False) if a > b)
    if not gaps:
        return None
    return gaps[len(gaps) // 2]


def next_interval(
    *,
    bounds: PollBounds,
    ttl_minutes: int | None = None,
    cache_lifetime: int | None = None,
    retry_after: int | None = None,
    publish_interval: int | None = None,
) -> int:
    """Seconds until the next successful-path poll.

    The feed's own hints (TTL, Cache-Control/Expires, Retry-After) are floors: we never poll more often
    than the publisher asks. How often it publishes pulls the interval towards its rhythm. The result
    is clamped to the operator's bounds, except that Retry-After may exceed the maximum (capped at 24 h).
    """
    base = publish_interval if publish_interval is not None else bounds.default
    floors = [bounds.minimum]
    if ttl_minutes:
        floors.append(ttl_minutes * 60)
    if cache_lifetime:
        floors.append(cache_lifetime)
    interval = min(max(base, *floors), bounds.maximum)
    if retry_after:
        interval = max(interval, min(retry_after, MAX_BACKOFF_SECONDS))
    return interval


def backoff_interval(*, bounds: PollBounds, error_count: int, retry_after: int | None = None) -> int:
    """Exponential backoff after consecutive errors: min * 2^(n-1), capped at the maximum (and 24 h)."""
    exponent = max(0, min(error_count - 1, 16))
    interval = min(bounds.minimum * (2**exponent), bounds.maximum, MAX_BACKOFF_SECONDS)
    if retry_after:
        interval = max(interval, min(retry_after, MAX_BACKOFF_SECONDS))
    return interval
