from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cupure.articles.models import Article, Section
from cupure.articles.selectors import latest_articles, sections_list
from cupure.stories.selectors import FOLD_SPARE, fold_copies, top_stories
from cupure.web.views.caching import public_page

TOP_STORIES = 8
LATEST = 12
PER_SECTION = 4
HEAVY = ("raw", "body_html", "summary")


def section_blocks(
    sections: list[Section], *, per_section: int = PER_SECTION
) -> list[tuple[Section, list[Article]]]:
    """The newest few articles of every section in one query (and one for syndicated copies).

    One small ``id IN (... LIMIT n)`` subquery per section, each walking the (section, hidden, sort_at)
    index, so the cost does not grow with the number of articles (a window function would rank them all).
    """
    if not sections:
        return []
    newest = Q()
    for section in sections:
        ids = (
            Article.objects.filter(section=section, hidden=False)
            .order_by("-sort_at", "-id")
            .values("id")[: per_section + FOLD_SPARE]
        )
        newest |= Q(id__in=ids)
    by_section: dict[int, list[Article]] = {}
    # No outer filter or ORDER BY: the database then fetches just the listed ids by primary key.
    rows = Article.objects.filter(newest).select_related("primary_source", "section").defer(*HEAVY).order_by()
    # A syndicated text filed in two sections shows in the first only.
    for article in fold_copies(sorted(rows, key=lambda a: (a.sort_at, a.id), reverse=True)):
        by_section.setdefault(article.section_id, []).append(article)  # type: ignore[arg-type]
    return [(s, by_section[s.id][:per_section]) for s in sections if s.id in by_section]


@public_page
def home(request: HttpRequest) -> HttpResponse:
    stories = top_stories(limit=TOP_STORIES)
    latest = fold_copies(latest_articles(limit=LATEST + FOLD_SPARE), limit=LATEST)
    return render(
        request,
        "web/home.html",
        {"top_stories": stories, "latest": latest, "section_blocks": section_blocks(sections_list())},
    )
