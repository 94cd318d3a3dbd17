"""Story writes: the worker's automatic assignment, and the operator's merge, split and lock.

``story_assign`` runs the pure ``OnlineStoryClusterer`` (cupure.pipeline.similarity) against the active
window (stories updated within ``CONFIG.window_seconds``). The clusterer lives in an in-process cache
keyed by ``ClusterState.version``; every write under the lock moves the version by one, so a worker that
made the last write keeps its cache, and any other writer (another process, an operator action) makes
the next assignment reload the window from the database: the active stories' centroids, the operator
overrides and the IDF snapshot. The cost per article is therefore flat as the archive grows.

Concurrency: every write first locks the ``ClusterState`` row (SELECT ... FOR UPDATE on PostgreSQL; on
SQLite the connection opens IMMEDIATE transactions, so the write lock is held from BEGIN). Assignments
are therefore serialised, and a failed transaction drops the cache so no half-applied state survives.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from cupure.articles.models import Article
from cupure.lib.pagecache import bump_page_cache
from cupure.pipeline.similarity import (
    ClusterConfig,
    IdfModel,
    OnlineStoryClusterer,
    Signature,
    StoryDoc,
    StoryRecord,
    doc_vector,
    is_near_duplicate,
    neardup_signature,
)
from cupure.pipeline.similarity.neardup import verify_near_duplicate
from cupure.stories.models import ArticleSignature, ClusterState, NearDupKey, Story, StoryOverride
from cupure.trending.models import ArticleKeyword

CONFIG = ClusterConfig()  # the one product setting (join 0.15, merge 0.25, 3-day window), see cupure/eval
IDF_SAVE_EVERY = 200  # assignments between two IDF snapshots (a reload loses at most these documents)
NEARDUP_CANDIDATES = 20  # articles sharing the most band keys, checked per article
KEYWORDS_KEPT = 24


@dataclass
class _Cache:
    version: int | None = None
    clusterer: OnlineStoryClusterer | None = None
    unsaved: int = 0  # assignments learnt by the IDF since the last snapshot


_cache = _Cache()
# Threads of one process queue here, in memory, before taking the database lock: a thread handing over
# to the next is then immediate (SQLite's busy handler would otherwise sleep between polls). The
# database lock still serialises separate processes.
_cache_lock = threading.RLock()


def reset_cache() -> None:
    """Forget the in-process clusterer; the next assignment reloads it from the database."""
    with _cache_lock:
        _cache.version, _cache.clusterer, _cache.unsaved = None, None, 0


def _dt(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, tz=UTC)


@contextmanager
def _locked() -> Iterator[tuple[int, bool]]:
    """A transaction holding the cluster lock; yields (version, whether an IDF snapshot exists)."""
    if not ClusterState.objects.filter(pk=1).exists():  # never load the row here: it holds the IDF
        ClusterState.objects.get_or_create(pk=1)
    with transaction.atomic():
        version, saved_at = (
            ClusterState.objects.select_for_update().values_list("version", "idf_saved_at").get(pk=1)
        )
        yield version, saved_at is not None


def _bump(version: int, **fields: Any) -> None:
    ClusterState.objects.filter(pk=1).update(version=version + 1, **fields)


# -- automatic assignment ---------------------------------------------------------------------------------


def story_assign(*, article_id: int) -> int | None:
    """Attach the article to a story (joining an active one or starting one); returns the story id.

    Idempotent: an article already in a story keeps it (only its signature is refreshed when its text
    changed), so an edit never moves an article and an operator's decision is never undone.
    """
    found = (
        Article.objects.filter(id=article_id)
        .values(
            "id", "title", "body_text", "language", "sort_at", "primary_source_id", "story_id", "content_hash"
        )
        .first()
    )
    if found is None:
        return None
    row: dict[str, Any] = dict(found)
    signed = (
        ArticleSignature.objects.filter(article_id=article_id).values_list("content_hash", flat=True).first()
    )
    if row["story_id"] is not None and signed == row["content_hash"]:
        # Seen again, perhaps from another source (a duplicate entry): its story's counts may change.
        Story.objects.filter(id=row["story_id"]).update(**_story_counts(row["story_id"]))
        return row["story_id"]
    neardup = neardup_signature(row["body_text"])  # the costly part, outside the lock
    try:
        with _cache_lock, _locked() as (version, idf_saved):
            # Another thread may have assigned this article meanwhile: decide on what is committed.
            row["story_id"] = Article.objects.filter(id=article_id).values_list("story_id", flat=True).first()
            signed = (
                ArticleSignature.objects.filter(article_id=article_id)
                .values_list("content_hash", flat=True)
                .first()
            )
            if row["story_id"] is not None and signed == row["content_hash"]:
                return int(row["story_id"])
            clusterer = _clusterer(version)
            story_id = _assign_locked(clusterer, row, neardup, had_signature=signed is not None)
            fields: dict[str, Any] = {}
            _cache.unsaved += 1
            if _cache.unsaved >= IDF_SAVE_EVERY or not idf_saved:
                fields = {"idf": clusterer.idf.to_json(), "idf_saved_at": timezone.now()}
                _cache.unsaved = 0
            _bump(version, **fields)
            _cache.version = version + 1
    except BaseException:
        reset_cache()
        raise
    return story_id


def _clusterer(version: int) -> OnlineStoryClusterer:
    if _cache.clusterer is None or _cache.version != version:
        _cache.clusterer, _cache.version, _cache.unsaved = _load(), version, 0
    return _cache.clusterer


def _load() -> OnlineStoryClusterer:
    """The active window from the database: stories, overrides, and the IDF snapshot."""
    horizon = timezone.now() - timedelta(seconds=CONFIG.window_seconds)
    active = Story.objects.filter(merged_into__isnull=True, updated_at__gte=horizon)
    records = []
    for story_id, data, locked in active.values_list("id", "centroid", "locked"):
        if data and "centroid" in data:
            record = StoryRecord.from_json(story_id, data)
            record.locked = locked
            records.append(record)
    snapshot = ClusterState.objects.filter(pk=1).values_list("idf", flat=True).first()
    idf = IdfModel.from_json(snapshot) if snapshot else _idf_from_signatures(horizon)
    clusterer = OnlineStoryClusterer.restore(records, idf=idf, config=CONFIG)
    overrides = StoryOverride.objects.filter(story__merged_into__isnull=True, story__updated_at__gte=horizon)
    for article_id, story_id, kind in overrides.values_list("article_id", "story_id", "kind"):
        if kind == StoryOverride.Kind.PIN:
            clusterer.pin(article_id, story_id)
        else:
            clusterer.forbid(article_id, story_id)
    return clusterer


def _idf_from_signatures(horizon: datetime) -> IdfModel:
    """First start (no snapshot yet): the document frequencies of the stored vectors of the window."""
    vectors = ArticleSignature.objects.filter(article__sort_at__gte=horizon).values_list("vector", flat=True)
    return IdfModel.from_documents(v.keys() for v in vectors[: CONFIG.idf_window_docs].iterator())


def _assign_locked(
    clusterer: OnlineStoryClusterer, row: dict[str, Any], neardup: Signature, *, had_signature: bool
) -> int:
    article_id: int = row["id"]
    matches = _neardup_matches(article_id, neardup, row["body_text"])
    dup_group = min([article_id, *(m["dup_group"] for m in matches)])
    story_id: int | None = row["story_id"]
    if story_id is None:
        doc = StoryDoc(
            id=article_id,
            title=row["title"],
            text=row["body_text"],
            time=row["sort_at"].timestamp(),
            source=str(row["primary_source_id"]) if row["primary_source_id"] else None,
            lang=row["language"] or None,
        )
        for match in matches:  # a copy joins its original's story while that story is active
            target = match["article__story_id"]
            if target in clusterer.state.stories and (article_id, target) not in clusterer.state.forbidden:
                clusterer.pin(article_id, target)
                break
        created: list[int] = []
        clusterer.new_story_id = lambda: _story_create(row, created)
        try:
            assignment = clusterer.add(doc)
        finally:
            clusterer.state.pins.pop(article_id, None)
        opened_and_merged = [m for m in assignment.merged if m in created]
        if opened_and_merged:  # a story opened for this article, then merged at once into an older one
            Story.objects.filter(id__in=opened_and_merged).delete()
            assignment.merged = [m for m in assignment.merged if m not in created]
        story_id = int(assignment.story_id)  # type: ignore[call-overload]
        vector = assignment.vector
        _story_save(clusterer.state.stories[story_id], article_id, [int(m) for m in assignment.merged])  # type: ignore[call-overload]
    else:
        vector = doc_vector(row["title"], row["body_text"], idf=clusterer.idf, lang=row["language"] or None)
    _signature_save(article_id, row["content_hash"], vector, neardup, dup_group, replace=had_signature)
    return story_id


def _story_create(row: dict[str, Any], created: list[int]) -> int:
    story = Story.objects.create(title=row["title"], first_seen_at=row["sort_at"], updated_at=row["sort_at"])
    created.append(story.id)
    return story.id


def _story_save(record: StoryRecord, article_id: int, merged: list[int]) -> None:
    """Write the joined story (and the stories it absorbed) after the clusterer decided."""
    story_id = int(record.id)  # type: ignore[call-overload]
    keyword_lists: list[list[dict[str, Any]]] = []
    if merged:
        keyword_lists += list(Story.objects.filter(id__in=merged).values_list("keywords", flat=True))
        Article.objects.filter(story_id__in=merged).update(story_id=story_id)
        Story.objects.filter(merged_into_id__in=merged).update(merged_into_id=story_id)
        Story.objects.filter(id__in=merged).update(merged_into_id=story_id, centroid={})
    Article.objects.filter(id=article_id).update(story_id=story_id)
    keywords = Story.objects.filter(id=story_id).values_list("keywords", flat=True).get()
    keyword_lists += [keywords, _article_keywords([article_id])]
    Story.objects.filter(id=story_id).update(
        centroid=record.to_json(),
        first_seen_at=_dt(record.first_time),
        updated_at=_dt(record.last_time),
        keywords=_keywords_tally(keyword_lists),
        **_story_counts(story_id),
    )


def _story_counts(story_id: int) -> dict[str, Any]:
    members = Article.objects.filter(story_id=story_id)
    counts = members.aggregate(n=Count("id", distinct=True), s=Count("entries__source", distinct=True))
    title = members.order_by("sort_at", "id").values_list("title", flat=True).first()
    fields: dict[str, Any] = {"article_count": counts["n"], "source_count": counts["s"]}
    if title:
        fields["title"] = title
    return fields


def _article_keywords(article_ids: list[int]) -> list[dict[str, Any]]:
    rows = (
        ArticleKeyword.objects.filter(article_id__in=article_ids, in_name=False)
        .values("keyword__key", "keyword__display", "keyword__slug")
        .annotate(weight=Sum("weight"))
    )
    return [
        {
            "key": r["keyword__key"],
            "display": r["keyword__display"],
            "slug": r["keyword__slug"],
            "weight": r["weight"],
        }
        for r in rows
    ]


def _keywords_tally(lists: Iterable[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    tally: dict[str, dict[str, Any]] = {}
    for items in lists:
        for item in items or []:
            kept = tally.setdefault(item["key"], {**item, "weight": 0.0})
            kept["weight"] = round(kept["weight"] + float(item.get("weight") or 0.0), 4)
    ranked = sorted(tally.values(), key=lambda k: (-k["weight"], k["key"]))
    return ranked[:KEYWORDS_KEPT]


# -- near-duplicates --------------------------------------------------------------------------------------


def _neardup_matches(article_id: int, signature: Signature, text: str) -> list[dict[str, Any]]:
    """Articles whose body is a near-duplicate of ``text``: LSH candidates, MinHash estimate, exact check."""
    if not signature.band_keys:
        return []
    candidates = [
        r["article_id"]
        for r in NearDupKey.objects.filter(key__in=signature.band_keys)
        .exclude(article_id=article_id)
        .values("article_id")
        .annotate(n=Count("id"))
        .order_by("-n", "article_id")[:NEARDUP_CANDIDATES]
    ]
    if not candidates:
        return []
    likely: list[dict[str, Any]] = [
        dict(r)
        for r in ArticleSignature.objects.filter(article_id__in=candidates).values(
            "article_id", "minhash", "dup_group", "article__story_id"
        )
        if r["minhash"] and is_near_duplicate(signature, Signature.from_json(r["minhash"]))
    ]
    if not likely:
        return []
    texts = dict(
        Article.objects.filter(id__in=[r["article_id"] for r in likely]).values_list("id", "body_text")
    )
    matches = [r for r in likely if verify_near_duplicate(text, texts.get(r["article_id"], ""))]
    return sorted(matches, key=lambda r: r["article_id"])


def _signature_save(
    article_id: int,
    content_hash: str,
    vector: dict[str, float],
    neardup: Signature,
    dup_group: int,
    *,
    replace: bool,
) -> None:
    values = {
        "vector": {t: round(w, 5) for t, w in vector.items()},
        "minhash": neardup.to_json() if neardup.hashvalues else {},
        "content_hash": content_hash,
        "dup_group": dup_group,
    }
    if replace:
        ArticleSignature.objects.update_or_create(article_id=article_id, defaults=values)
        NearDupKey.objects.filter(article_id=article_id).delete()
    else:
        ArticleSignature.objects.create(article_id=article_id, **values)
    NearDupKey.objects.bulk_create([NearDupKey(article_id=article_id, key=key) for key in neardup.band_keys])


# -- operator decisions -----------------------------------------------------------------------------------


def story_merge(*, story_ids: Iterable[int], into_id: int) -> Story:
    """Merge the stories into ``into_id``; their pages redirect there and their articles move there."""
    absorbed = {int(i) for i in story_ids} - {into_id}
    with _cache_lock, _locked() as (version, _):
        target = Story.objects.get(id=into_id)
        while target.merged_into_id is not None:  # merging into a merged story means into its survivor
            target = Story.objects.get(id=target.merged_into_id)
        absorbed.discard(target.id)
        moved = list(Article.objects.filter(story_id__in=absorbed).values_list("id", flat=True))
        Article.objects.filter(id__in=moved).update(story_id=target.id)
        Story.objects.filter(merged_into_id__in=absorbed).update(merged_into_id=target.id)
        Story.objects.filter(id__in=absorbed).update(
            merged_into_id=target.id, centroid={}, article_count=0, source_count=0
        )
        StoryOverride.objects.filter(article_id__in=moved, story_id=target.id).delete()
        _pin_members(target.id)
        _story_refresh(target.id)
        _bump(version)
    bump_page_cache()  # story pages, listings and Similar News show the merged story at once
    target.refresh_from_db()
    return target


def _pin_members(story_id: int) -> None:
    """Record a merge as pins on every member, so ``cupure recluster`` keeps the merged story whole."""
    StoryOverride.objects.filter(article__story_id=story_id, kind=StoryOverride.Kind.PIN).exclude(
        story_id=story_id
    ).delete()
    members = Article.objects.filter(story_id=story_id).values_list("id", flat=True)
    StoryOverride.objects.bulk_create(
        [StoryOverride(article_id=i, story_id=story_id, kind=StoryOverride.Kind.PIN) for i in members],
        ignore_conflicts=True,
    )


def story_split(*, story_id: int, article_ids: Iterable[int]) -> Story:
    """Move the articles out of the story into a new, locked story; they never rejoin the old one."""
    with _cache_lock, _locked() as (version, _):
        moving = list(
            Article.objects.filter(story_id=story_id, id__in=list(article_ids))
            .order_by("sort_at", "id")
            .values_list("id", "title", "sort_at")
        )
        if not moving:
            raise ValueError("none of these articles is in the story")
        _, title, first = moving[0]
        new = Story.objects.create(title=title, first_seen_at=first, updated_at=first, locked=True)
        ids = [m[0] for m in moving]
        Article.objects.filter(id__in=ids).update(story_id=new.id)
        StoryOverride.objects.filter(article_id__in=ids, story_id=story_id).delete()
        StoryOverride.objects.bulk_create(
            [StoryOverride(article_id=i, story_id=story_id, kind=StoryOverride.Kind.FORBID) for i in ids]
        )
        _story_refresh(new.id)
        if not _story_refresh(story_id):  # every article moved out: the old URL leads to the new story
            Story.objects.filter(id=story_id).update(merged_into_id=new.id)
        _bump(version)
    bump_page_cache()
    new.refresh_from_db()
    return new


def story_set_locked(*, story_id: int, locked: bool) -> None:
    with _cache_lock, _locked() as (version, _):
        Story.objects.filter(id=story_id).update(locked=locked)  # the column wins over the centroid's copy
        _bump(version)


def _story_refresh(story_id: int) -> int:
    """Rebuild a story's centroid, times, counts and keywords from its members; returns the size."""
    members = list(
        Article.objects.filter(story_id=story_id).values_list(
            "id", "sort_at", "primary_source_id", "signature__vector"
        )
    )
    if not members:
        Story.objects.filter(id=story_id).update(centroid={}, article_count=0, source_count=0, keywords=[])
        return 0
    locked = Story.objects.filter(id=story_id).values_list("locked", flat=True).get()
    record = story_record(story_id, [m[1:] for m in members], locked=locked)
    Story.objects.filter(id=story_id).update(
        centroid=record.to_json(),
        first_seen_at=_dt(record.first_time),
        updated_at=_dt(record.last_time),
        keywords=_keywords_tally([_article_keywords([m[0] for m in members])]),
        **_story_counts(story_id),
    )
    return len(members)


def story_record(
    story_id: int, members: Iterable[tuple[datetime, int | None, dict[str, float] | None]], *, locked: bool
) -> StoryRecord:
    """A story's clustering record rebuilt from its members' (time, source id, stored vector)."""
    summed: dict[str, float] = {}
    times: list[float] = []
    sources: set[str] = set()
    for sort_at, source_id, vector in members:
        times.append(sort_at.timestamp())
        if source_id:
            sources.add(str(source_id))
        for term, weight in (vector or {}).items():
            summed[term] = summed.get(term, 0.0) + weight
    kept = sorted(summed.items(), key=lambda kv: (-kv[1], kv[0]))[: CONFIG.centroid_terms]
    return StoryRecord(
        id=story_id,
        centroid_sum=dict(kept),
        size=len(times),
        first_time=min(times),
        last_time=max(times),
        sources=sources,
        locked=locked,
    )
