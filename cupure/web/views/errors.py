"""404 and 500 pages that look like the site (the 500 page renders without the database)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseNotFound, HttpResponseServerError
from django.template import loader


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return HttpResponseNotFound(loader.render_to_string("errors/404.html", {}, request))


def server_error(request: HttpRequest) -> HttpResponse:
    # No request context: context processors would query the database, which may be what failed.
    return HttpResponseServerError(loader.render_to_string("errors/500.html", {}))
