"""Near-duplicate keys are pruned past their window; a pruned article's page still shows Similar News."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from cupure.stories.models import ArticleSignature, NearDupKey
from cupure.stories.selectors import neardup_group, similar_articles
from cupure.stories.services.prune import NEARDUP_WINDOW, neardup_prune
from cupure.stories.tests import helpers as h
from cupure.worker.tasks import neardup_prune_task

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)
PAST = NEARDUP_WINDOW + 5 * HOUR  # published this long ago: past the near-duplicate window


def keys(item) -> int:  # type: ignore[no-untyped-def]
    return NearDupKey.objects.filter(article=item).count()


def test_pruning_deletes_the_keys_of_old_articles_and_keeps_recent_ones(outlets) -> None:  # type: ignore[no-untyped-def]
    courier, wire, _ = outlets
    old = h.published(courier, *h.FLOOD, age=PAST)
    recent = h.published(wire, *h.RATES, age=HOUR)
    assert keys(old) == keys(recent) == 42

    result = neardup_prune(now=h.NOW)

    assert (result.articles, result.keys) == (1, 42)
    assert keys(old) == 0 and ArticleSignature.objects.get(article=old).minhash == {}
    assert keys(recent) == 42 and ArticleSignature.objects.get(article=recent).minhash
    kept = ArticleSignature.objects.get(article=old)
    assert kept.vector and kept.dup_group == old.id  # what Similar News and story pages read stays
    assert neardup_prune(now=h.NOW).articles == 0


def test_pruning_goes_in_bounded_batches_and_the_next_run_finishes(outlets) -> None:  # type: ignore[no-untyped-def]
    courier, wire, gazette = outlets
    olds = [
        h.published(src, *text, age=PAST + n * HOUR)
        for n, (src, text) in enumerate([(courier, h.FLOOD), (wire, h.FLOOD_OTHER), (gazette, h.RATES)])
    ]

    first = neardup_prune(now=h.NOW, batch=1, max_batches=2)
    assert first.articles == 2 and sum(keys(a) for a in olds) == 42

    assert neardup_prune(now=h.NOW, batch=1, max_batches=2).articles == 1
    assert NearDupKey.objects.count() == 0


def test_a_pruned_article_still_shows_similar_news_on_its_page(outlets, client: Client) -> None:  # type: ignore[no-untyped-def]
    courier, wire, gazette = outlets
    first = h.published(courier, *h.FLOOD, age=PAST + 2 * HOUR)
    second = h.published(wire, *h.FLOOD_OTHER, age=PAST + HOUR)
    copy = h.published(
        gazette, "Harbour flooded", f"<p>{h.FLOOD[1]}</p>", url="https://gazette.example/flood", age=PAST
    )
    assert second.story_id == first.story_id == copy.story_id
    neardup_prune(now=h.NOW)
    assert NearDupKey.objects.count() == 0

    assert [a.id for a in similar_articles(article=first)] == [second.id]  # the copy stays folded away
    assert [s.slug for s in neardup_group(article=copy)] == ["gazette", "courier"]
    response = client.get(first.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    similar = html[html.index('id="similar-h"') :]
    assert second.get_absolute_url() in similar and "No similar news yet." not in similar


def test_the_hourly_task_prunes(outlets) -> None:  # type: ignore[no-untyped-def]
    courier, _, _ = outlets
    h.published(courier, *h.FLOOD, age=PAST + NEARDUP_WINDOW)  # past the window by the real clock too

    neardup_prune_task()

    assert NearDupKey.objects.count() == 0
