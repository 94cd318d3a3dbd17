from __future__ import annotations

from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cupure.articles.models import Article, Section
from cupure.articles.selectors import latest_articles, sections_list, visible_articles
from cupure.stories.selectors import top_stories
from cupure.web.views.caching import public_page

TOP_STORIES = 8
LATEST = 12
PER_SECTION = 4


def section_blocks(sections: list[Section], *, per_section: int = PER_SECTION) -> list[tuple[Section, list[Article]]]:
    """The newest few articles of every section, in one query (a window function per section)."""
    ranked = (
        visible_articles()
        .filter(section__isnull=False)
        .defer("raw", "body_html", "summary")
        .annotate(rank=Window(RowNumber(), partition_by=[F("section_id")], order_by=[F("sort_at").desc(), F("id").desc()]))
        .filter(rank__lte=per_section)
        .order_by("section_id", "rank")
    )
    by_section: dict[int, list[Article]] = {}
    for article in ranked:
        by_section.setdefault(article.section_id, []).append(article)  # type: ignore[arg-type]
    return [(s, by_section[s.id]) for s in sections if s.id in by_section]


@public_page
def home(request: HttpRequest) -> HttpResponse:
    stories = top_stories(limit=TOP_STORIES)
    shown = {card.lead.id for card in stories}
    latest = [a for a in latest_articles(limit=LATEST + len(shown)) if a.id not in shown][:LATEST]
    return render(
        request,
        "web/home.html",
        {"top_stories": stories, "latest": latest, "section_blocks": section_blocks(sections_list())},
    )
