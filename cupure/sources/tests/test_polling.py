"""Polite polling: the publisher's hints set the schedule, and moves are followed safely."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cupure.sources.models import Source
from cupure.sources.services import sources_refresh
from cupure.sources.tests.newssite import NewsSite, make_source

pytestmark = pytest.mark.django_db


def test_the_feeds_ttl_sets_the_next_fetch(news_site: NewsSite, settings) -> None:  # type: ignore[no-untyped-def]
    settings.POLL_MIN_SECONDS = 60
    source = make_source(news_site.serve("world.rss"))  # <ttl>30</ttl>

    sources_refresh()

    source.refresh_from_db()
    assert source.interval_seconds >= 30 * 60
    assert source.next_fetch_at - source.last_fetched_at == timedelta(seconds=source.interval_seconds)


def test_retry_after_on_a_429_is_respected_and_capped_at_a_day(news_site: NewsSite) -> None:
    url = news_site.server.add("/busy.rss", b"", status=429, headers={"Retry-After": "999999999"})
    source = make_source(url)

    sources_refresh()

    source.refresh_from_db()
    assert source.last_error_kind == "http_status" and source.last_status == 429
    assert source.next_fetch_at - source.last_fetched_at == timedelta(hours=24)


def test_a_permanent_redirect_moves_the_stored_feed_url(news_site: NewsSite) -> None:
    new_url = news_site.serve("world.rss", "/new/world.rss")
    old_url = news_site.server.redirect("/old/world.rss", new_url, status=301)
    source = make_source(old_url)

    sources_refresh()

    source.refresh_from_db()
    assert source.feed_url == new_url and source.error_count == 0


def test_a_permanent_redirect_to_another_sources_feed_does_not_duplicate_it(news_site: NewsSite) -> None:
    target = news_site.serve("world.rss", "/taken.rss")
    make_source(target, name="First")
    moved = make_source(news_site.server.redirect("/moved.rss", target, status=301), name="Second")

    sources_refresh()

    moved.refresh_from_db()
    assert moved.feed_url.endswith("/moved.rss")
    assert Source.objects.filter(feed_url=target).count() == 1


def test_the_admin_shows_each_sources_error_and_can_fetch_now(news_site: NewsSite, admin_client) -> None:  # type: ignore[no-untyped-def]
    broken = make_source(news_site.server.add("/broken.rss", b"", status=500), name="Broken")
    good = make_source(news_site.serve("world.rss"), name="Good")

    response = admin_client.post(
        "/admin/sources/source/",
        {"action": "fetch_now", "_selected_action": [broken.id, good.id], "index": 0, "select_across": 0},
        follow=True,
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "etched=1" in page and "failed=1" in page  # the admin capitalises messages
    listing = admin_client.get("/admin/sources/source/").content.decode()
    assert "<strong>http_status × 1</strong>: HTTP 500" in listing
    assert "OK (200)" in listing
