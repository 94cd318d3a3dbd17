"""/search/?q=: full-text search with filters by section, source and date."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cupure.search.selectors import BadSearch, SearchResults, read_request, search, search_options
from cupure.web.views.caching import public_page


@public_page
def search_page(request: HttpRequest) -> HttpResponse:
    params = read_request(request.GET)
    context = {"query": params["q"], "params": params, **search_options()}
    try:
        results = search(params)
    except BadSearch as exc:
        context.update(results=SearchResults(q=params["q"][:400]), error=str(exc))
        return render(request, "web/search.html", context, status=400)
    context["results"] = results
    return render(request, "web/search.html", context)
