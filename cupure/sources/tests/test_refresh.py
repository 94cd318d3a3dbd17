"""An ingestion pass against real loopback servers: what an operator and a reader would notice."""

from __future__ import annotations

import logging

import pytest

from cupure.articles.models import Article, Entry
from cupure.lib.logfmt import KeyValueFormatter
from cupure.sources.models import Source
from cupure.sources.services import sources_refresh
from cupure.sources.tests.newssite import NewsSite, make_source

pytestmark = pytest.mark.django_db


def test_a_pass_stores_every_article_of_rss_atom_and_json_feeds(news_site: NewsSite) -> None:
    for name in ("world.rss", "science.atom", "sport.json"):
        make_source(news_site.serve(name), name=name)

    stats = sources_refresh()

    assert stats.summary_line() == "fetched=3 unchanged=0 failed=0 new=6 updated=0 duplicate=0"
    assert Article.objects.count() == 6
    barrier = Article.objects.get(title="River authority opens the new Elmbrook flood barrier")
    assert barrier.author == "Mara Quint"
    assert barrier.canonical_url.endswith("/world/elmbrook-barrier")  # tracking parameters stripped
    assert "<p>" in barrier.body_html and barrier.extraction_method == "feed"
    assert barrier.language == "en"
    assert Source.objects.filter(error_count=0, last_status=200).count() == 3


def test_a_second_pass_sends_validators_gets_304_and_stores_nothing(news_site: NewsSite) -> None:
    url = news_site.serve("world.rss", etag='"v1"')
    make_source(url)
    sources_refresh()
    news_site.server.add("/feeds/world.rss", b"", status=304, headers={"ETag": '"v1"'})

    stats = sources_refresh()

    assert stats.summary_line() == "fetched=0 unchanged=1 failed=0 new=0 updated=0 duplicate=0"
    assert news_site.server.requests("/feeds/world.rss")[-1]["if-none-match"] == '"v1"'
    assert Source.objects.get().etag == '"v1"'
    assert Article.objects.count() == 3


def test_refetching_an_unchanged_document_adds_nothing(news_site: NewsSite) -> None:
    make_source(news_site.serve("world.rss"))
    sources_refresh()

    stats = sources_refresh()

    assert (stats.new, stats.updated, stats.duplicate) == (0, 0, 0)
    assert Entry.objects.count() == 3


def test_a_truncated_feed_gets_its_full_text_from_the_article_pages(news_site: NewsSite) -> None:
    news_site.serve_pages()
    make_source(news_site.serve("truncated.rss"))

    sources_refresh()

    cycle = Article.objects.get(title="Council approves the riverside cycle path")
    # The page's JSON-LD articleBody, or trafilatura's rendering of the same text when it holds all of
    # it and a little more (a standfirst the CMS left out of the JSON-LD copy): either way, the page.
    assert cycle.extraction_method in ("jsonld", "trafilatura")
    assert cycle.author == "Dana Rook"
    assert "nine votes to two" in cycle.body_text and "before the summer holidays" in cycle.body_text
    assert cycle.image_url.endswith("/img/path.jpg")
    market = Article.objects.get(title="Market hall gets a new roof")
    assert "iron lantern" in market.body_text
    assert "Other story one" not in market.body_text  # related-links block left out


def test_pages_that_robots_txt_disallows_are_never_fetched(news_site: NewsSite) -> None:
    news_site.serve_pages()
    make_source(news_site.serve("truncated.rss"))

    sources_refresh()

    assert news_site.server.hits("/private/members.html") == 0
    members = Article.objects.get(title="A page the site does not want crawled")
    assert "robots" in members.extraction_method and members.body_text == "Members only."


def test_the_same_article_in_two_sources_is_one_article_with_two_entries(news_site: NewsSite) -> None:
    make_source(news_site.serve("world.rss"), name="Testfield World")
    make_source(news_site.serve("world.rss", "/mirror/world.rss"), name="Mirror")

    stats = sources_refresh()

    assert (stats.new, stats.duplicate) == (3, 3)
    assert Article.objects.count() == 3
    assert Entry.objects.count() == 6


