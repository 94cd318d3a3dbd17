"""sitemap.xml (an index), its parts, and the news sitemap (articles of the last two days).

URLs are built on SITE_URL, the site's public address, whatever Host header the request came with.
"""

from __future__ import annotations

from datetime import timedelta

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify

from cupure.articles.models import Article, Section
from cupure.sources.models import Source
from cupure.stories.selectors import fold_copies
from cupure.web.views.caching import public_page

ARTICLES_PER_SITEMAP = 10_000
NEWS_DAYS = 2
NEWS_MAX = 1000  # Google's limit for one news sitemap


def _xml(request: HttpRequest, template: str, context: dict[str, object]) -> HttpResponse:
    return render(request, template, context, content_type="application/xml; charset=utf-8")


def _article_path(article_id: int, title: str) -> str:
    return f"/a/{article_id}/{slugify(title)[:80].strip('-') or 'article'}/"


@public_page
def sitemap_index(request: HttpRequest) -> HttpResponse:
    count = Article.objects.filter(hidden=False).count()
    parts = ["/sitemap-pages.xml", "/sitemap-news.xml"]
    parts += [f"/sitemap-articles-{n}.xml" for n in range(1, max(1, -(-count // ARTICLES_PER_SITEMAP)) + 1)]
    return _xml(request, "web/sitemap_index.xml", {"parts": parts})


@public_page
def sitemap_pages(request: HttpRequest) -> HttpResponse:
    urls = [("/", None, "hourly")]
    urls += [(s.get_absolute_url(), None, "hourly") for s in Section.objects.order_by("order", "name")]
    urls += [(s.get_absolute_url(), None, "daily") for s in Source.objects.order_by("name").only("slug")]
    return _xml(request, "web/sitemap.xml", {"urls": urls})


@public_page
def sitemap_articles(request: HttpRequest, number: int) -> HttpResponse:
    if number < 1 or number > 10_000_000:  # beyond any archive; keeps the OFFSET in range
        raise Http404("No such sitemap")
    start = (number - 1) * ARTICLES_PER_SITEMAP
    rows = list(
        Article.objects.filter(hidden=False)
        .order_by("id")
        .values_list("id", "title", "updated_at")[start : start + ARTICLES_PER_SITEMAP]
    )
    if not rows and number != 1:
        raise Http404("No such sitemap")
    urls = [(_article_path(i, title), updated, None) for i, title, updated in rows]
    return _xml(request, "web/sitemap.xml", {"urls": urls})


@public_page
def sitemap_news(request: HttpRequest) -> HttpResponse:
    since = timezone.now() - timedelta(days=NEWS_DAYS)
    recent = (
        Article.objects.filter(hidden=False, sort_at__gte=since)
        .select_related("primary_source")
        .only("id", "title", "sort_at", "language", "primary_source__name", "primary_source__slug")
        .order_by("-sort_at", "-id")
    )
    # A syndicated text once, as its original: a reprint's page names that page as canonical.
    items = [
        {
            "path": _article_path(a.id, a.title),
            "title": a.title,
            "published": a.sort_at,
            "language": a.language or "en",
        }
        for a in fold_copies(recent[:NEWS_MAX])
    ]
    return _xml(request, "web/sitemap_news.xml", {"items": items})
