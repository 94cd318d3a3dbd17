"""The page-cache generation: one number that every cached page's key includes.

Services call ``bump_page_cache`` when what pages show changes (articles ingested or hidden, a
comment made visible, a new trending strip); the web middleware reads ``page_cache_generation``.
It lives here, not in ``cupure.web``, so writers need not import the web layer.
"""

from __future__ import annotations

from django.core.cache import cache

GENERATION_KEY = "pagecache:generation"


def bump_page_cache() -> None:
    """Invalidate every cached page at once."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, None)


def page_cache_generation() -> int:
    return cache.get(GENERATION_KEY) or 0
