"""Per-URL cache of anonymous pages (SECURITY.md 8.3).

Only GET/HEAD requests without a session cookie are served from or stored in the cache, and only
responses that set no cookie and are marked ``public``. Cached pages carry no CSRF token or per-user
data (forms and the reader's state come from small uncached requests). Keys include a generation
number that ``bump_page_cache`` increments whenever what pages show changes (a new article, a new
comment), so invalidation is one cache write instead of a key scan.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.http import http_date, parse_http_date_safe

from cupure.lib.pagecache import page_cache_generation

CACHED_PARAMETERS = frozenset({"page"})
# Paths whose responses may be public for browsers and proxies but are not stored here: one entry per
# distinct query would let anyone flush the cache with random searches.
NOT_STORED = ("/search/",)
MAX_QUERY_STRING = 256


def _cache_key(request: HttpRequest) -> str:
    generation = page_cache_generation()
    digest = hashlib.sha256(request.get_full_path().encode("utf-8", "replace")).hexdigest()
    return f"pagecache:{generation}:{request.method == 'HEAD'}:{digest}"


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self._cacheable_request(request):
            return self.get_response(request)
        key = _cache_key(request)
        cached = cache.get(key)
        if cached is not None:
            cached["X-Cache"] = "hit"
            return get_conditional_response(
                request,
                etag=cached.get("ETag"),
                last_modified=parse_http_date_safe(cached.get("Last-Modified", "")),
                response=cached,
            )
        response = self.get_response(request)
        if self._cacheable_response(response):
            if not response.has_header("ETag"):
                set_response_etag(response)
            if not response.has_header("Last-Modified"):
                response["Last-Modified"] = http_date()
            cache.set(key, response, settings.PAGE_CACHE_SECONDS)
            response["X-Cache"] = "miss"
            return get_conditional_response(
                request,
                etag=response.get("ETag"),
                last_modified=parse_http_date_safe(response["Last-Modified"]),
                response=response,
            )
        return response

    @staticmethod
    def _cacheable_request(request: HttpRequest) -> bool:
        return (
            settings.PAGE_CACHE_SECONDS > 0
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and len(request.META.get("QUERY_STRING", "")) <= MAX_QUERY_STRING
            # Only parameters pages understand: random ?junk=N must not fill the cache with copies.
            and set(request.GET).issubset(CACHED_PARAMETERS)
            and not request.path.startswith(("/admin/", "/accounts/", "/api/", "/comments/", "/static/"))
            and not request.path.startswith(NOT_STORED)
        )

    @staticmethod
    def _cacheable_response(response: HttpResponse) -> bool:
        return (
            response.status_code == 200
            and not response.cookies
            and not getattr(response, "streaming", False)
            and "public" in response.get("Cache-Control", "")
        )
