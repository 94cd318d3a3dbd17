"""``stories_recluster``: run story assignment again over the recent window, in publication order.

For an operator who changed the clustering settings, or imported a backlog (whose articles the worker
assigned in arrival order, not in publication order). The steps:

1. Articles of the window that were never assigned are assigned first (the replay reads stored vectors).
2. Replay, outside any transaction: the stories active when the window opens are rebuilt from their
   members published before it, then every article of the window is added again, in publication order,
   with its stored vector, through the ``OnlineStoryClusterer`` the worker runs. Operator decisions win
   over scores: a pinned article (an operator merge) joins its story, a forbidden pairing (an operator
   split) is never made, an article in a locked story stays in it, and a near-duplicate copy follows the
   first article of its copy group, as ``story_assign`` makes it do.
3. Apply, in one transaction under the cluster lock, so the worker can keep running: each resulting
   cluster keeps the id of the story most of its articles were in (story pages keep their URLs), articles
   move, an emptied story redirects to the story that took most of its articles, and every changed
   story's centroid, times, counts, title and keywords are rewritten. When an operator changed stories
   while the replay ran, nothing is written (``ReclusterConflict``: run it again).
4. Articles the worker assigned meanwhile, to stories step 3 rewrote, are assigned again afterwards.

Running it twice in a row moves nothing the second time: the replay is deterministic.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db.models import Count, Max, Min
from django.utils import timezone

from cupure.articles.models import Article
from cupure.pipeline.similarity import IdfModel, OnlineStoryClusterer, StoryDoc, StoryRecord
from cupure.stories.models import Story, StoryOverride
from cupure.stories.services import (
    CONFIG,
    _article_keywords,
    _bump,
    _cache_lock,
    _keywords_tally,
    _locked,
    _story_refresh,
    reset_cache,
    story_assign,
    story_record,
)

CHUNK = 500  # ids per IN (...) list: far below every database's parameter limit


class ReclusterConflict(Exception):
    """An operator merged, split or locked stories while the replay ran; nothing was written."""


@dataclass
class ReclusterResult:
    articles: int = 0  # articles of the window replayed
    signed: int = 0  # of which never assigned before (assigned first, in step 1)
    stories_before: int = 0  # distinct stories holding them before
    stories_after: int = 0  # and after
    moved: int = 0  # articles whose story changed
    created: int = 0  # stories opened (no old story to keep the id of)
    emptied: int = 0  # stories left without articles, now redirecting to their successor
    late: int = 0  # assigned by the worker while the replay ran, assigned again afterwards

    def summary_line(self) -> str:
        return (
            f"articles={self.articles} stories_before={self.stories_before} "
            f"stories_after={self.stories_after} moved={self.moved} created={self.created} "
            f"emptied={self.emptied} first_assigned={self.signed} late={self.late}"
        )


@dataclass(frozen=True)
class _Member:
    id: int
    time: datetime
    source_id: int | None
    story_id: int | None  # before the recluster
    locked: bool  # its story is locked: it stays there
    dup_group: int
    vector: dict[str, float]


@dataclass
class _Plan:
    story_of: dict[int, int]  # article -> replay story id (negative: a cluster the replay opened)
    records: dict[int, StoryRecord]  # replay story id -> its record, for the clusters holding articles
    merged: dict[int, int] = field(default_factory=dict)  # replay story id merged away -> the absorber
    seeded: set[int] = field(default_factory=set)  # existing stories the replay started with

    def resolve(self, story_id: int) -> int:
        while story_id in self.merged:
            story_id = self.merged[story_id]
        return story_id


def stories_recluster(*, days: float, now: datetime | None = None) -> ReclusterResult:
    """Re-run online story assignment over the articles published in the last ``days`` days."""
    start = (now or timezone.now()) - timedelta(days=days)
    result = ReclusterResult(signed=_assign_unsigned(start))
    marker = _operator_marker()
    members = _window_members(start)
    plan = _replay(members, start)
    result.articles = len(members)
    result.stories_before = len({m.story_id for m in members if m.story_id})
    late = _apply(plan, members, start, marker, result)
    for article_id in late:
        story_assign(article_id=article_id)
    result.late = len(late)
    return result


# -- step 1 and the inputs --------------------------------------------------------------------------------


def _assign_unsigned(start: datetime) -> int:
    unsigned = Article.objects.filter(sort_at__gte=start, signature__isnull=True).order_by("sort_at", "id")
    ids = list(unsigned.values_list("id", flat=True))
    for article_id in ids:
        story_assign(article_id=article_id)
    return len(ids)


def _operator_marker() -> tuple[Any, ...]:
    """Changes whenever an operator merges, splits, locks or unlocks a story."""
    overrides = StoryOverride.objects.aggregate(n=Count("id"), last=Max("id"))
    locked = tuple(Story.objects.filter(locked=True).order_by("id").values_list("id", flat=True))
    return overrides["n"], overrides["last"], locked


def _window_members(start: datetime) -> list[_Member]:
    rows = (
        Article.objects.filter(sort_at__gte=start, signature__isnull=False)
        .order_by("sort_at", "id")
        .values_list(
            "id",
            "sort_at",
            "primary_source_id",
            "story_id",
            "story__locked",
            "signature__dup_group",
            "signature__vector",
        )
    )
    return [
        _Member(aid, when, source, story, bool(locked), group, vector or {})
        for aid, when, source, story, locked, group, vector in rows.iterator(chunk_size=2000)
    ]


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    items = list(ids)
    for n in range(0, len(items), CHUNK):
        yield items[n : n + CHUNK]


def _survivor(story_id: int) -> int:
    """The live story a (possibly merged) story id leads to."""
    seen = {story_id}
    while (
        nxt := Story.objects.filter(id=story_id).values_list("merged_into_id", flat=True).first()
    ) is not None:
        if nxt in seen:
            break
        seen.add(nxt)
        story_id = nxt
    return story_id


# -- step 2: the replay -----------------------------------------------------------------------------------


def _seed(start: datetime) -> list[StoryRecord]:
    """The stories active when the window opens, rebuilt from their members published before it."""
    horizon = start - timedelta(seconds=CONFIG.window_seconds)
    active = set(
        Article.objects.filter(sort_at__gte=horizon, sort_at__lt=start, story__isnull=False)
        .values_list("story_id", flat=True)
        .distinct()
    )
    members: dict[int, list[tuple[datetime, int | None, dict[str, float] | None]]] = {}
    locked: set[int] = set()
    for chunk in _chunks(sorted(active)):
        rows = Article.objects.filter(story_id__in=chunk, sort_at__lt=start).values_list(
            "story_id", "sort_at", "primary_source_id", "signature__vector"
        )
        for story_id, *member in rows:
            members.setdefault(story_id, []).append(tuple(member))  # type: ignore[arg-type]
        locked.update(Story.objects.filter(id__in=chunk, locked=True).values_list("id", flat=True))
    return [story_record(sid, rows, locked=sid in locked) for sid, rows in sorted(members.items())]


def _overrides(clusterer: OnlineStoryClusterer, start: datetime) -> None:
    """The operator's pins and splits on the window's articles, aimed at the stories they survive in."""
    rows = StoryOverride.objects.filter(article__sort_at__gte=start).order_by("id")
    survivors: dict[int, int] = {}
    for article_id, story_id, kind in rows.values_list("article_id", "story_id", "kind"):
        if story_id not in survivors:
            survivors[story_id] = _survivor(story_id)
        if kind == StoryOverride.Kind.PIN:
            clusterer.pin(article_id, survivors[story_id])
        else:
            clusterer.forbid(article_id, survivors[story_id])


def _replay(members: list[_Member], start: datetime) -> _Plan:
    window_ids = {m.id for m in members}
    originals = {m.dup_group for m in members if m.dup_group != m.id and m.dup_group not in window_ids}
    original_story: dict[int, int | None] = {}
    for chunk in _chunks(originals):
        original_story.update(Article.objects.filter(id__in=chunk).values_list("id", "story_id"))
    fresh = itertools.count(-1, -1)
    clusterer = OnlineStoryClusterer.restore(
        _seed(start), idf=IdfModel(), config=CONFIG, new_story_id=lambda: next(fresh)
    )
    _overrides(clusterer, start)
    plan = _Plan(story_of={}, records={}, seeded=set(clusterer.state.stories))  # type: ignore[arg-type]
    for m in members:
        pinned = m.id in clusterer.state.pins
        keep_locked = not pinned and m.locked and m.story_id is not None
        if keep_locked:
            clusterer.pin(m.id, m.story_id)
        copy_of = None if pinned or keep_locked else _copy_target(m, plan, original_story)
        if copy_of is not None and (
            copy_of not in clusterer.state.stories or (m.id, copy_of) in clusterer.state.forbidden
        ):
            copy_of = None
        if copy_of is not None:  # for this article only, as story_assign pins a copy
            clusterer.pin(m.id, copy_of)
        doc = StoryDoc(id=m.id, title="", text="", time=m.time.timestamp(), source=_src(m), vector=m.vector)
        assignment = clusterer.add(doc)
        if copy_of is not None:
            clusterer.state.pins.pop(m.id, None)
        story_id = int(assignment.story_id)  # type: ignore[call-overload]
        for dropped in assignment.merged:
            plan.merged[int(dropped)] = story_id  # type: ignore[call-overload]
            plan.records.pop(int(dropped), None)  # type: ignore[call-overload]
        if keep_locked:
            clusterer.lock(story_id)
        plan.records[story_id] = clusterer.state.stories[story_id]
        plan.story_of[m.id] = story_id
    return plan


def _src(m: _Member) -> str | None:
    return str(m.source_id) if m.source_id else None


def _copy_target(m: _Member, plan: _Plan, original_story: dict[int, int | None]) -> int | None:
    """A copy joins its original's story (the first article of its near-duplicate group)."""
    if m.dup_group == m.id:
        return None
    target = plan.story_of.get(m.dup_group, original_story.get(m.dup_group))
    return None if target is None else plan.resolve(target)


