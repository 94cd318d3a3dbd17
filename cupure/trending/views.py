"""The topic page: why a term is trending, its top stories and its articles."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from cupure.trending.selectors import keyword_page
from cupure.web.views.caching import public_page


@public_page
def topic(request: HttpRequest, slug: str) -> HttpResponse:
    data = keyword_page(slug=slug, page=request.GET.get("page", "1"))
    if data is None:
        raise Http404("No such topic")
    context = {
        "keyword": data.keyword,
        "trend": data.trend,
        "computed_at": data.computed_at,
        "page": data.page,
        "stories": data.stories,
    }
    return render(request, "trending/topic.html", context)
