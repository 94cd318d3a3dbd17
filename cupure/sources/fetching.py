"""The fetch limits every caller uses, built from settings at the edge (the pipeline reads no settings)."""

from __future__ import annotations

from django.conf import settings

from cupure.pipeline.fetch import FetchLimits
from cupure.pipeline.schedule import PollBounds


def feed_limits() -> FetchLimits:
    return FetchLimits(
        deadline_seconds=float(settings.FETCH_DEADLINE_SECONDS),
        max_bytes=settings.FETCH_MAX_FEED_BYTES,
        allow_cidrs=tuple(settings.FETCH_ALLOW_CIDRS),
        user_agent=settings.FETCH_USER_AGENT,
    )


def page_limits() -> FetchLimits:
    return FetchLimits(
        # Article pages get a longer deadline than feeds (SECURITY.md 3.6: 30 s).
        deadline_seconds=float(settings.FETCH_DEADLINE_SECONDS) * 1.5,
        max_bytes=settings.FETCH_MAX_PAGE_BYTES,
        allow_cidrs=tuple(settings.FETCH_ALLOW_CIDRS),
        user_agent=settings.FETCH_USER_AGENT,
        accept="text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
    )


def poll_bounds() -> PollBounds:
    return PollBounds(
        minimum=settings.POLL_MIN_SECONDS,
        maximum=settings.POLL_MAX_SECONDS,
        default=settings.POLL_DEFAULT_SECONDS,
    )