# -- step 3: apply ----------------------------------------------------------------------------------------


def _apply(
    plan: _Plan, members: list[_Member], start: datetime, marker: tuple[Any, ...], result: ReclusterResult
) -> list[int]:
    """Write the replay's stories in one transaction under the cluster lock; returns the late articles."""
    with _cache_lock, _locked() as (version, _):
        if _operator_marker() != marker:
            raise ReclusterConflict("an operator changed stories while the recluster ran: run it again")
        current = dict(Article.objects.filter(sort_at__gte=start).values_list("id", "story_id"))
        before = {m.id: current[m.id] for m in members if m.id in current}
        final = {aid: plan.resolve(plan.story_of[aid]) for aid in before}
        real = _story_ids(plan, final, before, start, result)
        placed = {aid: real[sid] for aid, sid in final.items()}
        moved = [aid for aid, sid in placed.items() if before[aid] != sid]
        for target, aids in _group(moved, placed).items():
            for chunk in _chunks(aids):
                Article.objects.filter(id__in=chunk).update(story_id=target)
        # Existing stories the replay merged away: their older articles follow them.
        absorbed = {sid: real[plan.resolve(sid)] for sid in plan.merged if sid > 0}
        for sid, target in absorbed.items():
            Article.objects.filter(story_id=sid).update(story_id=target)
        touched = {sid for sid in before.values() if sid} | set(absorbed)
        changed = (
            {placed[a] for a in moved} | {before[a] for a in moved if before[a]} | set(absorbed.values())
        )
        late = [aid for aid, sid in current.items() if aid not in before and sid in touched | changed]
        for chunk in _chunks(late):
            Article.objects.filter(id__in=chunk).update(story_id=None)
        targets = set(placed.values())
        result.emptied = _close(touched - targets, placed, before, absorbed)
        records = {real[sid]: record for sid, record in plan.records.items() if real.get(sid) in targets}
        _rewrite({sid: records[sid] for sid in targets & (changed | {current[a] for a in late})})
        result.moved, result.stories_after = len(moved), len(targets)
        _bump(version)
    reset_cache()
    return late


