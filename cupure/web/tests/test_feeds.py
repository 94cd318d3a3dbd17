"""Feeds out (RSS, Atom), sitemaps, the news sitemap and robots.txt."""

from __future__ import annotations

from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.test import Client
from django.utils import timezone

from cupure.articles.models import Article
from cupure.trending.models import ArticleKeyword, Keyword
from cupure.web.tests import factories as f

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


@pytest.fixture
def data():  # type: ignore[no-untyped-def]
    world = f.section("world")
    courier, wire = f.source("courier", "The Courier"), f.source("wire", "Meridian Wire")
    a = f.article(courier, title="Storm & floods <hit> the harbour", sect=world, age=timedelta(hours=1))
    b = f.article(wire, title="Markets calm", age=timedelta(days=4))
    keyword = Keyword.objects.create(key="storm", slug="storm", display="Storm")
    ArticleKeyword.objects.create(article=a, keyword=keyword, weight=1.0)
    return {"a": a, "b": b}


def rss_titles(response) -> list[str]:  # type: ignore[no-untyped-def]
    root = ElementTree.fromstring(response.content)
    return [item.findtext("title") for item in root.iter("item")]


def atom_titles(response) -> list[str]:  # type: ignore[no-untyped-def]
    root = ElementTree.fromstring(response.content)
    return [entry.findtext(f"{ATOM}title") for entry in root.iter(f"{ATOM}entry")]


def test_the_home_rss_feed_lists_the_latest_articles_with_links_here(client: Client, data) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/feeds/rss/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/rss+xml")
    assert rss_titles(response) == ["Storm & floods <hit> the harbour", "Markets calm"]
    root = ElementTree.fromstring(response.content)
    item = next(root.iter("item"))
    assert item.findtext("link") == "http://127.0.0.1:8000" + data["a"].get_absolute_url()
    assert "council met on Tuesday" in item.findtext("description")
    assert item.findtext("category") == "World"


def test_the_home_atom_feed_is_valid_atom(client: Client, data) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/feeds/atom/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    assert atom_titles(response) == ["Storm & floods <hit> the harbour", "Markets calm"]
    root = ElementTree.fromstring(response.content)
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == "http://127.0.0.1:8000/feeds/atom/"


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_section_source_and_keyword_feeds_hold_only_their_articles(client: Client, data, kind: str) -> None:  # type: ignore[no-untyped-def]
    read = rss_titles if kind == "rss" else atom_titles
    assert read(client.get(f"/feeds/section/world/{kind}/")) == ["Storm & floods <hit> the harbour"]
    assert read(client.get(f"/feeds/source/wire/{kind}/")) == ["Markets calm"]
    assert read(client.get(f"/feeds/topic/storm/{kind}/")) == ["Storm & floods <hit> the harbour"]
    for unknown in ["section", "source", "topic"]:
        assert client.get(f"/feeds/{unknown}/nope/{kind}/").status_code == 404


def test_hidden_articles_stay_out_of_feeds_and_an_empty_feed_is_still_valid(client: Client, data) -> None:  # type: ignore[no-untyped-def]
    Article.objects.update(hidden=True)
    assert rss_titles(client.get("/feeds/rss/")) == []
    assert atom_titles(client.get("/feeds/atom/")) == []


def test_feeds_have_etag_and_last_modified_and_answer_304(client: Client, data, settings) -> None:  # type: ignore[no-untyped-def]
    for cached in (60, 0):
        settings.PAGE_CACHE_SECONDS = cached
        first = client.get("/feeds/section/world/rss/")
        assert first["ETag"] and first["Last-Modified"] and "public" in first["Cache-Control"]
        assert client.get("/feeds/section/world/rss/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
        assert (
            client.get("/feeds/section/world/rss/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code
            == 304
        )


def test_feeds_run_in_a_bounded_number_of_queries(
    client: Client, data, settings, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    settings.PAGE_CACHE_SECONDS = 0
    f.many(40, sect=f.section("world"))
    for url in [
        "/feeds/rss/",
        "/feeds/section/world/atom/",
        "/feeds/source/courier/rss/",
        "/feeds/topic/storm/rss/",
    ]:
        with django_assert_max_num_queries(5):
            assert client.get(url).status_code == 200


def test_the_sitemap_index_points_at_pages_articles_and_news(client: Client, data) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    locs = [e.text for e in ElementTree.fromstring(response.content).iter(f"{SM}loc")]
    assert locs == [
        "http://127.0.0.1:8000/sitemap-pages.xml",
        "http://127.0.0.1:8000/sitemap-news.xml",
        "http://127.0.0.1:8000/sitemap-articles-1.xml",
    ]
    pages = [
        e.text for e in ElementTree.fromstring(client.get("/sitemap-pages.xml").content).iter(f"{SM}loc")
    ]
    assert "http://127.0.0.1:8000/section/world/" in pages and "http://127.0.0.1:8000/source/wire/" in pages
    articles = ElementTree.fromstring(client.get("/sitemap-articles-1.xml").content)
    assert [e.text for e in articles.iter(f"{SM}loc")] == [
        "http://127.0.0.1:8000" + data["a"].get_absolute_url(),
        "http://127.0.0.1:8000" + data["b"].get_absolute_url(),
    ]
    assert client.get("/sitemap-articles-2.xml").status_code == 404
    assert client.get("/sitemap-articles-0.xml").status_code == 404


def test_the_news_sitemap_holds_the_last_two_days_only(client: Client, data) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/sitemap-news.xml")
    root = ElementTree.fromstring(response.content)
    titles = [e.text for e in root.iter(f"{NEWS}title")]
    assert titles == ["Storm & floods <hit> the harbour"]
    assert root.find(f".//{NEWS}name").text == "cupure" and root.find(f".//{NEWS}language").text == "en"
    published = root.find(f".//{NEWS}publication_date").text
    assert published.startswith(str(timezone.now().date() - timedelta(days=1))[:4])


def test_robots_txt_points_at_the_sitemaps(client: Client, db) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in text and "Disallow: /search/" in text
