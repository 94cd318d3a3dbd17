"""The anonymous page cache: headers, hits, 304s, bypasses and invalidation."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils.http import http_date

from cupure.lib.pagecache import bump_page_cache
from cupure.web.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(db):  # type: ignore[no-untyped-def]
    return f.article(sect=f.section("world"))


def test_a_public_page_is_cached_with_shared_cache_headers(client: Client, item) -> None:  # type: ignore[no-untyped-def]
    first = client.get("/")
    assert first.status_code == 200 and first["X-Cache"] == "miss"
    control = first["Cache-Control"]
    assert "public" in control and "max-age=30" in control and "s-maxage=60" in control
    assert first["ETag"] and first["Last-Modified"]
    second = client.get("/")
    assert second["X-Cache"] == "hit" and second.content == first.content
    assert second["ETag"] == first["ETag"]


def test_a_cached_page_answers_conditional_requests_with_304(client: Client, item) -> None:  # type: ignore[no-untyped-def]
    first = client.get(item.get_absolute_url())
    again = client.get(item.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == first["ETag"]
    since = client.get(item.get_absolute_url(), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    stale = client.get(item.get_absolute_url(), HTTP_IF_NONE_MATCH='"other"')
    assert stale.status_code == 200
    older = client.get(item.get_absolute_url(), HTTP_IF_MODIFIED_SINCE=http_date(0))
    assert older.status_code == 200


def test_the_first_request_can_already_be_a_304(client: Client, item) -> None:  # type: ignore[no-untyped-def]
    etag = client.get("/section/world/")["ETag"]
    bump_page_cache()
    assert client.get("/section/world/", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_bumping_the_generation_invalidates_every_page(client: Client, item) -> None:  # type: ignore[no-untyped-def]
    client.get("/")
    assert client.get("/")["X-Cache"] == "hit"
    f.article(title="Brand new article arrives", sect=f.section("world"))
    assert b"Brand new article arrives" not in client.get("/").content
    bump_page_cache()
    fresh = client.get("/")
    assert fresh["X-Cache"] == "miss" and b"Brand new article arrives" in fresh.content


def test_visitors_with_a_session_and_unsafe_methods_bypass_the_cache(client: Client, item) -> None:  # type: ignore[no-untyped-def]
    client.get("/")
    client.cookies["sessionid"] = "anything"
    response = client.get("/")
    assert not response.has_header("X-Cache")


def test_signed_in_readers_get_private_pages(client: Client, item, django_user_model) -> None:  # type: ignore[no-untyped-def]
    user = django_user_model.objects.create_user("reader", "r@example.com", "a-long-password-1")
    client.force_login(user)
    response = client.get(item.get_absolute_url())
    assert "private" in response["Cache-Control"] and not response.has_header("X-Cache")


def test_error_responses_and_search_results_are_not_stored(client: Client, item) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/nope/").status_code == 404
    assert not client.get("/nope/").has_header("X-Cache")
    search = client.get("/search/", {"q": "harbour"})
    assert "public" in search["Cache-Control"] and not search.has_header("X-Cache")


def test_head_requests_are_cached_apart_from_get(client: Client, item) -> None:  # type: ignore[no-untyped-def]
    head = client.head("/")
    assert head.status_code == 200 and head["X-Cache"] == "miss"
    assert client.get("/")["X-Cache"] == "miss"
    assert client.head("/")["X-Cache"] == "hit"


def test_the_page_cache_can_be_switched_off(client: Client, item, settings) -> None:  # type: ignore[no-untyped-def]
    settings.PAGE_CACHE_SECONDS = 0
    client.get("/")
    assert not client.get("/").has_header("X-Cache")


def test_different_query_strings_are_different_entries_and_long_ones_are_not_stored(
    client: Client, item
) -> None:  # type: ignore[no-untyped-def]
    f.many(25, sect=f.section("world"))
    client.get("/section/world/")
    assert client.get("/section/world/", {"page": "2"})["X-Cache"] == "miss"
    long = client.get("/section/world/", {"x": "y" * 400})
    assert long.status_code == 200 and not long.has_header("X-Cache")
