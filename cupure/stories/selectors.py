"""Story reads: Similar News, the home page's top stories, the story page and near-duplicate groups."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from cupure.articles.models import Article, Entry
from cupure.lib.pagecache import page_cache_generation
from cupure.pipeline.keywords import ChipCandidate, choose_chips
from cupure.pipeline.similarity import similar_score
from cupure.pipeline.similarity.pairs import PairScorer, view_score
from cupure.sources.models import Source
from cupure.stories.models import ArticleSignature, PairIdf, Story
from cupure.stories.services.pair_idf import pair_texts
from cupure.trending.models import ArticleKeyword, Keyword

RELATED_WINDOW = timedelta(days=4)  # related stories are looked for this far either side of the article
RELATED_CANDIDATES = 40  # articles sharing the most keywords with this one, scored by vector
RELATED_MIN_SCORE = 0.1  # below this, two articles have too little in common to be "similar"
RELATED_PER_STORY = 2
# At most this many of the best related candidates by stored vector are re-ordered by the pair scorer
# (about 3 ms each). On the SemEval-2022 pairs it tracks human judgement better: Pearson 0.70 vs 0.58.
RERANK_POOL = 12
# The ranking (ids only) is kept per article, story and page-cache generation: a feed refresh that
# stored articles, hiding, a merge or split and a new section model all bump the generation. Within a
# generation the worker's later enrichment (keywords, story of a new article) can still add a
# candidate, so a kept ranking also expires. Cards are re-read: comment counts and hiding stay live.
# The ranking is about half of an uncached article page's time.
SIMILAR_CACHE_SECONDS = 5 * 60
TOP_WINDOW = timedelta(hours=48)
TOP_CANDIDATES = 120
OTHERS_PER_CARD = 3
STORY_KEYWORDS = 10
HEAVY_FIELDS = ("raw", "body_html", "summary")


def _cards() -> QuerySet[Article]:
    """Articles as cards: their source joined, the heavy text fields left in the database."""
    return (
        Article.objects.filter(hidden=False)
        .select_related("primary_source", "signature")
        .defer(*HEAVY_FIELDS, "body_text", "signature__minhash")
    )


# What a Similar News card and its ranking read: nothing else of the candidates leaves the database.
SIMILAR_FIELDS = (
    "id",
    "title",
    "image_url",
    "sort_at",
    "comment_count",
    "hidden",
    "story_id",
    "section_id",
    "primary_source__name",
    "primary_source__slug",
    "signature__vector",
    "signature__dup_group",
)


def _signature(article: Article) -> tuple[dict[str, float], int]:
    row = ArticleSignature.objects.filter(article_id=article.id).values_list("vector", "dup_group").first()
    return (row[0], row[1]) if row else ({}, article.id)


def _group(article: Article) -> int:
    return article.signature.dup_group if _has_signature(article) else article.id


def _has_signature(article: Article) -> bool:
    try:
        article.signature  # noqa: B018  (select_related or a query: tells whether the row exists)
    except ArticleSignature.DoesNotExist:
        return False
    return True


def _vector(article: Article) -> dict[str, float]:
    return article.signature.vector if _has_signature(article) else {}


# -- Similar News -----------------------------------------------------------------------------------------


def similar_articles(*, article: Article, limit: int = 8) -> list[Article]:
    """Similar News: the article's story first, then related stories; other sources before its own.

    Never the article itself nor a near-duplicate copy of it; copies of one text among the results are
    one item, whose ``copy_sources`` lists every source carrying it. A few queries whatever the sizes;
    two when the ranking is cached (``SIMILAR_CACHE_SECONDS``).
    """
    key = f"similar:{page_cache_generation()}:{article.id}:{article.story_id}:{limit}"
    ranking = cache.get(key)
    if ranking is not None:
        return _cards_in_order(ranking)
    items = _rank_similar(article, limit)
    ranking = [(a.id, [s.id for s in a.copy_sources]) for a in items]  # type: ignore[attr-defined]
    cache.set(key, ranking, SIMILAR_CACHE_SECONDS)
    return items


def _cards_in_order(ranking: list[tuple[int, list[int]]]) -> list[Article]:
    """A kept ranking's cards, read again (an article hidden since then drops out)."""
    cards = _cards().only(*SIMILAR_FIELDS).in_bulk([article_id for article_id, _ in ranking])
    source_ids = {source_id for _, copies in ranking for source_id in copies}
    sources = Source.objects.only("id", "name", "slug").in_bulk(source_ids) if source_ids else {}
    items = []
    for article_id, copies in ranking:
        if (card := cards.get(article_id)) is None:
            continue
        card.copy_sources = [sources[i] for i in copies if i in sources]  # type: ignore[attr-defined]
        items.append(card)
    return items


