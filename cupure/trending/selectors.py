"""Trending reads: the strip (from the latest snapshot), keyword chips, the topic page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import Count, Exists, Max, OuterRef, QuerySet

from cupure.articles.models import Article
from cupure.articles.selectors import visible_articles
from cupure.pipeline.keywords import ChipCandidate, choose_chips, key_words
from cupure.stories.models import Story
from cupure.stories.selectors import StoryCard, fold_copies, story_card
from cupure.trending.models import ArticleKeyword, Keyword, TrendingSnapshot

PER_PAGE = 20
TOP_STORIES = 4


@dataclass(frozen=True)
class TrendingTerm:
    """A strip entry as pages show it, with the figures that explain it."""

    key: str
    slug: str
    display: str
    score: float = 0.0
    count_now: int = 0
    baseline_rate: float = 0.0
    sources: int = 0
    first_seen: datetime | None = None
    pinned: bool = False
    keys: tuple[str, ...] = ()
    article_ids: tuple[int, ...] = ()

    @property
    def ratio(self) -> float:
        """How many times its usual rate (add-one smoothed, as the strip ranks it)."""
        return (self.count_now + 1.0) / (self.baseline_rate + 1.0)


PLAIN_CHIPS = 3  # plain lower-case words among an article's chips (after names and phrases)


@dataclass(frozen=True)
class KeywordChip:
    slug: str
    display: str


def _term(item: dict[str, Any]) -> TrendingTerm:
    first = item.get("first_seen")
    return TrendingTerm(
        key=item["key"],
        slug=item["slug"],
        display=item["display"],
        score=float(item.get("score", 0.0)),
        count_now=int(item.get("count_now", 0)),
        baseline_rate=float(item.get("baseline_rate", 0.0)),
        sources=int(item.get("sources", 0)),
        first_seen=datetime.fromisoformat(first) if first else None,
        pinned=bool(item.get("pinned", False)),
        keys=tuple(item.get("keys") or (item["key"],)),
        article_ids=tuple(item.get("article_ids") or ()),
    )


def snapshot_terms(snapshot: TrendingSnapshot) -> list[TrendingTerm]:
    return [_term(item) for item in snapshot.items or []]


def trending_strip(*, limit: int = 10) -> list[TrendingTerm]:
    """The terms rising now, best first (pinned ones first): the newest snapshot, one query."""
    items = TrendingSnapshot.objects.order_by("-id").values_list("items", flat=True).first()
    return [_term(item) for item in (items or [])[: max(0, limit)]]


def article_keywords(*, article_id: int, limit: int = 8) -> list[KeywordChip]:
    """The article's keyword chips: names and phrases first, then at most a few plain words.

    Words seen only inside a name are not chips (``in_name``); the rest is ``choose_chips``'s rule,
    which keeps a phrase with a lower-case word only when it recurs: in this article's body, or in
    another article (``elsewhere``). The article's own publisher is not a chip: a wire's dateline
    names it ("CASTREL (Meridian Wire)"), and the byline above already says who published it.
    """
    # One index probe per candidate on (keyword, article): the first row of another article.
    elsewhere = ArticleKeyword.objects.filter(keyword_id=OuterRef("keyword_id")).exclude(
        article_id=article_id
    )
    rows = (
        ArticleKeyword.objects.filter(article_id=article_id, in_name=False)
        .annotate(elsewhere=Exists(elsewhere))
        .order_by("-weight", "id")
        .values_list(
            "keyword__key",
            "keyword__slug",
            "keyword__display",
            "surface",
            "weight",
            "elsewhere",
            "article__primary_source__name",
        )[: limit * 3]
    )
    candidates = [
        ChipCandidate(
            key=key,
            weight=float(weight or 0.0),
            plain=(plain := " " not in key and surface == surface.lower()),
            # A plain word as this article writes it: the site-wide spelling may be another
            # article's capital ("Point", from the name "Kestrel Point").
            payload=KeywordChip(slug=slug, display=surface if plain and surface else display),
            surface=surface or display,
            elsewhere=bool(shared),
        )
        for key, slug, display, surface, weight, shared, publisher in rows
        if _name_words(key) != _name_words(publisher or "")
    ]
    return [c.payload for c in choose_chips(candidates, limit=limit, plain_limit=PLAIN_CHIPS)]


def _name_words(name: str) -> frozenset[str]:
    """A name's words as a keyword key holds them: lower case, "the" left out ("The Meridian Wire")."""
    return key_words(name.lower()) - {"the"}


