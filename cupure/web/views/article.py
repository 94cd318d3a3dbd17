from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import Truncator

from cupure.articles.models import Article
from cupure.articles.selectors import article_detail, section_articles
from cupure.stories.selectors import (
    FOLD_SPARE,
    copy_ids,
    fold_copies,
    neardup_group,
    original_copy,
    similar_articles,
)
from cupure.trending.selectors import article_keywords
from cupure.web.views.caching import public_page

SIMILAR_COUNT = 8
MORE_IN_SECTION = 8  # two full rows of the four-column grid on a wide screen
KEYWORDS = 8
# What a "More in" card reads (web/_card.html): the rest of each article stays in the database.
CARD_FIELDS = (
    "id",
    "title",
    "image_url",
    "sort_at",
    "comment_count",
    "hidden",
    "primary_source__name",
    "primary_source__slug",
    "section__name",
    "section__slug",
)


@public_page
def article(request: HttpRequest, article_id: int, slug: str = "") -> HttpResponse:
    item = article_detail(article_id=article_id)
    if item is None:
        raise Http404("No such article")
    if slug != item.slug:
        return redirect(item.get_absolute_url(), permanent=True)
    similar = similar_articles(article=item, limit=SIMILAR_COUNT)
    # "More in World" repeats nothing shown above, syndicated copies of this text included.
    copy_group = copy_ids(article=item)
    shown = {item.id, *(a.id for a in similar), *copy_group}
    more: list[Article] = []
    if item.section_id:
        newest = section_articles(section=item.section).only(*CARD_FIELDS)  # type: ignore[arg-type]
        window = newest[: MORE_IN_SECTION + len(shown) + FOLD_SPARE]
        more = fold_copies([a for a in window if a.id not in shown], limit=MORE_IN_SECTION)
    sources = []
    for entry in item.entries.all():
        if entry.source not in sources:
            sources.append(entry.source)
    # Syndicated copies of this text under other URLs: one article, several publishers.
    copies = [s for s in neardup_group(article=item, ids=copy_group) if s not in sources]
    publisher = item.primary_source or (sources[0] if sources else None)
    # A reprint's page names the original's page here as canonical: search engines then index one
    # page per text, the one the listings show.
    original = original_copy(article=item, ids=copy_group)
    description = Truncator(" ".join(item.body_text.split())).chars(200)
    return render(
        request,
        "web/article.html",
        {
            "article": item,
            "canonical_path": original.get_absolute_url(),
            "current_section": item.section.slug if item.section else "",
            "publisher": publisher,
            "sources": sources,
            "copies": copies,
            "description": description,
            "was_updated": (item.updated_at - item.first_seen_at).total_seconds() > 60,
            "keywords": article_keywords(article_id=item.id, limit=KEYWORDS),
            "similar": similar,
            "more_in_section": more,
            "article_jsonld": _jsonld(item, publisher, description),
        },
    )


def _jsonld(item: Article, publisher, description: str) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """schema.org NewsArticle crediting the original publisher (and this site as the one showing it)."""
    page_url = settings.SITE_URL + item.get_absolute_url()
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": item.title[:110],
        "description": description,
        "url": page_url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": page_url},
        "isBasedOn": item.canonical_url,
        "sameAs": item.canonical_url,
        "datePublished": item.sort_at.isoformat(),
        "dateModified": item.updated_at.isoformat(),
    }
    if item.language:
        data["inLanguage"] = item.language
    if item.author:
        data["author"] = {"@type": "Person", "name": item.author}
    elif publisher is not None:
        data["author"] = {"@type": "Organization", "name": publisher.name}
    if publisher is not None:
        org: dict[str, object] = {"@type": "Organization", "name": publisher.name}
        if publisher.site_url:
            org["url"] = publisher.site_url
        data["publisher"] = org
    if item.section_id:
        data["articleSection"] = item.section.name  # type: ignore[union-attr]
    if item.image_url:
        data["image"] = [item.image_url]
    return data