def _group(ids: list[int], placed: dict[int, int]) -> dict[int, list[int]]:
    grouped: dict[int, list[int]] = {}
    for aid in ids:
        grouped.setdefault(placed[aid], []).append(aid)
    return grouped


def _story_ids(
    plan: _Plan,
    final: dict[int, int],
    before: Mapping[int, int | None],
    start: datetime,
    result: ReclusterResult,
) -> dict[int, int]:
    """Replay story id -> real story id: a cluster the replay opened keeps the id of the story most of
    its articles were in, when that story has no other articles and no other cluster claimed it."""
    real = {sid: sid for sid in set(final.values()) if sid > 0}
    opened: dict[int, Counter[int]] = {}
    for aid, sid in final.items():
        if sid < 0:
            counts = opened.setdefault(sid, Counter())
            if before[aid]:
                counts[before[aid]] += 1  # type: ignore[index]
    wanted = {old for counts in opened.values() for old in counts}
    taken = set(real) | set(plan.merged) | plan.seeded
    for chunk in _chunks(wanted):
        taken |= set(Story.objects.filter(id__in=chunk, locked=True).values_list("id", flat=True))
        older = Article.objects.filter(story_id__in=chunk, sort_at__lt=start)
        taken |= set(older.values_list("story_id", flat=True).distinct())
    pairs = sorted((-n, -sid, old) for sid, counts in opened.items() for old, n in counts.items())
    for _, negative, old in pairs:
        if -negative not in real and old not in taken:
            real[-negative] = old
            taken.add(old)
    for sid in sorted(set(opened) - set(real), reverse=True):
        record = plan.records[sid]
        first = datetime.fromtimestamp(record.first_time, tz=UTC)
        real[sid] = Story.objects.create(title="", first_seen_at=first, updated_at=first).id
        result.created += 1
    return real


