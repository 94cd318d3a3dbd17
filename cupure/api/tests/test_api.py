"""The read-only JSON API, including search."""

from __future__ import annotations

import pytest
from django.test import Client

from cupure.web.tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_article_list_is_newest_first_and_filterable(client: Client) -> None:
    world = f.section("world")
    f.many(3, sect=world)
    f.article(f.source("wire", "Meridian Wire"), title="Markets calm")
    data = client.get("/api/articles").json()
    assert data["count"] == 4
    assert client.get("/api/articles", {"section": "world"}).json()["count"] == 3
    assert [a["title"] for a in client.get("/api/articles", {"source": "wire"}).json()["items"]] == [
        "Markets calm"
    ]


def test_an_article_has_its_body_and_a_missing_one_is_404(client: Client) -> None:
    item = f.article()
    data = client.get(f"/api/articles/{item.id}").json()
    assert data["title"] == item.title and "<p>" in data["body_html"]
    assert client.get("/api/articles/999999").status_code == 404


def test_search_speaks_the_site_syntax_and_refuses_huge_queries(client: Client) -> None:
    f.article(title="White House briefing", body="<p>Trump spoke at the white house.</p>")
    f.article(title="White House garden", body="<p>Roses at the white house.</p>", url="https://x.example/2")
    data = client.get("/api/search", {"q": '"white house" -trump'}).json()
    assert data["total"] == 1 and data["results"][0]["title"] == "White House garden"
    assert client.get("/api/search", {"q": "NEAR(white*) OR :"}).status_code == 200
    assert client.get("/api/search", {"q": "x " * 300}).status_code == 400


def test_the_api_docs_page_loads_swagger_from_the_site_itself_so_it_works_offline(client: Client) -> None:
    page = client.get("/api/docs").content.decode()

    assert "swagger-ui-bundle" in page and "/static/" in page
    assert "cdn." not in page and "https://" not in page