@dataclass
class KeywordPage:
    keyword: Keyword
    trend: TrendingTerm | None  # its entry on the current strip, if any
    page: Page
    stories: list[StoryCard] = field(default_factory=list)
    computed_at: datetime | None = None


def keyword_articles(*, keywords: list[int]) -> QuerySet[Article]:
    """Visible articles carrying any of these keywords prominently, newest first."""
    linked = ArticleKeyword.objects.filter(keyword_id__in=keywords).values("article_id")
    return (
        visible_articles()
        .filter(id__in=linked)
        .defer("raw", "body_html", "summary")
        .order_by("-sort_at", "-id")
    )


def keyword_page(*, slug: str, page: int | str | None = 1) -> KeywordPage | None:
    """Everything the topic page shows, or None for an unknown slug."""
    keyword = Keyword.objects.filter(slug=slug).first()
    if keyword is None:
        return None
    snapshot = TrendingSnapshot.objects.order_by("-id").only("computed_at", "items").first()
    trend = None
    if snapshot is not None:
        trend = next(
            (t for t in snapshot_terms(snapshot) if t.slug == keyword.slug or keyword.key in t.keys), None
        )
    ids = [keyword.id]
    if trend is not None and len(trend.keys) > 1:
        # The strip merged spellings ("reeve", "reeves"): the page lists them all.
        ids = list(Keyword.objects.filter(key__in={keyword.key, *trend.keys}).values_list("id", flat=True))
    articles = keyword_articles(keywords=ids)
    listed = _page(articles, page)
    listed.object_list = fold_copies(listed.object_list)  # a syndicated text once, with its sources
    return KeywordPage(
        keyword=keyword,
        trend=trend,
        page=listed,
        stories=_top_stories(articles),
        computed_at=snapshot.computed_at if snapshot is not None else None,
    )


def _page(queryset: QuerySet[Article], number: int | str | None) -> Page:
    """A bad or out-of-range page number gives the nearest valid page, never an error."""
    paginator = Paginator(queryset, PER_PAGE)
    try:
        wanted = max(1, int(number or 1))
    except (TypeError, ValueError):
        wanted = 1
    try:
        return paginator.page(wanted)
    except (PageNotAnInteger, EmptyPage):
        return paginator.page(paginator.num_pages)


def _top_stories(articles: QuerySet[Article], *, limit: int = TOP_STORIES) -> list[StoryCard]:
    """The stories told by several sources that most of the keyword's articles belong to."""
    ranked = list(
        articles.filter(story__isnull=False, story__source_count__gte=2)
        .order_by()
        .values("story_id")
        .annotate(n=Count("id"), latest=Max("sort_at"))
        .order_by("-n", "-latest")[:limit]
    )
    if not ranked:
        return []
    story_ids = [row["story_id"] for row in ranked]
    stories = Story.objects.in_bulk(story_ids)
    members: dict[int, list[Article]] = {}
    # Earliest first, as on the home page: the story's first report on this topic leads its card.
    in_stories = articles.filter(story_id__in=story_ids).select_related("signature")
    for article in in_stories.defer("signature__minhash").order_by("sort_at", "id"):
        members.setdefault(article.story_id, []).append(article)  # type: ignore[arg-type]
    cards = []
    for story_id in story_ids:
        story, items = stories.get(story_id), members.get(story_id)
        if story is None or not items:
            continue
        cards.append(story_card(story_id, items, source_count=story.source_count))
    return cards
