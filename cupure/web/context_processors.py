"""What every page's frame needs: site name, sections for the navigation, the trending strip."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from cupure.articles.selectors import sections_list
from cupure.trending.selectors import trending_strip

FRAME_CACHE_SECONDS = 30


def site(request: HttpRequest) -> dict[str, Any]:
    frame = cache.get("web:frame")
    if frame is None:
        frame = {
            "nav_sections": sections_list(),
            "trending_terms": trending_strip(limit=settings.TRENDING_SIZE),
        }
        cache.set("web:frame", frame, FRAME_CACHE_SECONDS)
    return {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL, **frame}
