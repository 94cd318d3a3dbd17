"""Test helpers shared by the accounts and comments suites: users, articles, a threaded live server."""

from __future__ import annotations

import hashlib
import itertools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connection, connections
from django.test import Client
from django.test.testcases import QuietWSGIRequestHandler
from django.utils import timezone

from cupure.accounts.models import Profile
from cupure.articles.models import Article
from cupure.articles.services import ArticleInput, EntryInput, article_ingest
from cupure.sources.models import Source

User = get_user_model()
PASSWORD = "correct horse battery staple"
_seq = itertools.count(1)


def make_user(
    username: str | None = None,
    *,
    verified: bool = True,
    approved: int = 3,
    age_hours: float = 72,
    staff: bool = False,
    password: str = PASSWORD,
):
    n = next(_seq)
    username = username or f"reader{n}"
    user = User.objects.create_user(
        username=username, email=f"{username}@example.test", password=password, is_staff=staff
    )
    User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - timedelta(hours=age_hours))
    user.refresh_from_db()
    Profile.objects.create(
        user=user, email_verified_at=timezone.now() if verified else None, approved_comments=approved
    )
    return user


def make_article(*, title: str = "Harbour bridge reopens", days_old: float = 0) -> Article:
    n = next(_seq)
    source, _ = Source.objects.get_or_create(
        slug="test-source", defaults={"name": "Test Source", "feed_url": "https://news.example.test/feed.xml"}
    )
    now = timezone.now() - timedelta(days=days_old)
    result = article_ingest(
        source_id=source.pk,
        entry=EntryInput(key_kind="guid", key_hash=hashlib.sha256(f"entry-{n}".encode()).hexdigest()),
        data=ArticleInput(
            url=f"https://news.example.test/story-{n}",
            title=f"{title} {n}",
            body_html="<p>The bridge reopened on Monday after two years of repairs to its deck.</p>",
        ),
        now=now,
    )
    return Article.objects.get(pk=result.article_id)


def client_for(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def post_form_token(client: Client, article: Article) -> str:
    """The signed timestamp the comment form carries, read from the fragment like a browser does."""
    html = client.get(f"/comments/article/{article.pk}/", headers={"HX-Request": "true"}).content.decode()
    marker = 'name="ts" value="'
    if marker not in html:  # no form shown (closed, signed out): sign one as the form would
        from cupure.comments.forms import form_token

        return form_token(user_id=int(client.session["_auth_user_id"]))
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


class _Closing:
    """A WSGI body that reports when the server closed it (after the response was sent)."""

    def __init__(self, result, on_close) -> None:  # type: ignore[no-untyped-def]
        self.result, self.on_close = result, on_close

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.result)

    def close(self) -> None:
        try:
            self.result.close()
        finally:
            self.on_close()


class _Server(ThreadedWSGIServer):
    request_queue_size = 128  # 50 clients connect at once: the default backlog resets most of them

    def _close_connections(self) -> None:
        # The shared in-memory SQLite connection belongs to the test; a browser's idle keep-alive
        # socket may end after the test released it, so only per-thread connections are closed here.
        if not self.connections_override:
            super()._close_connections()


class LiveServer:
    """A threaded WSGI server on loopback for concurrency tests (one thread per request).

    On PostgreSQL every request thread opens its own connection, so requests really race. The SQLite
    test database is one in-memory connection shared by all threads, which cannot run two
    transactions at once; there requests are served one at a time (SQLite allows one writer anyway).
    """

    def __init__(self, *, static: bool = False) -> None:
        self.sqlite = connection.vendor == "sqlite"
        handler = StaticFilesHandler(WSGIHandler()) if static else WSGIHandler()
        lock = threading.Lock()
        self.active = 0
        self.idle = threading.Condition()

        def finished() -> None:
            with self.idle:
                self.active -= 1
                self.idle.notify_all()

        def app(environ, start_response):  # type: ignore[no-untyped-def]
            with self.idle:
                self.active += 1
            if self.sqlite:
                with lock:
                    result = handler(environ, start_response)
                    body = list(result)
                    result.close()  # request_finished: Django's end-of-request work, inside the lock
                finished()
                return body
            return _Closing(handler(environ, start_response), finished)

        override = {"default": connections["default"]} if self.sqlite else None
        self.server = _Server(
            ("127.0.0.1", 0),
            QuietWSGIRequestHandler,
            allow_reuse_address=False,
            connections_override=override,
        )
        self.server.daemon_threads = True
        self.server.set_app(app)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> LiveServer:
        if self.sqlite:
            connections["default"].inc_thread_sharing()
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        with self.idle:  # let requests in flight finish (and close their connections) first
            self.idle.wait_for(lambda: self.active == 0, timeout=10)
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)
        if self.sqlite:
            connections["default"].dec_thread_sharing()


@contextmanager
def live_server(*, static: bool = False) -> Iterator[LiveServer]:
    with LiveServer(static=static) as server:
        yield server