def test_a_500_is_recorded_on_the_source_with_backoff_and_nothing_else_changes(news_site: NewsSite) -> None:
    url = news_site.server.add("/feeds/broken.rss", b"oops", status=500)
    source = make_source(url)

    stats = sources_refresh()

    source.refresh_from_db()
    assert stats.failed == 1
    assert (source.last_error_kind, source.last_status, source.error_count) == ("http_status", 500, 1)
    assert source.next_fetch_at is not None and source.lease_until is None
    assert Article.objects.count() == 0


def test_the_log_line_for_a_failed_fetch_names_the_feed_and_the_error(news_site: NewsSite, caplog) -> None:  # type: ignore[no-untyped-def]
    url = news_site.server.add("/feeds/broken.rss", b"oops", status=500)
    make_source(url)

    with caplog.at_level(logging.WARNING, logger="cupure.sources"):
        sources_refresh()

    # Formatted as the operator's console shows it, by the formatter LOGGING gives the console.
    (formatter,) = [
        h.formatter for h in logging.getLogger().handlers if isinstance(h.formatter, KeyValueFormatter)
    ]
    (line,) = [formatter.format(r) for r in caplog.records if r.getMessage() == "source fetch failed"]
    assert f"url={url}" in line and "kind=http_status" in line and "status=500" in line
    assert 'error="HTTP 500' in line


def test_consecutive_errors_back_off_exponentially(news_site: NewsSite) -> None:
    source = make_source(news_site.server.add("/feeds/broken.rss", b"", status=503))
    gaps = []
    for _ in range(3):
        sources_refresh()
        source.refresh_from_db()
        gaps.append((source.next_fetch_at - source.last_fetched_at).total_seconds())
    assert gaps[0] < gaps[1] < gaps[2]


def test_an_html_page_instead_of_a_feed_is_reported_as_not_a_feed(news_site: NewsSite) -> None:
    source = make_source(news_site.serve("home.html", "/"))

    sources_refresh()

    source.refresh_from_db()
    assert source.last_error_kind == "parse_error"
    assert "HTML" in source.last_error


def test_a_redirect_to_a_loopback_address_is_refused_when_not_allowed(news_site: NewsSite, settings) -> None:  # type: ignore[no-untyped-def]
    settings.FETCH_ALLOW_CIDRS = []
    source = make_source("http://127.0.0.1:9/feed.rss")

    sources_refresh()

    source.refresh_from_db()
    assert source.last_error_kind == "blocked_destination"
    assert "CUPURE_FETCH_ALLOW_CIDRS" in source.last_error


def test_two_overlapping_passes_never_fetch_one_source_twice(news_site: NewsSite) -> None:
    from datetime import timedelta

    from django.utils import timezone

    source = make_source(news_site.serve("world.rss"))
    Source.objects.filter(id=source.id).update(lease_until=timezone.now() + timedelta(minutes=5))

    stats = sources_refresh()

    assert stats.fetched == 0 and news_site.server.hits("/feeds/world.rss") == 0


def test_an_article_page_that_is_a_frameset_keeps_the_feed_text_and_the_other_entries(
    news_site: NewsSite,
) -> None:
    # An old site's page made of frames has no <body>; extracting it once raised and cost the whole feed.
    news_site.serve_pages()
    news_site.server.add(
        "/articles/framed.html",
        b"<html><head><title>Framed</title></head><frameset><frame src='/menu'><frame src='/text'>"
        b"</frameset></html>",
        headers={"Content-Type": "text/html; charset=utf-8"},
    )
    base = news_site.server.url("").rstrip("/")
    items = "".join(
        f"<item><title>{title}</title><link>{base}/articles/{page}</link><guid>{page}</guid>"
        f"<description>{summary}</description></item>"
        for title, page, summary in (
            ("Harbour board meets in the old framed hall", "framed.html", "The board met on Monday…"),
            ("Market hall gets a new roof", "market-hall.html", "Work on the market hall roof starts…"),
        )
    )
    feed = f"<?xml version='1.0'?><rss version='2.0'><channel><title>Frames</title>{items}</channel></rss>"
    make_source(
        news_site.server.add(
            "/feeds/frames.rss", feed.encode(), headers={"Content-Type": "application/rss+xml"}
        )
    )

    stats = sources_refresh()

    assert stats.failed == 0 and Article.objects.count() == 2
    framed = Article.objects.get(title="Harbour board meets in the old framed hall")
    assert framed.extraction_method.startswith("feed-partial") and "board met on Monday" in framed.body_text
    assert "iron lantern" in Article.objects.get(title="Market hall gets a new roof").body_text
