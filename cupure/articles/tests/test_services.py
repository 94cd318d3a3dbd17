"""The one ingest function: what every write path gets, and what editors can change."""

from __future__ import annotations

import hashlib

import pytest
from django.test import Client
from django.utils import timezone

from cupure.articles.models import Article
from cupure.articles.services import ArticleInput, EntryInput, article_ingest, article_set_hidden
from cupure.sources.models import Source

pytestmark = pytest.mark.django_db


def ingest(source: Source, n: int, **fields: object) -> int:
    data = ArticleInput(
        url=f"https://news.example/{n}", title=f"Headline {n}", body_html="<p>Words here.</p>"
    )
    for name, value in fields.items():
        setattr(data, name, value)
    key = hashlib.sha256(f"guid:{n}".encode()).hexdigest()
    return article_ingest(
        source_id=source.id, entry=EntryInput("guid", key), data=data, now=timezone.now()
    ).article_id


@pytest.fixture
def source() -> Source:
    return Source.objects.create(name="Desk", slug="desk", feed_url="https://news.example/feed")


def test_nul_bytes_controls_and_overlong_fields_are_cleaned_before_they_reach_the_database(
    source: Source,
) -> None:
    article_id = ingest(
        source, 1, title="Bad\x00 title\x07 " + "x" * 2000, author="A\u202eB", body_html="<p>ok\x00</p>"
    )

    article = Article.objects.get(id=article_id)
    assert "\x00" not in article.title and "\x07" not in article.title and len(article.title) <= 512
    assert "\u202e" not in article.author
    assert "\x00" not in article.body_html


def test_excerpt_policy_stores_only_a_short_excerpt(source: Source) -> None:
    long_body = "<p>" + " ".join(["word"] * 2000) + "</p>"
    article_id = ingest(source, 2, policy="excerpt", body_html=long_body, summary_html=long_body)

    article = Article.objects.get(id=article_id)
    assert article.body_html == "" and len(article.body_text) < 700


def test_a_javascript_link_or_image_is_never_stored(source: Source) -> None:
    article_id = ingest(
        source, 3, url="javascript:alert(1)//https://x", image_url="data:image/png;base64,AAAA"
    )

    article = Article.objects.get(id=article_id)
    assert not article.url.startswith("javascript") and article.image_url == ""


def test_hiding_an_article_takes_it_off_cached_pages(source: Source) -> None:
    article_id = ingest(source, 4, title="A story editors will hide")
    client = Client()
    assert b"A story editors will hide" in client.get("/").content

    article_set_hidden(article_ids=[article_id], hidden=True)

    assert b"A story editors will hide" not in client.get("/").content
    assert client.get(Article.objects.get(id=article_id).get_absolute_url()).status_code == 404


def test_a_page_whose_canonical_link_is_the_home_page_keeps_its_own_identity(source: Source) -> None:
    first = ingest(source, 5, canonical_url="https://news.example/")
    second = ingest(source, 6, canonical_url="https://news.example/")

    assert first != second
    assert Article.objects.get(id=first).canonical_url == "https://news.example/5"


def test_a_canonical_link_to_another_host_does_not_merge_articles(source: Source) -> None:
    wall = "https://consent.example.net/collect"
    first = ingest(source, 7, canonical_url=wall)
    second = ingest(source, 8, canonical_url=wall)

    assert first != second
    assert Article.objects.get(id=second).canonical_url == "https://news.example/8"


def test_a_link_that_grows_past_the_column_when_canonicalised_is_stored_safely(source: Source) -> None:
    long_link = "https://news.example/search?q=" + "é" * 1500  # percent-encoding triples its length

    article_id = ingest(source, 9, url=long_link, image_url=long_link)

    article = Article.objects.get(id=article_id)
    assert article.canonical_url == article.url == long_link  # the link as given, not a cut one
    assert article.image_url == long_link


def test_another_sources_edit_does_not_overwrite_the_shared_article(source: Source) -> None:
    other = Source.objects.create(name="Copier", slug="copier", feed_url="https://copier.example/feed")
    body = "<p>" + "Full original reporting. " * 80 + "</p>"
    article_id = ingest(source, 10, body_html=body)
    key = hashlib.sha256(b"copier:1").hexdigest()
    copy = ArticleInput(
        url="https://news.example/10", title="Copied", body_html="<p>Short.</p>", policy="excerpt"
    )
    article_ingest(source_id=other.id, entry=EntryInput("guid", key), data=copy, now=timezone.now())
    copy.title = "Copied, then edited"
    article_ingest(source_id=other.id, entry=EntryInput("guid", key), data=copy, now=timezone.now())

    article = Article.objects.get(id=article_id)
    assert (
        article.title == "Headline 10"
        and article.policy == "full"
        and "original reporting" in article.body_text
    )
