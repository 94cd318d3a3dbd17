"""The story page, its feed, and the home page's top stories."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client

from cupure.stories.services import story_merge
from cupure.stories.tests import helpers as h

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)


@pytest.fixture
def event():  # type: ignore[no-untyped-def]
    courier, wire, gazette = (
        h.source("courier", "The Courier"),
        h.source("wire", "Meridian Wire"),
        h.source("gazette", "Gazette"),
    )
    first = h.published(courier, *h.FLOOD, age=3 * HOUR)
    second = h.published(wire, *h.FLOOD_OTHER, age=2 * HOUR)
    copy = h.published(
        gazette, "Harbour flooded", f"<p>{h.FLOOD[1]}</p>", url="https://gazette.example/flood", age=HOUR
    )
    rates = h.published(gazette, *h.RATES, age=HOUR)
    return {"first": first, "second": second, "copy": copy, "rates": rates}


def test_the_story_page_lists_every_source_a_timeline_and_who_reported_first(client: Client, event) -> None:  # type: ignore[no-untyped-def]
    first = event["first"]
    response = client.get(f"/story/{first.story_id}/")
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    html = response.content.decode()
    assert f"<h1>{h.FLOOD[0]}</h1>" in html
    assert "3 articles from 3 sources" in html
    assert re.search(r'First reported by\s+<a class="src" href="/source/courier/">The Courier</a>', html)
    for name in ("The Courier", "Meridian Wire", "Gazette"):
        assert name in html
    timeline = html[html.index('<ol class="timeline">') :]
    positions = [
        timeline.index(f'href="{a.get_absolute_url()}"') for a in (first, event["second"], event["copy"])
    ]
    assert positions == sorted(positions)
    assert f'href="{event["second"].get_absolute_url()}"' in html and 'class="card' in html
    assert "The same text was also published by" in html  # the Gazette copy is folded into the Courier text
    assert 'href="/topic/brightport/"' in html
    assert f'href="/story/{first.story_id}/feed/"' in html
    assert h.RATES[0] not in html


def test_a_merged_story_redirects_to_its_survivor_and_an_unknown_story_is_not_found(
    client: Client, event
) -> None:  # type: ignore[no-untyped-def]
    flood, rates = event["first"].story_id, event["rates"].story_id
    story_merge(story_ids=[rates], into_id=flood)
    response = client.get(f"/story/{rates}/")
    assert response.status_code == 301 and response["Location"] == f"/story/{flood}/"
    assert client.get("/story/424242/").status_code == 404
    assert client.get("/story/424242/feed/").status_code == 404


def test_the_story_feed_is_rss_of_the_story_s_articles(client: Client, event) -> None:  # type: ignore[no-untyped-def]
    response = client.get(f"/story/{event['first'].story_id}/feed/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/rss+xml")
    body = response.content.decode()
    assert body.count("<item>") == 3
    assert "Storm Ellen floods Brightport harbour (The Courier)" in body
    assert h.RATES[0] not in body


def test_the_home_page_top_stories_show_how_many_sources_cover_them(client: Client, event) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/").content.decode()
    story_id = event["first"].story_id
    assert "3 sources" in html and f'href="/story/{story_id}/">Full coverage · 3 sources</a>' in html
    top = html[html.index('id="top-h"') :]
    assert top.index(h.FLOOD[0]) < top.index(h.RATES[0])


def test_more_in_section_leaves_out_syndicated_copies_of_the_article(client: Client, event) -> None:  # type: ignore[no-untyped-def]
    from cupure.articles.models import Article, Section

    world = Section.objects.create(slug="world", name="World")
    Article.objects.filter(id__in=[a.id for a in event.values()]).update(section=world)
    response = client.get(event["first"].get_absolute_url())
    more = {a.id for a in response.context["more_in_section"]}
    assert event["copy"].id not in more  # the same text under the Gazette's URL is this article
    assert event["rates"].id in more


def test_listings_show_a_syndicated_text_once_as_its_original_with_its_sources(client: Client, event) -> None:  # type: ignore[no-untyped-def]
    from cupure.articles.models import Article, Section

    world = Section.objects.create(slug="world", name="World")
    Article.objects.filter(id__in=[a.id for a in event.values()]).update(section=world)
    first, copy = event["first"], event["copy"]  # the Gazette reprinted the Courier's text two hours later
    home = client.get("/")
    latest = [a.id for a in home.context["latest"]]
    assert first.id in latest and copy.id not in latest  # the original, not the newer reprint
    assert latest.index(first.id) > latest.index(event["second"].id)  # at its own place, newest first
    card = next(a for a in home.context["latest"] if a.id == first.id)
    assert [s.slug for s in card.copy_sources] == ["courier", "gazette"]
    assert 'title="The same text from The Courier, Gazette">also in Gazette</span>' in home.content.decode()
    (section, shown), *_ = home.context["section_blocks"]
    assert section == world and [a.id for a in shown].count(first.id) == 1 and copy.id not in shown
    section_page = [a.id for a in client.get("/section/world/").context["page"]]
    assert first.id in section_page and copy.id not in section_page
    topic = client.get("/topic/brightport/").context["page"]
    assert first.id in [a.id for a in topic] and copy.id not in [a.id for a in topic]


def test_search_shows_a_syndicated_text_once_naming_every_source_carrying_it(client: Client, event) -> None:  # type: ignore[no-untyped-def]
    first, copy = event["first"], event["copy"]
    response = client.get("/search/", {"q": "Brightport"})
    hits = [hit.article.id for hit in response.context["results"].hits]
    assert first.id in hits and copy.id not in hits  # the original, not the reprint
    html = response.content.decode()
    assert 'title="The same text from The Courier, Gazette">also in Gazette</span>' in html
    assert f"{len(hits)} results" in html  # the count is what the reader sees
    (api_hit,) = [
        h for h in client.get("/api/search", {"q": "Brightport"}).json()["results"] if h["id"] == first.id
    ]
    assert api_hit["sources"] == ["The Courier", "Gazette"]


def test_a_topic_s_top_story_is_led_by_its_first_report_like_the_home_page(client: Client, event) -> None:  # type: ignore[no-untyped-def]
    (card,) = client.get("/topic/brightport/").context["stories"]
    assert card.lead.id == event["first"].id  # the Courier reported first
    assert [a.id for a in card.others] == [event["second"].id]  # the Gazette's reprint is not another report


def test_the_story_admin_lists_coverage_and_state_and_merges_selected_stories(admin_client, event) -> None:  # type: ignore[no-untyped-def]
    flood, rates = event["first"].story_id, event["rates"].story_id
    listing = admin_client.get("/admin/stories/story/").content.decode()
    assert "3 articles · 3 sources" in listing and "1 article · 1 source" in listing and "open" in listing

    admin_client.post(
        "/admin/stories/story/", {"action": "merge_selected", "_selected_action": [flood, rates]}, follow=True
    )

    assert f"merged into #{flood}" in admin_client.get("/admin/stories/story/").content.decode()
    event["rates"].refresh_from_db()
    assert event["rates"].story_id == flood


def test_feeds_out_carry_a_syndicated_text_once_but_a_source_s_feed_keeps_its_reprint(
    client: Client, event
) -> None:  # type: ignore[no-untyped-def]
    home = client.get("/feeds/rss/").content.decode()
    assert home.count(event["first"].get_absolute_url()) >= 1 and event["copy"].get_absolute_url() not in home
    gazette = client.get("/feeds/source/gazette/rss/").content.decode()
    assert event["copy"].get_absolute_url() in gazette


def test_the_api_lists_top_stories_and_a_story_s_reports_with_every_source(client: Client, event) -> None:  # type: ignore[no-untyped-def]
    flood = event["first"].story_id
    top = client.get("/api/stories").json()
    assert top[0]["id"] == flood and top[0]["source_count"] == 3 and top[0]["url"] == f"/story/{flood}/"
    story = client.get(f"/api/stories/{flood}").json()
    reports = [(a["id"], a["sources"]) for a in story["articles"]]
    assert reports == [
        (event["first"].id, ["The Courier", "Gazette"]),  # the Gazette's reprint is the same text
        (event["second"].id, ["Meridian Wire"]),
    ]
    assert client.get("/api/stories/424242").status_code == 404
    assert client.get("/api/stories", {"limit": "100000"}).status_code == 200


def test_a_reprint_s_page_names_the_original_s_page_as_canonical(client: Client, event) -> None:  # type: ignore[no-untyped-def]
    first, copy = event["first"], event["copy"]
    canonical = f'<link rel="canonical" href="http://127.0.0.1:8000{first.get_absolute_url()}">'
    assert canonical in client.get(copy.get_absolute_url()).content.decode()
    assert canonical in client.get(first.get_absolute_url()).content.decode()
    rates = client.get(event["rates"].get_absolute_url()).content.decode()
    assert f'<link rel="canonical" href="http://127.0.0.1:8000{event["rates"].get_absolute_url()}">' in rates


def test_the_news_sitemap_lists_a_syndicated_text_once_as_its_original(client: Client, event) -> None:  # type: ignore[no-untyped-def]
    news = client.get("/sitemap-news.xml").content.decode()
    assert event["first"].get_absolute_url() in news and event["copy"].get_absolute_url() not in news
    assert event["second"].get_absolute_url() in news