def _rank_similar(article: Article, limit: int) -> list[Article]:
    vector, own_group = _signature(article)
    cards = _cards().only(*SIMILAR_FIELDS).exclude(id=article.id)
    same_story: list[Article] = []
    if article.story_id:
        same_story = list(cards.filter(story_id=article.story_id).order_by("sort_at", "id")[: limit * 4])
    related = _related_candidates(article, cards, bool(vector))
    seen_ids = {a.id for a in same_story}
    related = [a for a in related if a.id not in seen_ids]

    def score(a: Article) -> float:
        other = _vector(a)
        return similar_score(vector, other) if vector and other else 0.0

    own_source = article.primary_source_id
    ranked_story = sorted(same_story, key=lambda a: (a.primary_source_id == own_source, -score(a), a.sort_at))
    scored = [(score(a), a) for a in related]
    if vector:
        scored = [(s, a) for s, a in scored if s >= RELATED_MIN_SCORE]
    scored.sort(key=lambda sa: -sa[0])
    # Only as many as could be shown after the story's own articles (twice that, to choose from), and
    # only candidates found by vector: the section's latest, the fallback, are not "similar" to re-rank.
    open_slots = limit - len({_group(a) for a in same_story} - {own_group})
    pool = [a for _, a in scored[: min(RERANK_POOL, 2 * open_slots)]] if vector and open_slots > 0 else []
    reranked = _pair_scores(article, pool)
    # Re-ranked candidates first (the pair score is on its own scale), then the rest by vector score;
    # within each, other sources before the article's own.
    scored.sort(
        key=lambda sa: (
            sa[1].primary_source_id == own_source,
            sa[1].id not in reranked,
            -reranked.get(sa[1].id, sa[0]),
            -sa[1].sort_at.timestamp(),
        )
    )
    per_story: dict[int, int] = {}
    ranked_related = []
    for _, a in scored:
        if a.story_id is not None:
            per_story[a.story_id] = per_story.get(a.story_id, 0) + 1
            if per_story[a.story_id] > RELATED_PER_STORY:
                continue
        ranked_related.append(a)
    return _collapse_copies([*ranked_story, *ranked_related], exclude_group=own_group, limit=limit)


def _pair_scores(article: Article, candidates: list[Article]) -> dict[int, float]:
    """The pair score (``cupure.pipeline.similarity.pairs``) of each candidate against the article."""
    if not candidates:
        return {}
    texts = pair_texts(Article.objects.filter(id__in=[article.id, *(a.id for a in candidates)]))
    if article.id not in texts:
        return {}
    scorer = _pair_scorer() or PairScorer.fit(texts.values())  # no snapshot yet: count the pool itself
    own = scorer.view(*texts[article.id])
    return {i: view_score(own, scorer.view(*text)) for i, text in texts.items() if i != article.id}


@dataclass
class _SnapshotCache:
    saved_at: datetime | None = None
    scorer: PairScorer | None = None


_snapshot = _SnapshotCache()


def _pair_scorer() -> PairScorer | None:
    """The worker's latest ``PairIdf`` snapshot, parsed once per process per snapshot."""
    saved_at = PairIdf.objects.filter(pk=1).values_list("saved_at", flat=True).first()
    if saved_at is None:
        return None
    if saved_at != _snapshot.saved_at:
        data = PairIdf.objects.filter(pk=1).values_list("data", flat=True).first() or {}
        _snapshot.scorer, _snapshot.saved_at = PairScorer.from_json(data), saved_at
    return _snapshot.scorer


def _related_candidates(article: Article, cards: QuerySet[Article], has_vector: bool) -> list[Article]:
    """Recent articles of other stories sharing the article's keywords (or, without any, its section)."""
    around = (article.sort_at - RELATED_WINDOW, article.sort_at + RELATED_WINDOW)
    others = cards.filter(sort_at__range=around)
    if article.story_id:
        others = others.exclude(story_id=article.story_id)
    keyword_ids = ArticleKeyword.objects.filter(article_id=article.id).values("keyword_id")
    sharing = (
        ArticleKeyword.objects.filter(keyword_id__in=keyword_ids, article__sort_at__range=around)
        .exclude(article_id=article.id)
        .values("article_id")
        .annotate(n=Count("id"))
        .order_by("-n", "-article_id")
        .values("article_id")[:RELATED_CANDIDATES]
    )
    found = list(others.filter(id__in=sharing)) if has_vector else []
    if not found and article.section_id:
        found = list(
            others.filter(section_id=article.section_id).order_by("-sort_at", "-id")[:RELATED_CANDIDATES]
        )
    return found


def _collapse_copies(items: list[Article], *, exclude_group: int, limit: int) -> list[Article]:
    return _fold(items, {a.id: _group(a) for a in items}, exclude_group=exclude_group, limit=limit)


