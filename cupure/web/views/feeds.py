"""Feeds out: RSS 2.0 and Atom for the home page, each section, each keyword and each source.

Items carry the excerpt (never the full body) and link to the article page here, which credits and
links the original publisher. Responses have ETag and Last-Modified (the newest item's time) and
answer conditional requests with 304.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.http import http_date, parse_http_date_safe
from django.utils.text import Truncator

from cupure.articles.models import Article, Section
from cupure.articles.selectors import visible_articles
from cupure.sources.models import Source
from cupure.stories.selectors import FOLD_SPARE, fold_copies
from cupure.trending.models import Keyword
from cupure.web.views.caching import public_page

FEED_ITEMS = 50
DESCRIPTION_WORDS = 60


@dataclass
class FeedSubject:
    title: str
    link: str
    description: str
    feed_path: str
    items: list[Article] = field(default_factory=list)


def _feed_items(queryset: QuerySet[Article], *, fold: bool = True) -> list[Article]:
    """The newest items; with ``fold``, a syndicated text once (its original), as on the pages. A
    source's own feed keeps every item it published."""
    newest = queryset.defer("raw", "body_html", "summary").order_by("-sort_at", "-id")
    if not fold:
        return list(newest[:FEED_ITEMS])
    return fold_copies(newest[: FEED_ITEMS + FOLD_SPARE], limit=FEED_ITEMS)


class ArticleFeed(Feed):
    """One feed class for every subject; the subject (and its items) comes from ``subject``."""

    feed_type = Rss201rev2Feed
    kind = "home"

    def subject(self, request: HttpRequest, slug: str | None) -> FeedSubject:
        return FeedSubject(
            title=f"{settings.SITE_NAME}: latest news",
            link="/",
            description=f"The latest articles gathered by {settings.SITE_NAME}.",
            feed_path="/feeds/",
            items=_feed_items(visible_articles()),
        )

    def get_object(self, request: HttpRequest, slug: str | None = None) -> FeedSubject:  # type: ignore[override]
        subject = self.subject(request, slug)
        times = [a.updated_at for a in subject.items]
        request.feed_last_modified = max(times) if times else None  # type: ignore[attr-defined]
        return subject

    def title(self, obj: FeedSubject) -> str:
        return obj.title

    def link(self, obj: FeedSubject) -> str:
        return settings.SITE_URL + obj.link

    def feed_url(self, obj: FeedSubject) -> str:
        suffix = "atom/" if self.feed_type is Atom1Feed else "rss/"
        return settings.SITE_URL + obj.feed_path + suffix

    def description(self, obj: FeedSubject) -> str:
        return obj.description

    subtitle = description

    def items(self, obj: FeedSubject) -> list[Article]:
        return obj.items

    def item_title(self, item: Article) -> str:
        return item.title

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

    def item_categories(self, item: Article) -> list[str]:
        return [item.section.name] if item.section else []

    def item_enclosures(self, item: Article) -> list[Any]:
        return []


class SectionFeed(ArticleFeed):
    def subject(self, request: HttpRequest, slug: str | None) -> FeedSubject:
        section = get_object_or_404(Section, slug=slug)
        return FeedSubject(
            title=f"{settings.SITE_NAME}: {section.name}",
            link=section.get_absolute_url(),
            description=f"The latest {section.name} news gathered by {settings.SITE_NAME}.",
            feed_path=f"/feeds/section/{section.slug}/",
            items=_feed_items(visible_articles().filter(section=section)),
        )


class SourceFeed(ArticleFeed):
    def subject(self, request: HttpRequest, slug: str | None) -> FeedSubject:
        source = get_object_or_404(Source, slug=slug)
        return FeedSubject(
            title=f"{settings.SITE_NAME}: {source.name}",
            link=source.get_absolute_url(),
            description=f"Articles from {source.name}, as gathered by {settings.SITE_NAME}.",
            feed_path=f"/feeds/source/{source.slug}/",
            items=_feed_items(visible_articles().filter(entries__source=source).distinct(), fold=False),
        )


class TopicFeed(ArticleFeed):
    def subject(self, request: HttpRequest, slug: str | None) -> FeedSubject:
        keyword = get_object_or_404(Keyword, slug=slug)
        return FeedSubject(
            title=f"{settings.SITE_NAME}: {keyword.display}",
            link=f"/topic/{keyword.slug}/",
            description=f"Articles about {keyword.display}, as gathered by {settings.SITE_NAME}.",
            feed_path=f"/feeds/topic/{keyword.slug}/",
            items=_feed_items(visible_articles().filter(keywords__keyword=keyword)),
        )


def _atom(cls: type[ArticleFeed]) -> type[ArticleFeed]:
    return type(f"Atom{cls.__name__}", (cls,), {"feed_type": Atom1Feed})


def conditional_feed(feed: Feed) -> Callable[..., HttpResponse]:
    """Public caching, ETag and Last-Modified around a feed; 304 when the reader has it already."""

    @public_page
    def render_feed(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        response = feed(request, **kwargs)
        set_response_etag(response)
        changed = getattr(request, "feed_last_modified", None)
        if changed is not None:
            response["Last-Modified"] = http_date(int(changed.timestamp()))
        return response

    def view(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        response = render_feed(request, **kwargs)
        if response.status_code != 200:
            return response
        changed = parse_http_date_safe(response.get("Last-Modified", ""))
        return get_conditional_response(
            request, etag=response["ETag"], last_modified=changed, response=response
        )

    return view


home_rss = conditional_feed(ArticleFeed())
home_atom = conditional_feed(_atom(ArticleFeed)())
section_rss = conditional_feed(SectionFeed())
section_atom = conditional_feed(_atom(SectionFeed)())
source_rss = conditional_feed(SourceFeed())
source_atom = conditional_feed(_atom(SourceFeed)())
topic_rss = conditional_feed(TopicFeed())
topic_atom = conditional_feed(_atom(TopicFeed)())
