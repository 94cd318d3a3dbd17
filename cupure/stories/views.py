"""The story page (every source's article on one event, a timeline, who reported first) and its feed."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from cupure.articles.models import Article
from cupure.stories.selectors import story_articles, story_detail, story_resolve
from cupure.web.views.caching import public_page
from cupure.web.views.feeds import ArticleFeed, FeedSubject, conditional_feed

FEED_ITEMS = 50


@public_page
def story(request: HttpRequest, story_id: int) -> HttpResponse:
    detail = story_detail(story_id=story_id)
    if detail is None or not detail.items:
        raise Http404("No such story")
    if detail.story.id != story_id:
        return redirect(detail.story.get_absolute_url(), permanent=True)
    return render(request, "stories/story.html", {"detail": detail, "story": detail.story})


class StoryFeed(ArticleFeed):
    """RSS 2.0 of one story's articles, newest first, with the site's feed conventions (ETag, 304)."""

    def get_object(self, request: HttpRequest, story_id: int) -> FeedSubject:  # type: ignore[override]
        return super().get_object(request, slug=str(story_id))

    def subject(self, request: HttpRequest, slug: str | None) -> FeedSubject:
        found = story_resolve(int(slug or 0))
        if found is None:
            raise Http404("No such story")
        return FeedSubject(
            title=f"{settings.SITE_NAME}: {found.title}",
            link=found.get_absolute_url(),
            description=f"Every source's article on this story, as gathered by {settings.SITE_NAME}.",
            feed_path=found.get_absolute_url() + "feed/",
            items=story_articles(story=found, limit=FEED_ITEMS),
        )

    def feed_url(self, obj: FeedSubject) -> str:
        return settings.SITE_URL + obj.feed_path

    def item_title(self, item: Article) -> str:
        # Every item is about the same event: the source is what tells them apart.
        source = f" ({item.primary_source.name})" if item.primary_source else ""
        return item.title + source


story_feed = conditional_feed(StoryFeed())
