"""A loopback 'news site' serving the fixture feeds and pages in testdata/."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cupure.pipeline.tests.httpfixtures import FixtureHTTPServer
from cupure.sources.models import Source

TESTDATA = Path(__file__).parent / "testdata"
CONTENT_TYPES = {
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".json": "application/feed+json",
    ".html": "text/html; charset=utf-8",
    ".txt": "text/plain",
}


@dataclass
class NewsSite:
    server: FixtureHTTPServer

    def serve(self, name: str, path: str | None = None, *, etag: str | None = None) -> str:
        """Serve testdata/<name> at <path> (default /feeds/<name>), with BASE replaced by the server URL."""
        file = TESTDATA / name
        body = file.read_bytes().replace(b"BASE", self.server.url("").rstrip("/").encode())
        headers = {"Content-Type": CONTENT_TYPES.get(file.suffix, "application/octet-stream")}
        if etag:
            headers["ETag"] = etag
        return self.server.add(path or f"/feeds/{name}", body, headers=headers)

    def serve_pages(self) -> None:
        for page in (TESTDATA / "pages").iterdir():
            self.serve(f"pages/{page.name}", f"/articles/{page.name}")
        self.serve("pages/members.html", "/private/members.html")
        self.serve("robots.txt", "/robots.txt")


def make_source(url: str, *, name: str = "Testfield", policy: str = "full", **extra: object) -> Source:
    slug = name.lower().replace(" ", "-")
    return Source.objects.create(name=name, slug=slug, feed_url=url, policy=policy, **extra)
