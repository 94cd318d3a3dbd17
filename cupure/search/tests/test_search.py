"""Search: the same tests run on SQLite (FTS5) and on PostgreSQL (DATABASE_URL) text search."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from cupure.articles.models import Article
from cupure.search.engine import Filters, ParsedQuery, fts5_match, parse_query, search_ids
from cupure.search.highlight import highlight, snippet
from cupure.web.tests import factories as f


def titles(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [hit.article.title for hit in response.context["results"].hits]


@pytest.fixture
def corpus(db):  # type: ignore[no-untyped-def]
    world, sport = f.section("world"), f.section("sport")
    courier, wire = f.source("courier", "The Courier"), f.source("wire", "Meridian Wire")
    return {
        "white": f.article(
            courier,
            title="Visitors queue at the White House gates",
            sect=world,
            body="<p>Crowds gathered outside the white house on Monday.</p>",
        ),
        "trump": f.article(
            wire,
            title="Trump speaks at the White House",
            sect=world,
            body="<p>The former president spoke at the white house briefing.</p>",
            age=timedelta(days=5),
        ),
        "house": f.article(
            courier,
            title="A white cottage and a red house",
            sect=sport,
            body="<p>The house was white once; the cottage is red.</p>",
        ),
        "harbour": f.article(
            wire,
            title="Harbour wall repairs",
            sect=sport,
            body="<p>The harbour wall will be repaired by spring, engineers said.</p>",
        ),
    }


def test_the_parser_reads_words_phrases_and_exclusions() -> None:
    parsed = parse_query('"White House" -trump budget -"fake news"')
    assert parsed.include == (("white", "house"), ("budget",))
    assert parsed.exclude == (("trump",), ("fake", "news"))


def test_every_other_operator_becomes_a_quoted_literal_in_the_fts5_expression() -> None:
    match = fts5_match(parse_query('NEAR(a b) OR c* title:x ^y (z) AND "q" NOT w'))
    words = ["near a", "b", "or", "c", "title x", "y", "z", "and", "q", "not", "w"]
    assert match == "(" + " AND ".join(f'"{w}"' for w in words) + ")"


def test_a_query_of_only_exclusions_or_punctuation_matches_nothing() -> None:
    assert not parse_query("-trump")
    assert not parse_query("*** ((( ::: ")
    assert search_ids(ParsedQuery(), filters=Filters(), offset=0, limit=10).ids == []


def test_highlighting_escapes_the_text_and_marks_only_query_words() -> None:
    html = highlight('<script>alert("x")</script> Elections & votes', ["election", "script"])
    expected = "&lt;<mark>script</mark>&gt;alert(&quot;x&quot;)&lt;/<mark>script</mark>&gt; "
    assert html == expected + "<mark>Elections</mark> &amp; votes"


def test_a_snippet_is_a_window_around_the_first_match() -> None:
    text = "word " * 200 + "harbour wall " + "tail " * 200
    out = snippet(text, ["harbour"])
    assert "<mark>harbour</mark>" in out and out.startswith("… ") and out.endswith(" …")
    assert len(out) < 400


def test_search_finds_words_in_titles_and_bodies_best_first(client: Client, corpus) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/search/", {"q": "harbour"})
    assert response.status_code == 200
    assert titles(response) == ["Harbour wall repairs"]
    assert b"<mark>Harbour</mark> wall repairs" in response.content
    assert b"The <mark>harbour</mark> wall will be repaired" in response.content
    body_only = client.get("/search/", {"q": "engineers"})
    assert titles(body_only) == ["Harbour wall repairs"]


def test_a_phrase_matches_only_adjacent_words_and_exclusions_remove_articles(client: Client, corpus) -> None:  # type: ignore[no-untyped-def]
    loose = set(titles(client.get("/search/", {"q": "white house"})))
    assert loose == {
        "Visitors queue at the White House gates",
        "Trump speaks at the White House",
        "A white cottage and a red house",
    }
    phrase = set(titles(client.get("/search/", {"q": '"white house"'})))
    assert phrase == {"Visitors queue at the White House gates", "Trump speaks at the White House"}
    excluded = titles(client.get("/search/", {"q": '"white house" -trump'}))
    assert excluded == ["Visitors queue at the White House gates"]
    phrase_excluded = titles(client.get("/search/", {"q": 'white -"white house"'}))
    assert phrase_excluded == ["A white cottage and a red house"]


@pytest.mark.parametrize(
    "q",
    [
        "harbour OR zebra",
        "harb*",
        "NEAR(harbour wall)",
        "title:harbour",
        "harbour NOT zebra",
        "(harbour)",
        "^harbour",
        "harbour AND",
        '"harbour',
        '"""',
        "'; DROP TABLE articles_article; --",
        "a\x00b",
        "1=1 OR 1=1",
        "\\\\",
        "%_%",
        "ŧëšŧ 日本語 🙂",
        "-",
        "--",
        "- -x",
        "NEAR",
        "*",
    ],
)
def test_operators_and_injection_attempts_are_literal_text_never_errors(
    client: Client, corpus, q: str
) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    found = titles(response)
    if q == "(harbour)" or q == "^harbour" or q == '"harbour':
        assert found == ["Harbour wall repairs"]  # punctuation around a word is not syntax
    elif q in ("harbour OR zebra", "harb*", "harbour NOT zebra", "1=1 OR 1=1"):
        assert found == []  # OR / NOT are not operators (zebra must appear); * is no prefix operator
    assert Article.objects.count() == 4


