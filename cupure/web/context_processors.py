"""What every page's frame needs: site name, sections for the navigation, the trending strip."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from cupure.articles.selectors import sections_list
from cupure.lib.pagecache import page_cache_generation
from cupure.trending.selectors import trending_strip

FRAME_CACHE_SECONDS = 30


def site(request: HttpRequest) -> dict[str, Any]:
    key = f"web:frame:{page_cache_generation()}"
    frame = cache.get(key)
    if frame is None:
        frame = {
            "nav_sections": sections_list(),
            "trending_terms": trending_strip(limit=settings.TRENDING_SIZE),
        }
        cache.set(key, frame, FRAME_CACHE_SECONDS)
    return {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL, **frame}