def _close(
    stories: set[int], placed: dict[int, int], before: Mapping[int, int | None], absorbed: dict[int, int]
) -> int:
    """Stories that lost their window articles: refreshed when older articles remain, else pointed at
    the story that took most of their articles (their pages redirect there). Returns how many closed."""
    remaining: set[int] = set()
    for chunk in _chunks(stories):
        found = Article.objects.filter(story_id__in=chunk).values_list("story_id", flat=True).distinct()
        remaining.update(s for s in found if s is not None)
    for sid in sorted(remaining):
        _story_refresh(sid)
    successors: dict[int, Counter[int]] = {}
    for aid, old in before.items():
        if old in stories and old not in remaining:
            successors.setdefault(old, Counter())[placed[aid]] += 1
    closing: dict[int, list[int]] = {}
    for sid in sorted(stories - remaining):
        heir = absorbed.get(sid) or successors[sid].most_common(1)[0][0]
        closing.setdefault(heir, []).append(sid)
    for heir, ids in closing.items():
        for chunk in _chunks(ids):
            Story.objects.filter(merged_into_id__in=chunk).update(merged_into_id=heir)
            Story.objects.filter(id__in=chunk).update(
                merged_into_id=heir, centroid={}, article_count=0, source_count=0, keywords=[]
            )
    return sum(len(ids) for ids in closing.values())


def _rewrite(records: dict[int, StoryRecord]) -> None:
    """Centroid, times, counts, title and keywords of each story, from the replay and its articles."""
    for chunk in _chunks(sorted(records)):
        members = Article.objects.filter(story_id__in=chunk)
        stats = {
            row["story_id"]: row
            for row in members.values("story_id").annotate(
                n=Count("id", distinct=True),
                s=Count("entries__source", distinct=True),
                first=Min("sort_at"),
                last=Max("sort_at"),
            )
        }
        titles: dict[int, str] = {}
        for sid, title in members.order_by("story_id", "sort_at", "id").values_list("story_id", "title"):
            titles.setdefault(sid, title)  # type: ignore[arg-type]
        keywords = _keywords_by_story(chunk)
        for sid in chunk:
            row = stats.get(sid)
            if row is None:
                continue  # its articles were all late ones, assigned again afterwards
            record = records[sid]
            Story.objects.filter(id=sid).update(
                merged_into=None,
                centroid=record.to_json(),
                title=titles[sid],
                first_seen_at=row["first"],
                updated_at=row["last"],
                article_count=row["n"],
                source_count=row["s"],
                keywords=_keywords_tally([keywords.get(sid, [])]),
            )


def _keywords_by_story(story_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    by_story: dict[int, list[int]] = {}
    for aid, sid in Article.objects.filter(story_id__in=story_ids).values_list("id", "story_id"):
        by_story.setdefault(sid, []).append(aid)  # type: ignore[arg-type]
    return {sid: _article_keywords(aids) for sid, aids in by_story.items()}
