from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cupure.articles.selectors import latest_articles, section_articles, sections_list
from cupure.stories.selectors import top_stories
from cupure.web.views.caching import public_page


@public_page
def home(request: HttpRequest) -> HttpResponse:
    blocks = []
    for section in sections_list():
        items = list(section_articles(section=section)[:4])
        if items:
            blocks.append((section, items))
    return render(
        request,
        "web/home.html",
        {"top_stories": top_stories(limit=8), "latest": latest_articles(limit=12), "section_blocks": blocks},
    )
