"""The story page (every source's article on one event, a timeline, who reported first) and its feed."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.text import Truncator

from cupure.articles.models import Article
from cupure.stories.models import Story
from cupure.stories.selectors import story_articles, story_detail, story_resolve
from cupure.web.views.caching import public_page

FEED_ITEMS = 50
DESCRIPTION_WORDS = 60


@public_page
def story(request: HttpRequest, story_id: int) -> HttpResponse:
    detail = story_detail(story_id=story_id)
    if detail is None or not detail.items:
        raise Http404("No such story")
    if detail.story.id != story_id:
        return redirect(detail.story.get_absolute_url(), permanent=True)
    return render(request, "stories/story.html", {"detail": detail, "story": detail.story})


class StoryFeed(Feed):
    """RSS 2.0 of one story's articles, newest first; items link to the article pages here."""

    feed_type = Rss201rev2Feed

    def get_object(self, request: HttpRequest, story_id: int) -> Story:  # type: ignore[override]
        found = story_resolve(story_id)
        if found is None:
            raise Http404("No such story")
        return found

    def title(self, obj: Story) -> str:
        return f"{settings.SITE_NAME}: {obj.title}"

    def link(self, obj: Story) -> str:
        return settings.SITE_URL + obj.get_absolute_url()

    def feed_url(self, obj: Story) -> str:
        return settings.SITE_URL + obj.get_absolute_url() + "feed/"

    def description(self, obj: Story) -> str:
        return f"Every source's article on this story, as gathered by {settings.SITE_NAME}."

    def items(self, obj: Story) -> list[Article]:
        return story_articles(story=obj, limit=FEED_ITEMS)

    def item_title(self, item: Article) -> str:
        source = f" ({item.primary_source.name})" if item.primary_source else ""
        return item.title + source

    def item_description(self, item: Article) -> str:
        return Truncator(item.body_text).words(DESCRIPTION_WORDS)

    def item_link(self, item: Article) -> str:
        return settings.SITE_URL + item.get_absolute_url()

    def item_guid(self, item: Article) -> str:
        return settings.SITE_URL + item.get_absolute_url()

    item_guid_is_permalink = True

    def item_author_name(self, item: Article) -> str | None:
        return item.author or (item.primary_source.name if item.primary_source else None)

    def item_pubdate(self, item: Article) -> datetime:
        return item.sort_at

    def item_updateddate(self, item: Article) -> datetime:
        return item.updated_at


story_feed = public_page(StoryFeed())
