"""Cache headers for public pages."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark a page shareable by caches (ours and a CDN's) when the visitor is anonymous."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not request.user.is_authenticated:
            seconds = settings.PAGE_CACHE_SECONDS
            patch_cache_control(
                response, public=True, max_age=min(30, seconds), s_maxage=seconds, stale_while_revalidate=300
            )
        else:
            patch_cache_control(response, private=True, no_cache=True)
        return response

    return wrapper
