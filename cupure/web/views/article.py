from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from cupure.articles.selectors import article_detail, section_articles
from cupure.stories.selectors import similar_articles
from cupure.trending.selectors import article_keywords
from cupure.web.views.caching import public_page

SIMILAR_COUNT = 8
MORE_IN_SECTION = 6


@public_page
def article(request: HttpRequest, article_id: int, slug: str = "") -> HttpResponse:
    item = article_detail(article_id=article_id)
    if item is None:
        raise Http404("No such article")
    if slug != item.slug:
        return redirect(item.get_absolute_url(), permanent=True)
    similar = similar_articles(article=item, limit=SIMILAR_COUNT)
    shown = {item.id, *(a.id for a in similar)}
    more = []
    if item.section_id:
        more = [a for a in section_articles(section=item.section)[: MORE_IN_SECTION + len(shown)] if a.id not in shown]
    sources = []
    for entry in item.entries.all():
        if entry.source not in sources:
            sources.append(entry.source)
    return render(
        request,
        "web/article.html",
        {
            "article": item,
            "sources": sources,
            "keywords": article_keywords(article_id=item.id, limit=8),
            "similar": similar,
            "more_in_section": more[:MORE_IN_SECTION],
            "article_jsonld": _jsonld(item, sources),
        },
    )


def _jsonld(item, sources) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """schema.org NewsArticle crediting the original publisher."""
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": item.title[:110],
        "url": item.canonical_url,
        "isBasedOn": item.canonical_url,
        "datePublished": item.sort_at.isoformat(),
        "dateModified": item.updated_at.isoformat(),
        "inLanguage": item.language or None,
    }
    if item.author:
        data["author"] = {"@type": "Person", "name": item.author}
    if sources:
        data["publisher"] = {"@type": "Organization", "name": sources[0].name, "url": sources[0].site_url or None}
    if item.image_url:
        data["image"] = [item.image_url]
    return data