def test_a_huge_query_is_refused_with_400(client: Client, corpus) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/search/", {"q": "harbour " * 200})
    assert response.status_code == 400
    assert b"limited to" in response.content


def test_filters_by_section_source_and_date(client: Client, corpus) -> None:  # type: ignore[no-untyped-def]
    assert set(titles(client.get("/search/", {"q": "white", "section": "sport"}))) == {
        "A white cottage and a red house"
    }
    assert titles(client.get("/search/", {"q": "white", "source": "wire"})) == [
        "Trump speaks at the White House"
    ]
    today = timezone.now().date()
    recent = set(
        titles(client.get("/search/", {"q": '"white house"', "from": str(today - timedelta(days=1))}))
    )
    assert recent == {"Visitors queue at the White House gates"}
    old = titles(client.get("/search/", {"q": '"white house"', "to": str(today - timedelta(days=3))}))
    assert old == ["Trump speaks at the White House"]
    assert titles(client.get("/search/", {"q": '"white house"', "when": "day"})) == [
        "Visitors queue at the White House gates"
    ]


def test_unknown_filters_give_an_empty_result_and_malformed_dates_give_400(client: Client, corpus) -> None:  # type: ignore[no-untyped-def]
    assert titles(client.get("/search/", {"q": "white", "section": "nope"})) == []
    assert titles(client.get("/search/", {"q": "white", "source": "x" * 500})) == []
    assert client.get("/search/", {"q": "white", "from": "yesterday"}).status_code == 400
    assert client.get("/search/", {"q": "white", "to": "2026-13-45"}).status_code == 400
    assert client.get("/search/", {"q": "white", "page": "-3"}).status_code == 200
    assert client.get("/search/", {"q": "white", "page": "99999999999999999999"}).status_code == 200
    assert client.get("/search/", {"q": ["a", "b"], "when": "century"}).status_code == 200


def test_the_index_follows_inserts_updates_deletes_and_hidden_articles(client: Client, corpus) -> None:  # type: ignore[no-untyped-def]
    item = corpus["harbour"]
    item.title = "Lighthouse keeper retires"
    item.body_text = "After forty years the keeper hands over the lamp."
    item.save()
    assert titles(client.get("/search/", {"q": "lighthouse"})) == ["Lighthouse keeper retires"]
    assert titles(client.get("/search/", {"q": "engineers"})) == []
    Article.objects.filter(id=item.id).update(hidden=True)
    assert titles(client.get("/search/", {"q": "lighthouse"})) == []
    Article.objects.filter(id=item.id).delete()
    assert titles(client.get("/search/", {"q": "lighthouse"})) == []
    fresh = f.article(f.source("wire"), title="Lighthouse reopens to visitors")
    assert titles(client.get("/search/", {"q": "lighthouse"})) == [fresh.title]


def test_results_are_paginated_with_the_filters_kept(client: Client, db) -> None:  # type: ignore[no-untyped-def]
    f.many(25, sect=f.section("world"))
    first = client.get("/search/", {"q": "harbour", "section": "world"})
    results = first.context["results"]
    assert (results.total, results.pages, len(results.hits)) == (25, 2, 20)
    assert b'href="?q=harbour&amp;section=world&amp;page=2"' in first.content
    second = client.get("/search/", {"q": "harbour", "section": "world", "page": "2"})
    assert len(second.context["results"].hits) == 5
    beyond = client.get("/search/", {"q": "harbour", "page": "9"})
    assert beyond.status_code == 200 and beyond.context["results"].hits == []


def test_the_search_page_without_a_query_shows_the_form(client: Client, db) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/search/")
    assert response.status_code == 200
    assert b"Search the news" in response.content and b'name="section"' in response.content
    assert b'<meta name="robots" content="noindex, follow">' in response.content


def test_search_runs_in_a_bounded_number_of_queries(
    client: Client, corpus, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    f.many(20)
    with django_assert_max_num_queries(9):  # one of them folds syndicated copies
        response = client.get("/search/", {"q": "harbour", "section": "sport", "source": "wire"})
    assert response.status_code == 200


def test_on_postgresql_the_query_uses_the_gin_index(db) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection

    from cupure.search.engine import _pg_tsquery, pg_document

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    match_sql, params = _pg_tsquery(parse_query("harbour"))
    sql = f"EXPLAIN SELECT a.id FROM articles_article a, ({match_sql}) q WHERE {pg_document('a')} @@ q.query"
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "search_article_tsv_idx" in plan


def test_on_sqlite_the_triggers_come_back_after_a_table_rebuild(db) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection

    from cupure.search.engine import index_install

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    item = f.article(title="Lighthouse keeper retires")
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER search_article_au")
        cursor.execute(
            "UPDATE articles_article SET title = 'Ferry timetable changes' WHERE id = %s", [item.id]
        )
    index_install(connection, rebuild=False)  # what runs after every migrate
    found = search_ids(parse_query("ferry"), filters=Filters(), offset=0, limit=5)
    assert found.ids == [item.id]
    assert search_ids(parse_query("lighthouse"), filters=Filters(), offset=0, limit=5).ids == []
