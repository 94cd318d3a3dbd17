"""The public pages: content, status codes, headers, metadata, empty states, pagination, query counts."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from cupure.articles.models import Article
from cupure.stories.models import Story
from cupure.trending.models import ArticleKeyword, Keyword
from cupure.web.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():  # type: ignore[no-untyped-def]
    world, sport = f.section("world"), f.section("sport")
    courier = f.source("courier", "The Courier", section=world)
    wire = f.source("wire", "Meridian Wire")
    lead = f.article(
        courier,
        title="Storm floods the harbour",
        sect=world,
        image_url="https://img.example/a.jpg",
        age=timedelta(seconds=20),
    )
    other = f.article(wire, title="Harbour flooded as storm hits", sect=world, age=timedelta(seconds=40))
    story = Story.objects.create(
        title="Storm",
        first_seen_at=timezone.now(),
        updated_at=timezone.now(),
        article_count=2,
        source_count=2,
    )
    Article.objects.filter(id__in=[lead.id, other.id]).update(story=story)
    f.many(5, wire, sect=world, prefix="World")
    f.many(3, courier, sect=sport, prefix="Sport")
    keyword = Keyword.objects.create(key="storm", slug="storm", display="Storm")
    ArticleKeyword.objects.create(article=lead, keyword=keyword, weight=2.0)
    lead.refresh_from_db()
    return {"lead": lead, "other": other, "story": story, "world": world, "courier": courier}


def test_the_home_page_shows_top_stories_latest_and_a_block_per_section(client: Client, site) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Top stories" in html and "Latest" in html
    assert 'id="sec-world"' in html and 'id="sec-sport"' in html
    assert "2 sources" in html and f'href="/story/{site["story"].id}/"' in html
    blocks = dict((s.slug, items) for s, items in response.context["section_blocks"])
    assert [len(blocks["world"]), len(blocks["sport"])] == [4, 3]
    assert blocks["world"][0].sort_at >= blocks["world"][-1].sort_at


def test_the_home_page_says_how_to_add_news_when_empty(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert b"No news yet" in response.content


def test_the_article_page_shows_everything_the_reader_needs(client: Client, site) -> None:  # type: ignore[no-untyped-def]
    lead = site["lead"]
    response = client.get(lead.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 id="headline">Storm floods the harbour</h1>' in html
    assert 'class="src" href="/source/courier/">The Courier</a>' in html
    assert f'href="{lead.canonical_url}" rel="noopener nofollow external">Read the original' in html
    assert "By Ada Lovelace" in html
    assert re.search(r'Published <time datetime="[^"]+">\d+ \w+ \d{4}, \d\d:\d\d', html)
    assert "(just now)" in html
    assert 'src="https://img.example/a.jpg"' in html and 'loading="lazy"' in html and 'width="960"' in html
    assert "<p>Engineers said repairs would take until spring" in html
    assert "This article was first published by" in html
    assert '<li><a href="/section/world/">World</a></li>' in html
    assert '<a href="/topic/storm/">Storm</a>' in html
    assert f'id="comments-body" data-src="/comments/article/{lead.id}/"' in html
    assert "Similar News" in html and "Harbour flooded as storm hits" in html
    assert "More in World" in html


def test_similar_news_puts_the_same_story_first_and_more_in_section_skips_what_is_shown(
    client: Client, site
) -> None:  # type: ignore[no-untyped-def]
    response = client.get(site["lead"].get_absolute_url())
    similar = response.context["similar"]
    assert similar[0] == site["other"] and len(similar) <= 8
    more = response.context["more_in_section"]
    assert not {a.id for a in more} & {site["lead"].id, *(a.id for a in similar)}


def test_a_signed_in_reader_sees_the_same_similar_news_when_the_page_is_built_again(
    client: Client, site, django_user_model
) -> None:  # type: ignore[no-untyped-def]
    # Signed-in pages are never cached whole; the second build reads Similar News from its kept ranking.
    client.force_login(django_user_model.objects.create_user("reader", password="a long password 1"))
    url = site["lead"].get_absolute_url()
    first, second = client.get(url), client.get(url)
    assert [a.id for a in second.context["similar"]] == [a.id for a in first.context["similar"]]
    block = re.compile(r"Similar News.*?</section>", re.S)
    assert block.search(second.content.decode()).group(0) == block.search(first.content.decode()).group(0)


def test_the_article_page_carries_canonical_social_and_json_ld_metadata(client: Client, site) -> None:  # type: ignore[no-untyped-def]
    lead = site["lead"]
    html = client.get(lead.get_absolute_url()).content.decode()
    url = f"http://127.0.0.1:8000{lead.get_absolute_url()}"
    assert f'<link rel="canonical" href="{url}">' in html
    assert f'<meta property="og:url" content="{url}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:image" content="https://img.example/a.jpg">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert f'<link rel="alternate" hreflang="en" href="{url}">' in html
    assert '<html lang="en"' in html
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "NewsArticle" and data["headline"] == "Storm floods the harbour"
    assert data["publisher"] == {
        "@type": "Organization",
        "name": "The Courier",
        "url": "https://courier.example/",
    }
    assert data["isBasedOn"] == lead.canonical_url and data["author"]["name"] == "Ada Lovelace"
    assert html.count('<link rel="canonical"') == 1


def test_json_ld_cannot_be_closed_by_a_hostile_title(client: Client, db) -> None:  # type: ignore[no-untyped-def]
    item = f.article(title="</script><script>alert(1)</script>")
    html = client.get(item.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    assert "\\u003C/script\\u003E" in html


def test_an_excerpt_policy_article_shows_the_excerpt_and_a_clear_link_out(client: Client, db) -> None:  # type: ignore[no-untyped-def]
    src = f.source("paywall", "Paywall Times", policy="excerpt")
    item = f.article(src, title="Budget talks", body="<p>" + "word " * 300 + "</p>", policy="excerpt")
    html = client.get(item.get_absolute_url()).content.decode()
    assert 'class="body excerpt"' in html
    assert "Read the full article at Paywall Times" in html


def test_an_article_url_with_a_wrong_slug_redirects_and_a_missing_or_hidden_one_is_404(
    client: Client, site
) -> None:  # type: ignore[no-untyped-def]
    lead = site["lead"]
    response = client.get(f"/a/{lead.id}/wrong-slug/")
    assert response.status_code == 301 and response["Location"] == lead.get_absolute_url()
    assert client.get("/a/999999/").status_code == 404
    Article.objects.filter(id=lead.id).update(hidden=True)
    assert client.get(lead.get_absolute_url()).status_code == 404


def test_the_404_page_looks_like_the_site(client: Client, db) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content and b'class="masthead"' in response.content
    assert b'name="robots" content="noindex"' in response.content


def test_the_500_page_renders_without_the_database(rf, db) -> None:  # type: ignore[no-untyped-def]
    from cupure.web.views.errors import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert b"Something went wrong" in response.content and b"no-store" in response["Cache-Control"].encode()


def test_section_pages_are_paginated_newest_first_with_counts(client: Client, db) -> None:  # type: ignore[no-untyped-def]
    world = f.section("world")
    f.many(45, sect=world)
    first = client.get("/section/world/")
    assert first.status_code == 200
    assert b"45 articles" in first.content and "showing 1–20".encode() in first.content
    levels = [int(m) for m in re.findall(r"<h([1-6])[ >]", first.content.decode())]
    assert all(
        b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)
    )  # no level skipped for screen readers
    page = first.context["page"]
    dates = [a.sort_at for a in page]
    assert dates == sorted(dates, reverse=True) and len(dates) == 20
    assert b'rel="next" href="?page=2"' in first.content
    last = client.get("/section/world/", {"page": "3"})
    assert len(last.context["page"]) == 5 and b'rel="next"' not in last.content
    assert b'<link rel="canonical" href="http://127.0.0.1:8000/section/world/?page=3">' in last.content
    assert b'rel="prev" href="?page=2"' in last.content
    second = client.get("/section/world/", {"page": "2"})
    assert b'rel="prev" href="/section/world/"' in second.content


@pytest.mark.parametrize(
    "page,expected",
    [("0", 1), ("-1", 1), ("abc", 1), ("", 1), ("999", 3), ("1e3", 1), ("99999999999999999999999", 3)],
)
def test_bad_or_out_of_range_page_numbers_give_the_nearest_page(
    client: Client, db, page: str, expected: int
) -> None:  # type: ignore[no-untyped-def]
    f.many(45, sect=f.section("world"))
    response = client.get("/section/world/", {"page": page})
    assert response.status_code == 200
    assert response.context["page"].number == expected


def test_empty_section_and_unknown_section_or_source(client: Client, db) -> None:  # type: ignore[no-untyped-def]
    f.section("science")
    response = client.get("/section/science/")
    assert response.status_code == 200 and b"No articles in Science yet" in response.content
    assert b"0 articles" in response.content
    assert client.get("/section/nope/").status_code == 404
    assert client.get("/source/nope/").status_code == 404


def test_source_pages_list_the_articles_the_source_carried(client: Client, site) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/source/courier/")
    assert response.status_code == 200
    titles = [a.title for a in response.context["page"]]
    assert "Storm floods the harbour" in titles and "Harbour flooded as storm hits" not in titles
    assert b"4 articles" in response.content  # the lead and its three sport articles
    assert b"showing" not in response.content  # one page: nothing to say about which part of it
    assert response.context["page"].paginator.count == len(titles)
    assert b'href="/feeds/source/courier/rss/"' in response.content


def test_the_trending_strip_is_on_every_page(client: Client, site, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from cupure.trending.selectors import TrendingTerm
    from cupure.web import context_processors

    monkeypatch.setattr(
        context_processors,
        "trending_strip",
        lambda limit: [TrendingTerm(key="storm", slug="storm", display="Storm")],
    )
    for url in [
        "/",
        site["lead"].get_absolute_url(),
        "/section/world/",
        "/source/courier/",
        "/search/?q=x",
        "/nope/",
    ]:
        html = client.get(url).content.decode()
        assert 'aria-label="Trending"' in html and '<a href="/topic/storm/">Storm</a>' in html, url


QUERY_BUDGET = {"home": 12, "article": 12, "section": 8, "source": 8, "search": 10}


def test_pages_run_in_a_bounded_number_of_queries_whatever_the_data_size(
    client: Client, site, settings, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    settings.PAGE_CACHE_SECONDS = 0
    f.many(30, sect=site["world"], prefix="More")
    urls = {
        "home": "/",
        "article": site["lead"].get_absolute_url(),
        "section": "/section/world/",
        "source": "/source/courier/",
        "search": "/search/?q=harbour",
    }
    for name, url in urls.items():
        with django_assert_max_num_queries(QUERY_BUDGET[name]):
            assert client.get(url).status_code == 200