def _fold(
    items: list[Article],
    groups: dict[int, int],
    *,
    exclude_group: int | None = None,
    limit: int | None = None,
) -> list[Article]:
    """One article per near-duplicate group in ``items`` (``groups``: article id -> group): the copy
    dated first, i.e. the original rather than a later reprint of it, at its own place in the order,
    with ``copy_sources``: the sources of every copy in ``items``, its own first."""
    original: dict[int, Article] = {}
    sources: dict[int, list[Source]] = {}
    for a in items:
        group = groups.get(a.id, a.id)
        held = original.get(group)
        if held is None or (a.sort_at, a.id) < (held.sort_at, held.id):
            original[group] = a
        if a.primary_source and a.primary_source not in sources.setdefault(group, []):
            sources[group].append(a.primary_source)
    shown: list[Article] = []
    for a in items:
        group = groups.get(a.id, a.id)
        if group == exclude_group or original[group] is not a or len(shown) == limit:
            continue
        own = [a.primary_source] if a.primary_source else []
        a.copy_sources = own + [s for s in sources[group] if s not in own]  # type: ignore[attr-defined]
        shown.append(a)
    return shown


# -- home page --------------------------------------------------------------------------------------------


@dataclass
class StoryCard:
    """A story on a listing: its lead article, a few others, and how many sources cover it."""

    story_id: int | None
    lead: Article
    others: list[Article]
    source_count: int


def story_card(story_id: int | None, members: list[Article], *, source_count: int) -> StoryCard:
    """A story's card from its articles, earliest first: the first report leads; the others are
    other sources' reports (a syndicated copy of a text already on the card is not one)."""
    lead, others = members[0], []
    used, texts = {lead.primary_source_id}, {_group(lead)}
    for a in members[1:]:
        if a.primary_source_id not in used and _group(a) not in texts and len(others) < OTHERS_PER_CARD:
            others.append(a)
            used.add(a.primary_source_id)
            texts.add(_group(a))
    return StoryCard(story_id, lead, others, max(source_count, 1))


def _story_rank(story: Story, now: datetime) -> float:
    """More sources rank higher, and every story sinks as it ages (a gravity of 1.3 per hour)."""
    hours = max(0.0, (now - story.updated_at).total_seconds() / 3600)
    weight = story.source_count + 0.2 * min(story.article_count, 20)
    return weight / math.pow(hours + 2.0, 1.3)


def top_stories(*, limit: int = 8) -> list[StoryCard]:
    """Stories ranked by source count and recency; the lead is the story's earliest article.

    When there are fewer stories than ``limit``, the latest articles without a story fill the list.
    """
    now = timezone.now()
    recent = Story.objects.filter(
        merged_into__isnull=True, updated_at__gte=now - TOP_WINDOW, article_count__gt=0
    )
    candidates = {
        s.id: s
        for s in recent.order_by("-updated_at").only("id", "updated_at", "source_count", "article_count")[
            :TOP_CANDIDATES
        ]
    }
    for s in recent.order_by("-source_count", "-updated_at").only(
        "id", "updated_at", "source_count", "article_count"
    )[:TOP_CANDIDATES]:
        candidates.setdefault(s.id, s)
    ranked = sorted(candidates.values(), key=lambda s: (-_story_rank(s, now), -s.id))[: limit * 2]
    by_story: dict[int, list[Article]] = {}
    if ranked:
        articles = _cards().filter(story_id__in=[s.id for s in ranked]).order_by("sort_at", "id")
        for a in articles:
            by_story.setdefault(a.story_id, []).append(a)  # type: ignore[arg-type]
    cards: list[StoryCard] = []
    for story in ranked:
        members = by_story.get(story.id)
        if not members:
            continue  # every article hidden
        cards.append(story_card(story.id, members, source_count=story.source_count))
        if len(cards) == limit:
            return cards
    if len(cards) < limit:
        loose = _cards().filter(story__isnull=True).order_by("-sort_at", "-id")[: limit - len(cards)]
        cards += [StoryCard(None, a, [], 1) for a in loose]
    return cards


# -- story page -------------------------------------------------------------------------------------------


@dataclass
class StoryItem:
    """One text in the story: the article, and the sources carrying it (copies elsewhere included)."""

    article: Article
    sources: list[Source]
    copies: list[Article] = field(default_factory=list)


@dataclass
class StoryDetail:
    story: Story
    items: list[StoryItem]  # earliest first; near-duplicate copies folded into their first text
    timeline: list[Article]  # every article, earliest first
    sources: list[Source]  # every source, in the order they reported
    first: Article | None
    keywords: list[dict[str, Any]]  # {"display", "slug" (None when no topic page)}


