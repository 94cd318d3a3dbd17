"""cupure recluster: story assignment run again over the recent window, operator decisions kept."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from cupure.articles.models import Article
from cupure.stories.models import Story, StoryOverride
from cupure.stories.selectors import story_resolve
from cupure.stories.services import recluster, story_merge, story_split
from cupure.stories.services.recluster import ReclusterConflict, ReclusterResult, stories_recluster
from cupure.stories.tests import helpers as h

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)


def split_apart(item: Article) -> Story:
    """What an older, stricter clustering left behind: the article alone in a story of its own."""
    story = Story.objects.create(title=item.title, first_seen_at=item.sort_at, updated_at=item.sort_at)
    Article.objects.filter(id=item.id).update(story=story)
    return story


def memberships() -> dict[int, int | None]:
    return dict(Article.objects.values_list("id", "story_id"))


def test_recluster_joins_an_event_left_in_two_stories_and_the_emptied_story_redirects(outlets) -> None:  # type: ignore[no-untyped-def]
    courier, wire, gazette = outlets
    first = h.published(courier, *h.FLOOD, age=3 * HOUR)
    second = h.published(wire, *h.FLOOD_OTHER, age=2 * HOUR)
    rates = h.published(gazette, *h.RATES, age=HOUR)
    stray = split_apart(second)

    result = stories_recluster(days=1)

    after = memberships()
    assert after[first.id] == after[second.id] == first.story_id and after[rates.id] == rates.story_id
    assert (result.articles, result.stories_before, result.stories_after) == (3, 3, 2)
    assert (result.moved, result.created, result.emptied, result.late) == (1, 0, 1, 0)
    story = Story.objects.get(id=first.story_id)
    assert (story.article_count, story.source_count, story.title) == (2, 2, h.FLOOD[0])
    assert story.centroid["size"] == 2 and story.merged_into_id is None
    assert story_resolve(stray.id) == story  # the emptied story's page redirects to its successor
    assert Story.objects.get(id=stray.id).article_count == 0


def test_running_recluster_twice_moves_nothing_the_second_time(outlets) -> None:  # type: ignore[no-untyped-def]
    courier, wire, gazette = outlets
    h.published(courier, *h.FLOOD, age=3 * HOUR)
    split_apart(h.published(wire, *h.FLOOD_OTHER, age=2 * HOUR))
    h.published(gazette, *h.RATES, age=HOUR)
    stories_recluster(days=1)
    settled = memberships()

    again = stories_recluster(days=1)

    assert memberships() == settled
    assert (again.moved, again.created, again.emptied, again.stories_after) == (0, 0, 0, 2)


def test_recluster_keeps_operator_splits_and_merges(outlets) -> None:  # type: ignore[no-untyped-def]
    courier, wire, gazette = outlets
    first = h.published(courier, *h.FLOOD, age=5 * HOUR)
    second = h.published(wire, *h.FLOOD_OTHER, age=4 * HOUR)
    split = story_split(story_id=first.story_id, article_ids=[second.id])  # the operator: two events
    rates = h.published(gazette, *h.RATES, age=3 * HOUR)
    other = h.published(courier, "Orchestra conductor Halvorsen to leave", h.SYNDICATED, age=2 * HOUR)
    merged = story_merge(story_ids=[rates.story_id, other.story_id], into_id=rates.story_id)  # one story
    before = memberships()
    assert before[second.id] == split.id and before[other.id] == merged.id == before[rates.id]
    assert StoryOverride.objects.filter(kind="pin", story=merged).count() == 2

    result = stories_recluster(days=1)

    assert memberships() == before and result.moved == 0


def test_recluster_leaves_articles_older_than_the_window_alone(outlets) -> None:  # type: ignore[no-untyped-def]
    courier, wire, _ = outlets
    old = h.published(courier, *h.FLOOD, age=50 * HOUR)
    recent = h.published(wire, *h.RATES, age=HOUR)

    result = stories_recluster(days=1)

    assert result.articles == 1
    assert memberships() == {old.id: old.story_id, recent.id: recent.story_id}


def test_recluster_first_assigns_articles_that_were_never_assigned(outlets) -> None:  # type: ignore[no-untyped-def]
    courier, wire, _ = outlets
    first = h.published(courier, *h.FLOOD, age=3 * HOUR)
    backlog = h.article(wire, *h.FLOOD_OTHER, age=2 * HOUR)  # imported, not enriched yet
    assert backlog.story_id is None

    result = stories_recluster(days=1)

    assert result.signed == 1 and memberships()[backlog.id] == first.story_id


def test_an_operator_split_during_the_replay_stops_the_recluster_before_it_writes(outlets) -> None:  # type: ignore[no-untyped-def]
    courier, wire, _ = outlets
    first = h.published(courier, *h.FLOOD, age=3 * HOUR)
    second = h.published(wire, *h.FLOOD_OTHER, age=2 * HOUR)
    start = timezone.now() - timedelta(days=1)
    marker = recluster._operator_marker()
    members = recluster._window_members(start)
    plan = recluster._replay(members, start)
    split = story_split(story_id=first.story_id, article_ids=[second.id])  # meanwhile, in the admin
    settled = memberships()

    with pytest.raises(ReclusterConflict):
        recluster._apply(plan, members, start, marker, ReclusterResult())

    assert memberships() == settled and settled[second.id] == split.id


def test_an_article_the_worker_assigns_during_the_replay_is_assigned_again_afterwards(outlets) -> None:  # type: ignore[no-untyped-def]
    courier, wire, gazette = outlets
    first = h.published(courier, *h.FLOOD, age=3 * HOUR)
    stray = split_apart(h.published(wire, *h.FLOOD_OTHER, age=2 * HOUR))
    start = timezone.now() - timedelta(days=1)
    marker = recluster._operator_marker()
    members = recluster._window_members(start)
    plan = recluster._replay(members, start)
    late = h.published(
        gazette, "Storm Ellen: Brightport harbour flooded", h.FLOOD[1] + " More rain is due.", age=HOUR
    )  # the worker, meanwhile
    assert late.story_id in (first.story_id, stray.id)

    result = ReclusterResult()
    again = recluster._apply(plan, members, start, marker, result)

    assert again == [late.id]
    for article_id in again:
        h.story_assign(article_id=article_id)
    assert set(memberships().values()) == {first.story_id}
    story = Story.objects.get(id=first.story_id)
    assert story.article_count == 3 and Story.objects.get(id=stray.id).merged_into_id == story.id


def test_the_recluster_command_prints_its_summary(outlets) -> None:  # type: ignore[no-untyped-def]
    courier, wire, _ = outlets
    h.published(courier, *h.FLOOD, age=3 * HOUR)
    split_apart(h.published(wire, *h.FLOOD_OTHER, age=2 * HOUR))
    out = io.StringIO()

    call_command("recluster", "--days", "2", stdout=out)

    assert out.getvalue().strip() == (
        "articles=2 stories_before=2 stories_after=1 moved=1 created=0 emptied=1 first_assigned=0 late=0"
    )
