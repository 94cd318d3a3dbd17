"""Story clustering in the database: assignment, near-duplicates, Similar News, operator decisions."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cupure.articles.models import Article
from cupure.stories.models import ArticleSignature, NearDupKey, Story, StoryOverride
from cupure.stories.selectors import neardup_group, similar_articles, story_detail, top_stories
from cupure.stories.services import story_assign, story_merge, story_split
from cupure.stories.tests import helpers as h

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)


def test_two_outlets_articles_on_one_event_join_one_story_and_a_different_event_does_not(outlets) -> None:  # type: ignore[no-untyped-def]
    courier, wire, gazette = outlets
    first = h.published(courier, *h.FLOOD, age=3 * HOUR)
    second = h.published(wire, *h.FLOOD_OTHER, age=2 * HOUR)
    rates = h.published(gazette, *h.RATES, age=HOUR)

    assert first.story_id is not None and second.story_id == first.story_id
    assert rates.story_id not in (None, first.story_id)
    story = Story.objects.get(id=first.story_id)
    assert (story.article_count, story.source_count) == (2, 2)
    assert story.title == h.FLOOD[0]  # the earliest article leads
    assert story.first_seen_at == first.sort_at and story.updated_at == second.sort_at
    assert story.centroid["size"] == 2 and story.centroid["centroid"]
    assert "brightport" in [k["key"] for k in story.keywords]


def test_assigning_again_changes_nothing_and_an_edit_keeps_the_story_but_refreshes_the_signature(
    outlets,
) -> None:  # type: ignore[no-untyped-def]
    courier, wire, _ = outlets
    first = h.published(courier, *h.FLOOD, age=2 * HOUR)
    before = ArticleSignature.objects.get(article=first)
    assert story_assign(article_id=first.id) == first.story_id
    assert Story.objects.count() == 1 and NearDupKey.objects.filter(article=first).count() == 42

    edited = h.article(
        courier, h.FLOOD[0], h.FLOOD[1] + " The coastguard rescued 12 people.", url=first.url, age=2 * HOUR
    )
    assert edited.id == first.id
    assert story_assign(article_id=first.id) == first.story_id
    after = ArticleSignature.objects.get(article=first)
    assert after.content_hash != before.content_hash and after.minhash != before.minhash
    assert NearDupKey.objects.filter(article=first).count() == 42
    assert story_assign(article_id=999_999) is None


def test_syndicated_copies_under_different_urls_are_grouped(outlets) -> None:  # type: ignore[no-untyped-def]
    courier, wire, gazette = outlets
    original = h.published(courier, "Orchestra conductor Halvorsen to leave", h.SYNDICATED, age=3 * HOUR)
    copy = h.published(
        wire,
        "Halvorsen quits Meridian Orchestra",
        "<p>By Wire staff.</p>" + h.SYNDICATED + "<p>Copyright Meridian Wire. All rights reserved.</p>",
        url="https://wire.example/culture/halvorsen-quits",
        age=2 * HOUR,
    )
    other = h.published(gazette, *h.RATES, age=HOUR)

    assert copy.url != original.url and copy.story_id == original.story_id
    groups = dict(ArticleSignature.objects.values_list("article_id", "dup_group"))
    assert groups[copy.id] == groups[original.id] == original.id and groups[other.id] == other.id
    assert [s.slug for s in neardup_group(article=copy)] == ["wire", "courier"]
    assert [s.slug for s in neardup_group(article=other)] == ["gazette"]


def test_similar_news_puts_the_same_story_first_and_other_sources_before_the_same_source(outlets) -> None:  # type: ignore[no-untyped-def]
    courier, wire, gazette = outlets
    agency = h.source("agency", "Agency")
    lead = h.published(courier, *h.FLOOD, age=5 * HOUR)
    follow_up = h.published(
        courier,
        "Brightport harbour wall: Storm Ellen repairs to take months",
        "Engineers said the Brightport harbour wall broken by Storm Ellen will take months to repair. "
        "The ferry to Kellsay stays cancelled and the market square is still closed after the flood.",
        age=4 * HOUR,
    )
    other_source = h.published(wire, *h.FLOOD_OTHER, age=3 * HOUR)
    # A copy of the lead under another URL: never shown as "similar" to the text it copies.
    own_copy = h.published(
        gazette, "Harbour flooded", f"<p>{h.FLOOD[1]}</p>", url="https://gazette.example/flood", age=2 * HOUR
    )
    # Two copies of one related text: one item listing both sources.
    related_text = (
        "<p>Kellsay ferry operator Northsea Lines said on Wednesday that the ferry will not sail until the "
        "Brightport terminal damaged by Storm Ellen is inspected. Northsea Lines runs 14 crossings a day and "
        "said 2,300 passengers had booked for the weekend, with refunds offered to all of them.</p>"
    )
    related = h.published(
        agency, "Northsea Lines halts Kellsay ferry after Storm Ellen", related_text, age=HOUR
    )
    related_copy = h.published(
        wire, "Kellsay ferry halted", related_text, url="https://wire.example/ferry-halted", age=HOUR / 2
    )
    unrelated = h.published(gazette, *h.RATES, age=HOUR)

    similar = similar_articles(article=lead, limit=8)
    ids = [a.id for a in similar]
    assert lead.id not in ids and own_copy.id not in ids and unrelated.id not in ids
    assert other_source.id in ids and follow_up.id in ids
    same_story = [a.story_id == lead.story_id for a in similar]
    assert same_story == sorted(same_story, reverse=True)  # the lead's story first, then related ones
    in_story = [a for a in similar if a.story_id == lead.story_id]
    own_source = [a.primary_source_id == lead.primary_source_id for a in in_story]
    assert own_source == sorted(own_source) and own_source[-1]  # other sources first, the lead's own last
    copies = [a for a in similar if a.id in (related.id, related_copy.id)]
    assert len(copies) == 1  # two copies of one text: one item...
    assert {s.slug for s in copies[0].copy_sources} == {"agency", "wire"}  # type: ignore[attr-defined]
    assert all(a.primary_source is not None for a in similar)
    # Read again from the kept ranking: the same items, the same folded copies.
    kept = similar_articles(article=lead, limit=8)
    assert [a.id for a in kept] == ids
    assert [[s.slug for s in a.copy_sources] for a in kept] == [
        [s.slug for s in a.copy_sources] for a in similar
    ]  # type: ignore[attr-defined]


def test_similar_news_runs_in_a_few_queries(outlets, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    courier, wire, gazette = outlets
    lead = h.published(courier, *h.FLOOD, age=3 * HOUR)
    for n in range(6):
        h.published(wire, f"{h.FLOOD_OTHER[0]} ({n})", h.FLOOD_OTHER[1] + f" Update {n}.", age=2 * HOUR)
        h.published(gazette, f"{h.RATES[0]} ({n})", h.RATES[1] + f" Note {n}.", age=HOUR)
    with django_assert_max_num_queries(4):
        similar = similar_articles(article=lead, limit=8)
        assert [a.primary_source.name for a in similar]  # sources are joined, not fetched one by one


def test_an_operator_merge_is_respected_by_later_assignment(outlets) -> None:  # type: ignore[no-untyped-def]
    courier, wire, gazette = outlets
    flood = h.published(courier, *h.FLOOD, age=4 * HOUR)
    rates = h.published(gazette, *h.RATES, age=3 * HOUR)
    assert flood.story_id != rates.story_id

    into = story_merge(story_ids=[flood.story_id, rates.story_id], into_id=flood.story_id)
    assert into.id == flood.story_id and (into.article_count, into.source_count) == (2, 2)
    assert Story.objects.get(id=rates.story_id).merged_into_id == into.id
    assert Article.objects.get(id=rates.id).story_id == into.id

    later = h.published(wire, "Interest rates: central bank lifts rate to 5.25 percent", h.RATES[1], age=HOUR)
    assert later.story_id == into.id  # joins the merged story; the absorbed one never comes back
    assert Story.objects.filter(merged_into__isnull=True).count() == 1
    assert story_assign(article_id=rates.id) == into.id


def test_an_operator_split_is_respected_by_later_assignment(outlets) -> None:  # type: ignore[no-untyped-def]
    courier, wire, gazette = outlets
    first = h.published(courier, *h.FLOOD, age=5 * HOUR)
    second = h.published(wire, *h.FLOOD_OTHER, age=4 * HOUR)
    old_id = first.story_id
    assert second.story_id == old_id

    new = story_split(story_id=old_id, article_ids=[second.id])
    assert new.locked and new.id != old_id
    assert Article.objects.get(id=second.id).story_id == new.id
    assert StoryOverride.objects.filter(article=second, story_id=old_id, kind="forbid").exists()
    assert Story.objects.get(id=old_id).article_count == 1 and new.article_count == 1

    # Later articles on the same event join one of the two, but the two never merge back together.
    third = h.published(
        gazette, "Storm Ellen: Brightport harbour flooded", h.FLOOD[1] + " More rain is due.", age=HOUR
    )
    assert third.story_id in (old_id, new.id)
    assert Article.objects.get(id=second.id).story_id == new.id
    assert (
        Story.objects.get(id=old_id).merged_into_id is None
        and Story.objects.get(id=new.id).merged_into_id is None
    )
    edited = h.article(wire, h.FLOOD_OTHER[0], h.FLOOD_OTHER[1] + " Updated.", url=second.url, age=4 * HOUR)
    assert story_assign(article_id=edited.id) == new.id


def test_splitting_every_article_out_points_the_old_story_at_the_new_one(outlets) -> None:  # type: ignore[no-untyped-def]
    courier, _, _ = outlets
    only = h.published(courier, *h.FLOOD, age=HOUR)
    new = story_split(story_id=only.story_id, article_ids=[only.id])
    assert Story.objects.get(id=only.story_id).merged_into_id == new.id
    with pytest.raises(ValueError):
        story_split(story_id=new.id, article_ids=[123_456])


def test_the_story_detail_folds_copies_and_orders_sources_by_first_report(outlets) -> None:  # type: ignore[no-untyped-def]
    courier, wire, gazette = outlets
    first = h.published(courier, *h.FLOOD, age=3 * HOUR)
    h.published(wire, *h.FLOOD_OTHER, age=2 * HOUR)
    h.published(
        gazette, "Harbour flooded", f"<p>{h.FLOOD[1]}</p>", url="https://gazette.example/flood", age=HOUR
    )

    detail = story_detail(story_id=first.story_id)
    assert detail is not None and detail.first == first
    assert [s.slug for s in detail.sources] == ["courier", "wire", "gazette"]
    assert len(detail.timeline) == 3 and len(detail.items) == 2
    assert [s.slug for s in detail.items[0].sources] == ["courier", "gazette"]
    assert story_detail(story_id=987_654) is None


def test_top_stories_rank_by_sources_and_fill_with_loose_articles(outlets) -> None:  # type: ignore[no-untyped-def]
    courier, wire, gazette = outlets
    lead = h.published(courier, *h.FLOOD, age=3 * HOUR)
    h.published(wire, *h.FLOOD_OTHER, age=2 * HOUR)
    rates = h.published(gazette, *h.RATES, age=HOUR)
    loose = h.article(gazette, "A loose article nobody clustered", "<p>Nothing to see.</p>")

    cards = top_stories(limit=8)
    assert cards[0].story_id == lead.story_id and cards[0].lead == lead and cards[0].source_count == 2
    assert [a.primary_source.slug for a in cards[0].others] == ["wire"]
    assert cards[1].story_id == rates.story_id and cards[1].source_count == 1
    assert cards[-1].story_id is None and cards[-1].lead == loose


def test_similar_news_keeps_its_ranking_until_the_site_changes_but_never_shows_a_hidden_article(
    outlets, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    from cupure.lib.pagecache import bump_page_cache

    courier, wire, gazette = outlets
    lead = h.published(courier, *h.FLOOD, age=3 * HOUR)
    other = h.published(wire, *h.FLOOD_OTHER, age=2 * HOUR)
    bump_page_cache()  # as the feed refresh that stored them does
    assert [a.id for a in similar_articles(article=lead)] == [other.id]

    later = h.published(
        gazette,
        "Brightport harbour wall: Storm Ellen repairs to take months",
        "Engineers said the Brightport harbour wall broken by Storm Ellen will take months to repair. "
        "The ferry to Kellsay stays cancelled and the market square is still closed after the flood.",
        age=HOUR,
    )
    with django_assert_max_num_queries(2):  # the kept ranking: its cards and their sources are read again
        kept = similar_articles(article=lead)
        assert [(a.id, a.primary_source.name) for a in kept] == [(other.id, "Meridian Wire")]
    Article.objects.filter(id=other.id).update(hidden=True)
    assert similar_articles(article=lead) == []  # hidden since: gone at once, even from a kept ranking

    Article.objects.filter(id=other.id).update(hidden=False)
    bump_page_cache()
    assert {a.id for a in similar_articles(article=lead)} == {other.id, later.id}
