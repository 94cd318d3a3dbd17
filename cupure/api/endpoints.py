"""The public read-only JSON API (django-ninja; OpenAPI at /api/openapi.json, docs at /api/docs)."""

from __future__ import annotations

from datetime import datetime

from django.http import Http404, HttpRequest
from ninja import Field, NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from cupure.articles.models import Article, Section
from cupure.articles.selectors import article_detail, visible_articles
from cupure.pipeline.sanitize import SANITIZER_VERSION
from cupure.sources.models import Source
from cupure.stories.models import Story
from cupure.stories.selectors import story_detail, top_stories
from cupure.trending.selectors import trending_strip

api = NinjaAPI(title="cupure API", version="1", urls_namespace="api")


class BoundedPagination(LimitOffsetPagination):
    """limit 1-100 and an offset a database can use: out-of-range values are a 422, never a 500."""

    class Input(Schema):
        limit: int = Field(20, ge=1, le=100)
        offset: int = Field(0, ge=0, le=10_000_000)


class SectionOut(Schema):
    slug: str
    name: str


class SourceOut(Schema):
    slug: str
    name: str
    site_url: str


class ArticleOut(Schema):
    id: int
    url: str
    canonical_url: str
    title: str
    author: str
    published_at: datetime | None
    first_seen_at: datetime
    language: str
    section: str | None
    source: str | None
    story_id: int | None
    text_length: int
    comment_count: int

    @staticmethod
    def resolve_section(obj: Article) -> str | None:
        return obj.section.slug if obj.section else None

    @staticmethod
    def resolve_source(obj: Article) -> str | None:
        return obj.primary_source.name if obj.primary_source else None


class ArticleFull(ArticleOut):
    body_html: str
    body_text: str
    sanitizer_version: int


class TrendingOut(Schema):
    """A strip term with the figures that explain it (as its topic page says them)."""

    slug: str
    display: str
    count_now: int = Field(description="distinct articles carrying it in the current window")
    baseline_rate: float = Field(description="its usual count per window over the baseline period")
    sources: int = Field(description="distinct sources among those articles")
    first_seen: datetime | None
    pinned: bool


class StoryArticle(Schema):
    id: int
    title: str
    url: str
    sources: list[str] = Field(description="every source carrying this text, its syndicated copies included")
    published: datetime


class StoryOut(Schema):
    id: int
    title: str
    url: str
    article_count: int
    source_count: int
    first_seen_at: datetime
    updated_at: datetime


class StoryFull(StoryOut):
    articles: list[StoryArticle] = Field(description="one entry per text, earliest first")


@api.get("/articles", response=list[ArticleOut])
@paginate(BoundedPagination)
def articles(request: HttpRequest, section: str | None = None, source: str | None = None):  # type: ignore[no-untyped-def]
    qs = visible_articles().order_by("-sort_at", "-id")
    if section:
        qs = qs.filter(section__slug=section)
    if source:
        qs = qs.filter(entries__source__slug=source).distinct()
    return qs


@api.get("/articles/{article_id}", response=ArticleFull)
def article(request: HttpRequest, article_id: int) -> Article:
    item = article_detail(article_id=article_id)
    if item is None:
        raise Http404("no such article")
    item.sanitizer_version = (
        SANITIZER_VERSION if item.sanitizer_version >= SANITIZER_VERSION else item.sanitizer_version
    )
    return item


@api.get("/sections", response=list[SectionOut])
def sections(request: HttpRequest) -> list[Section]:
    return list(Section.objects.order_by("order", "name"))


@api.get("/sources", response=list[SourceOut])
def sources(request: HttpRequest) -> list[Source]:
    return list(Source.objects.order_by("name"))


@api.get("/trending", response=list[TrendingOut])
def trending(request: HttpRequest) -> list[object]:
    return list(trending_strip(limit=20))


def _story_out(story: Story) -> dict[str, object]:
    fields = ("id", "title", "article_count", "source_count", "first_seen_at", "updated_at")
    return {**{name: getattr(story, name) for name in fields}, "url": story.get_absolute_url()}


@api.get("/stories", response=list[StoryOut], summary="Top stories")
def stories(request: HttpRequest, limit: int = 8) -> list[dict[str, object]]:
    """The home page's top stories, best first: stories told by several sources rank higher and sink
    as they age. ``limit`` is 1-50."""
    cards = top_stories(limit=max(1, min(limit, 50)))
    ids = [card.story_id for card in cards if card.story_id is not None]
    found = Story.objects.in_bulk(ids)
    return [_story_out(found[i]) for i in ids if i in found]


@api.get("/stories/{story_id}", response=StoryFull, summary="A story")
def story(request: HttpRequest, story_id: int) -> dict[str, object]:
    """A story and its reports; a story merged into another answers with the one it became."""
    detail = story_detail(story_id=story_id)
    if detail is None:
        raise Http404("no such story")
    reports = [
        StoryArticle(
            id=item.article.id,
            title=item.article.title,
            url=item.article.get_absolute_url(),
            sources=[source.name for source in item.sources],
            published=item.article.sort_at,
        )
        for item in detail.items
    ]
    return {**_story_out(detail.story), "articles": reports}


class SearchHit(Schema):
    id: int
    title: str
    url: str
    source: str | None
    sources: list[str] = Field(description="every source carrying this text (syndicated copies are one hit)")
    section: str | None
    published: datetime


class SearchOut(Schema):
    q: str
    total: int
    page: int
    pages: int
    results: list[SearchHit]


@api.get("/search", response=SearchOut, summary="Search")
def search_api(  # type: ignore[no-untyped-def]
    request: HttpRequest, q: str = "", section: str = "", source: str = "", page: int = 1
):
    """The site search as JSON: same syntax (``"phrase"``, ``-word``) and filters as /search/."""
    from cupure.search.selectors import BadSearch, search

    params = {
        "q": q,
        "section": section,
        "source": source,
        "when": "",
        "from": "",
        "to": "",
        "page": str(page),
    }
    try:
        results = search(params)
    except BadSearch as exc:
        raise HttpError(400, str(exc)) from None
    hits = [
        SearchHit(
            id=h.article.id,
            title=h.article.title,
            url=h.article.get_absolute_url(),
            source=h.article.primary_source.name if h.article.primary_source else None,
            sources=[source.name for source in getattr(h.article, "copy_sources", [])],
            section=h.article.section.slug if h.article.section else None,
            published=h.article.sort_at,
        )
        for h in results.hits
    ]
    return SearchOut(q=q, total=results.total, page=results.page, pages=results.pages, results=hits)
