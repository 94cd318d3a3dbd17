"""Section and source pages: paginated, newest first."""

from __future__ import annotations

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from cupure.articles.models import Entry, Section
from cupure.articles.selectors import section_articles, visible_articles
from cupure.sources.models import Source
from cupure.stories.selectors import fold_copies
from cupure.web.views.caching import public_page

PER_PAGE = 20
# Listing cards never show these; leaving them out keeps a page's rows small.
HEAVY = ("raw", "body_html", "summary")


def paginate(request: HttpRequest, queryset):  # type: ignore[no-untyped-def]
    """A page of results; a bad or out-of-range ?page= gives the nearest valid page, never a 500."""
    paginator = Paginator(queryset, PER_PAGE)
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        number = 1
    try:
        return paginator.page(max(1, number))
    except (PageNotAnInteger, EmptyPage):
        return paginator.page(paginator.num_pages)


@public_page
def section(request: HttpRequest, slug: str) -> HttpResponse:
    item = get_object_or_404(Section, slug=slug)
    page = paginate(request, section_articles(section=item).defer(*HEAVY))
    page.object_list = fold_copies(page.object_list)  # a syndicated text once, with its sources
    return render(request, "web/section.html", {"section": item, "page": page, "current_section": item.slug})


@public_page
def source(request: HttpRequest, slug: str) -> HttpResponse:
    item = get_object_or_404(Source.objects.select_related("section"), slug=slug)
    # A subquery rather than a join + DISTINCT (which would compare whole rows).
    carried = Entry.objects.filter(source_id=item.id).values("article_id")
    articles = visible_articles().filter(id__in=carried).defer(*HEAVY).order_by("-sort_at", "-id")
    page = paginate(request, articles)
    context = {"source": item, "page": page, "current_section": item.section.slug if item.section else ""}
    return render(request, "web/source.html", context)
