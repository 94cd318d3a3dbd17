"""The limits under 50 parallel requests against a live loopback server (SECURITY.md F1, F2, F8, E5).

Each test prints what it sent, what was accepted and what was refused (run with ``-s`` to see it).
"""

from __future__ import annotations

import http.client
import secrets
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import F, Sum
from django.test import Client

from cupure.accounts.tests.helpers import PASSWORD, LiveServer, make_article, make_user
from cupure.comments.forms import form_token
from cupure.comments.models import Comment, Vote

pytestmark = pytest.mark.django_db(transaction=True)
PARALLEL = 50
User = get_user_model()


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def fire(server: LiveServer, requests: list[tuple[str, dict[str, str], str | None]]) -> list[int]:
    """POST every (path, form, session) at once (at most 50 in flight); returns the status codes."""
    host = urlsplit(server.url)
    start = threading.Barrier(min(PARALLEL, len(requests)))

    def one(item: tuple[str, dict[str, str], str | None]) -> int:
        path, form, session = item
        csrf = secrets.token_hex(16)
        cookies = f"csrftoken={csrf}" + (f"; {settings.SESSION_COOKIE_NAME}={session}" if session else "")
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
            "X-CSRFToken": csrf,
            "Cookie": cookies,
        }
        conn = http.client.HTTPConnection(host.hostname, host.port, timeout=60)
        try:
            try:
                start.wait(timeout=10)
            except threading.BrokenBarrierError:
                pass
            conn.request("POST", path, body=urlencode(form), headers=headers)
            response = conn.getresponse()
            response.read()
            return response.status
        finally:
            conn.close()

    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        return list(pool.map(one, requests))


def report(name: str, codes: list[int]) -> Counter[int]:
    counts = Counter(codes)
    print(f"\n{name}: sent={len(codes)} statuses={dict(sorted(counts.items()))}")
    return counts


def test_fifty_identical_parallel_comments_by_one_user_create_exactly_one() -> None:
    article, user = make_article(), make_user()
    cookie, token = session_cookie(user), form_token(user_id=user.pk)
    form = {"body": "The very same words, fifty times.", "ts": token}
    with LiveServer() as server:
        codes = fire(server, [(f"/comments/article/{article.pk}/post/", form, cookie)] * PARALLEL)
    counts = report("F1 identical comments", codes)
    assert counts[201] == 1 and counts[409] + counts[429] == PARALLEL - 1
    assert Comment.objects.count() == 1
    article.refresh_from_db()
    assert article.comment_count == 1


def test_fifty_different_parallel_comments_by_a_new_user_stay_within_the_limit() -> None:
    article, user = make_article(), make_user(approved=1, age_hours=2)
    cookie, token = session_cookie(user), form_token(user_id=user.pk)
    requests = [
        (f"/comments/article/{article.pk}/post/", {"body": f"Different comment {i}", "ts": token}, cookie)
        for i in range(PARALLEL)
    ]
    with LiveServer() as server:
        codes = fire(server, requests)
    counts = report("F2 new-account comments", codes)
    assert counts[201] == 1 and counts[429] == PARALLEL - 1
    assert Comment.objects.count() == 1


def test_fifty_parallel_comments_from_many_new_accounts_on_one_address_stay_within_its_limit() -> None:
    article = make_article()
    users = [make_user(approved=1, age_hours=2) for _ in range(PARALLEL)]
    requests = [
        (
            f"/comments/article/{article.pk}/post/",
            {"body": f"From account {u.pk}", "ts": form_token(user_id=u.pk)},
            session_cookie(u),
        )
        for u in users
    ]
    with LiveServer() as server:
        codes = fire(server, requests)
    counts = report("new accounts, one address", codes)
    assert counts[201] == 2 and counts[429] == PARALLEL - 2  # 2 a minute per address for new accounts
    assert Comment.objects.count() == 2


def test_a_hundred_upvotes_from_a_hundred_users_give_a_score_of_exactly_one_hundred() -> None:
    article, author = make_article(), make_user()
    comment = Comment.objects.create(
        article=article,
        user=author,
        body="vote me",
        body_html="<p>vote me</p>",
        created_at=article.first_seen_at,
    )
    voters = [make_user() for _ in range(100)]
    requests = [(f"/comments/c/{comment.pk}/vote/", {"value": "1"}, session_cookie(v)) for v in voters]
    with LiveServer() as server:
        codes = fire(server, requests)
    counts = report("F8 upvotes", codes)
    comment.refresh_from_db()
    assert counts[200] == 100
    assert comment.score == 100 == Vote.objects.filter(comment=comment).count()


def test_racing_votes_of_one_user_leave_one_vote_and_a_consistent_score() -> None:
    article, author, voter = make_article(), make_user(), make_user()
    comment = Comment.objects.create(
        article=article,
        user=author,
        body="flip me",
        body_html="<p>flip me</p>",
        created_at=article.first_seen_at,
    )
    cookie = session_cookie(voter)
    values = ["1", "-1", "0", "1", "1"] * 10
    with LiveServer() as server:
        codes = fire(server, [(f"/comments/c/{comment.pk}/vote/", {"value": v}, cookie) for v in values])
    report("one user's racing votes", codes)
    comment.refresh_from_db()
    assert Vote.objects.filter(comment=comment).count() <= 1
    total = Vote.objects.filter(comment=comment).aggregate(s=Sum(F("value") * F("weight")))["s"] or 0
    assert comment.score == total


def test_fifty_parallel_wrong_passwords_get_exactly_five_tries() -> None:
    make_user("target")
    form = {"username": "target", "password": "guess"}
    with LiveServer() as server:
        codes = fire(server, [("/accounts/login/", form, None)] * PARALLEL)
    counts = report("E5 parallel login guesses", codes)
    assert counts[400] == 5 and counts[429] == PARALLEL - 5


def test_fifty_parallel_sign_ups_from_one_address_create_at_most_five_accounts() -> None:
    requests = [
        (
            "/accounts/signup/",
            {
                "username": f"racer{i}",
                "email": f"racer{i}@example.test",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
            None,
        )
        for i in range(PARALLEL)
    ]
    with LiveServer() as server:
        codes = fire(server, requests)
    counts = report("parallel sign-ups", codes)
    assert counts[302] == 5 and counts[429] == PARALLEL - 5
    assert User.objects.filter(username__startswith="racer").count() == 5