def story_resolve(story_id: int) -> Story | None:
    story = Story.objects.filter(id=story_id).first()
    hops = 0
    while story is not None and story.merged_into_id is not None and hops < 10:
        story = Story.objects.filter(id=story.merged_into_id).first()
        hops += 1
    return story


def story_detail(*, story_id: int) -> StoryDetail | None:
    """The story (following merges: ``detail.story.id`` differs from ``story_id`` for a merged one)."""
    story = story_resolve(story_id)
    if story is None:
        return None
    entries = Entry.objects.select_related("source").order_by("first_seen_at", "id")
    articles = list(
        Article.objects.filter(story=story, hidden=False)
        .select_related("primary_source", "signature")
        .defer(*HEAVY_FIELDS, "signature__minhash", "signature__vector")
        .prefetch_related(Prefetch("entries", queryset=entries))
        .order_by("sort_at", "id")
    )
    sources: list[Source] = []
    items: dict[int, StoryItem] = {}
    for a in articles:
        carried = [e.source for e in a.entries.all()] or ([a.primary_source] if a.primary_source else [])
        for s in carried:
            if s not in sources:
                sources.append(s)
        group = _group(a)
        if group in items:
            item = items[group]
            item.copies.append(a)
            item.sources += [s for s in carried if s not in item.sources]
        else:
            items[group] = StoryItem(a, list(dict.fromkeys(carried)))
    return StoryDetail(
        story=story,
        items=list(items.values()),
        timeline=articles,
        sources=sources,
        first=articles[0] if articles else None,
        keywords=_story_keywords(story),
    )


def _story_keywords(story: Story) -> list[dict[str, Any]]:
    candidates = [
        ChipCandidate(
            key=k["key"],
            weight=float(k.get("weight") or 0.0),
            plain=str(k.get("display") or k["key"]).islower(),
            payload=k,
        )
        for k in story.keywords or []
        if isinstance(k, dict) and k.get("key")
    ]
    wanted = [c.payload for c in choose_chips(candidates, limit=STORY_KEYWORDS)]
    if not wanted:
        return []
    slugs = dict(Keyword.objects.filter(key__in=[k["key"] for k in wanted]).values_list("key", "slug"))
    return [{"display": k.get("display") or k["key"], "slug": slugs.get(k["key"])} for k in wanted]


def story_articles(*, story: Story, limit: int = 50) -> list[Article]:
    """The story's articles for its feed, newest first."""
    return list(
        Article.objects.filter(story=story, hidden=False)
        .select_related("primary_source", "section")
        .defer(*HEAVY_FIELDS)
        .order_by("-sort_at", "-id")[:limit]
    )


# -- near-duplicates --------------------------------------------------------------------------------------


def copy_ids(*, article: Article) -> list[int]:
    """The article and its syndicated copies under other URLs (one near-duplicate group, at most 50)."""
    group = ArticleSignature.objects.filter(article_id=article.id).values_list("dup_group", flat=True).first()
    if group is None:
        return [article.id]
    return list(ArticleSignature.objects.filter(dup_group=group).values_list("article_id", flat=True)[:50])


def original_copy(*, article: Article, ids: list[int]) -> Article:
    """The visible copy of this text dated first (``ids``: its ``copy_ids``): the one listings show in
    the text's place (``fold_copies``), and the page a reprint names as canonical."""
    if len(ids) < 2:
        return article
    copies = Article.objects.filter(id__in=ids, hidden=False).order_by("sort_at", "id")
    return copies.only("id", "title").first() or article


def neardup_group(*, article: Article, ids: list[int] | None = None) -> list[Source]:
    """The sources carrying this text (the article's own first), copies under other URLs included.
    ``ids``: the group's ``copy_ids`` when the caller has read them already."""
    ids = ids if ids is not None else copy_ids(article=article)
    entries = (
        Entry.objects.filter(article_id__in=ids, article__hidden=False)
        .select_related("source")
        .order_by("first_seen_at", "id")
    )
    found: list[Source] = []
    for entry in sorted(entries, key=lambda e: (e.article_id != article.id, e.first_seen_at, e.id)):
        if entry.source not in found:
            found.append(entry.source)
    return found


# How many more rows a listing reads than it shows, so that folding copies does not leave it short.
FOLD_SPARE = 4


def fold_copies(articles: Iterable[Article], *, limit: int | None = None) -> list[Article]:
    """A listing with each syndicated text once: the copy dated first keeps its place and names in
    ``copy_sources`` the sources of the other copies, which drop out. One query."""
    items = list(articles)
    if not items:
        return []
    groups = dict(
        ArticleSignature.objects.filter(article_id__in=[a.id for a in items]).values_list(
            "article_id", "dup_group"
        )
    )
    return _fold(items, groups, limit=limit)
