"""Similar News re-ranks its best related candidates with the cross-language pair scorer."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cupure.articles.models import Article
from cupure.stories.models import PairIdf
from cupure.stories.selectors import similar_articles
from cupure.stories.services import story_split
from cupure.stories.services.pair_idf import pair_idf_refresh
from cupure.stories.tests import helpers as h
from cupure.worker.tasks import pair_idf_refresh_task

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)
GERMAN_REPORT = (
    "Sturm Ellen: Hafenmauer in Brightport gebrochen, 300 Häuser evakuiert",
    "Der Sturm Ellen hat in Brightport die Hafenmauer am Fährterminal durchbrochen. Das Wasser erreichte "
    "den Marktplatz, 300 Häuser wurden evakuiert. Die Fähre nach Kellsay fällt aus, teilte der Rat von "
    "Brightport mit.",
)
# Another event in the same town, written with many of the flood report's words.
HOUSING_PLAN = (
    "Brightport council approves 300 new homes near the market square",
    "Brightport council on Tuesday approved plans for 300 new homes near the market square and the old "
    "town. Building starts next spring, the council said, and the ferry terminal car park will be moved.",
)


def _lead_with_two_related_stories(outlets):  # type: ignore[no-untyped-def]
    courier, wire, gazette = outlets
    lead = h.published(courier, *h.FLOOD, age=5 * HOUR)
    german = h.published(wire, *GERMAN_REPORT, age=4 * HOUR)
    housing = h.published(gazette, *HOUSING_PLAN, age=3 * HOUR)
    # Each its own story, as an operator would split them: both are then "related", not "same story".
    for other in (german, housing):
        if Article.objects.get(id=other.id).story_id == lead.story_id:
            story_split(story_id=lead.story_id, article_ids=[other.id])
    lead.refresh_from_db()
    return lead, german, housing


def test_similar_news_ranks_the_same_event_in_german_above_a_local_story_sharing_its_words(outlets) -> None:  # type: ignore[no-untyped-def]
    lead, german, housing = _lead_with_two_related_stories(outlets)

    # Before the worker's first snapshot the pair scorer counts the candidates themselves.
    assert not PairIdf.objects.exists()
    assert [a.id for a in similar_articles(article=lead)] == [german.id, housing.id]

    pair_idf_refresh_task()
    assert PairIdf.objects.get().articles == 3
    assert [a.id for a in similar_articles(article=lead)] == [german.id, housing.id]


def test_the_pair_idf_refresh_counts_the_latest_visible_articles_only(outlets) -> None:  # type: ignore[no-untyped-def]
    courier, wire, gazette = outlets
    h.published(courier, *h.FLOOD, age=3 * HOUR)
    h.published(wire, *h.FLOOD_OTHER, age=2 * HOUR)
    hidden = h.published(gazette, *h.RATES, age=HOUR)
    Article.objects.filter(id=hidden.id).update(hidden=True)

    assert pair_idf_refresh() == 2
    assert pair_idf_refresh(limit=1) == 1
    snapshot = PairIdf.objects.get()
    assert snapshot.articles == 1 and snapshot.data["n_docs"] == 1 and snapshot.saved_at is not None
