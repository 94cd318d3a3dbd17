"""Article identity: no loss and no duplicates, whatever the feed does with its GUIDs."""

from __future__ import annotations

import pytest

from cupure.articles.models import Article, Entry
from cupure.sources.services import sources_refresh
from cupure.sources.tests.newssite import NewsSite, make_source

pytestmark = pytest.mark.django_db

BODY = "".join(
    f"<p>Paragraph {n} of a complete article, long enough to stand on its own in a feed, "
    f"with enough plain words in every sentence that nobody would mistake it for a teaser "
    f"or a summary of something longer.</p>"
    for n in range(8)
)


def rss(items: list[tuple[str, str, str, str]]) -> bytes:
    """A small RSS 2.0 document from (guid, link, title, body) tuples."""
    parts = [
        f"<item><guid>{guid}</guid><link>{link}</link><title>{title}</title>"
        f"<content:encoded><![CDATA[{body}]]></content:encoded></item>"
        for guid, link, title, body in items
    ]
    return (
        '<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>Ids</title><link>https://ids.example/</link>{''.join(parts)}</channel></rss>"
    ).encode()


def test_items_sharing_one_guid_with_different_links_are_distinct_articles(news_site: NewsSite) -> None:
    items = [("same-guid", f"https://ids.example/story-{n}", f"Story number {n}", BODY) for n in range(20)]
    make_source(news_site.server.add("/ids.rss", rss(items), headers={"Content-Type": "application/rss+xml"}))

    first = sources_refresh()
    again = sources_refresh()

    assert first.new == 20 and Article.objects.count() == 20
    assert again.new == 0 and Entry.objects.count() == 20


def test_an_edited_item_updates_its_article_in_place(news_site: NewsSite) -> None:
    path = "/edit.rss"
    news_site.server.add(path, rss([("g1", "https://ids.example/a", "First headline", BODY)]))
    make_source(news_site.server.url(path))
    sources_refresh()
    article_id = Article.objects.get().id

    news_site.server.add(path, rss([("g1", "https://ids.example/a", "Corrected headline", BODY)]))
    stats = sources_refresh()

    assert (stats.new, stats.updated) == (0, 1)
    assert Article.objects.get().id == article_id
    assert Article.objects.get().title == "Corrected headline"


def test_items_without_guid_or_link_are_keyed_by_their_content(news_site: NewsSite) -> None:
    doc = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><link>https://ids.example/</link>'
        b"<item><title>Only a title and text</title><description>Some words here.</description></item>"
        b"<item><title>Another linkless item</title><description>Other words.</description></item>"
        b"</channel></rss>"
    )
    make_source(news_site.server.add("/noid.rss", doc, headers={"Content-Type": "application/rss+xml"}))

    sources_refresh()
    sources_refresh()

    assert [e.key_kind for e in Entry.objects.all()] == ["content", "content"]
    assert Article.objects.count() == 2


def test_every_field_is_cleaned_of_script(news_site: NewsSite) -> None:
    make_source(news_site.serve("xss.rss"))

    sources_refresh()

    article = Article.objects.get()
    assert "<" not in article.title and "onerror" not in article.title
    assert "<script" not in article.body_html.lower() and "alert(" not in article.body_html
    assert "javascript:" not in article.body_html.lower()
    for tag in ("<iframe", "<svg", "<form", "<input", "style=", "onerror", "onclick"):
        assert tag not in article.body_html
    assert "Overlay text" in article.body_html
    assert 'href="https://evil.example/relative/path"' in article.body_html
    assert article.author == "\"><script>alert('author')</script>"  # text: kept literally, escaped on output
