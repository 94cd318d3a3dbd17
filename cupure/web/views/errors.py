"""404 and 500 pages that look like the site (the 500 page renders without the database)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseNotFound, HttpResponseServerError
from django.template import loader
from django.utils.cache import patch_cache_control


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    response = HttpResponseNotFound(loader.render_to_string("errors/404.html", {}, request))
    patch_cache_control(response, public=True, max_age=60)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    # No request context: context processors would query the database, which may be what failed.
    response = HttpResponseServerError(loader.render_to_string("errors/500.html", {}))
    patch_cache_control(response, no_store=True)
    return response
