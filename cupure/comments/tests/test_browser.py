"""Headless Chromium: XSS payloads in comments run nothing; the whole discussion flow works in a browser."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from django.utils import timezone

from cupure.accounts.services import verification_token
from cupure.accounts.tests.helpers import PASSWORD, live_server, make_article, make_user
from cupure.comments import markup
from cupure.comments.models import Comment

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(settings.BASE_DIR) / "build" / "screenshots"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium"),
]

PAYLOADS = [
    "<script>alert('x1')</script>",
    "<img src=/__xss_canary__/2 onerror=alert('x2')>",
    "[click](javascript:alert('x3'))",
    "<javascript:alert('x4')>",
    "![x](javascript:alert('x5'))",
    "![pixel](/__xss_canary__/6)",
    '<svg onload=alert("x7")>',
    "<iframe src=javascript:alert('x8')></iframe>",
    "[a](data:text/html,<script>alert('x9')</script>)",
    '<a href="javascript:alert(10)">ten</a>',
    "`<img src=x onerror=alert(11)>`",
    "```\n</code></pre><script>alert(12)</script>\n```",
    "> <details open ontoggle=alert(13)>",
    "[x](&#106;avascript:alert(14))",
    "[x](java\tscript:alert(15))",
    "**<style>*{background:url(/__xss_canary__/16)}</style>**",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(17)>",
    '[x](https://example.test/"onmouseover="alert(18))',
    "<form action=javascript:alert(19)><button>go</button></form>",
    '<noscript><p title="</noscript><img src=x onerror=alert(20)>">',
]


@pytest.fixture
def browser(browser):  # type: ignore[no-untyped-def]  # the shared module-scoped one, plus clean-up
    SHOTS.mkdir(parents=True, exist_ok=True)
    yield browser
    # Queries made while Playwright's loop runs may get a connection of their own (asgiref's
    # context-local storage): close it so the test database can be dropped.
    connections.close_all()


def watch(page, events: list[str]) -> None:
    page.on("dialog", lambda d: (events.append(f"dialog:{d.message}"), d.dismiss()))
    page.on(
        "console",
        lambda m: events.append(f"console:{m.text}") if "x" in m.text and "alert" in m.text else None,
    )
    page.on("request", lambda r: events.append(f"canary:{r.url}") if "__xss_canary__" in r.url else None)
    page.on("pageerror", lambda e: events.append(f"pageerror:{e}"))


def test_xss_payloads_in_comment_bodies_run_nothing_in_chromium(browser) -> None:
    article, author = make_article(), make_user("mallory")
    for payload in PAYLOADS:
        Comment.objects.create(
            article=article,
            user=author,
            body=payload,
            body_html=markup.render(payload),
            created_at=timezone.now(),
            counted=True,
        )
    events: list[str] = []
    with live_server(static=True) as server:
        page = browser.new_page()
        watch(page, events)
        page.goto(server.url + article.get_absolute_url())
        page.wait_for_selector("#comments-body li.comment")
        for link in page.query_selector_all("#comments-body .comment-body a"):
            link.hover()
            link.click(
                modifiers=["Alt"], no_wait_after=True, timeout=2000
            )  # Alt-click downloads, never navigates away
        page.wait_for_timeout(300)
        count = page.locator("#comments-body li.comment").count()
        page.screenshot(path=str(SHOTS / "comments-xss.png"), full_page=True)
        page.goto(f"{server.url}/comments/article/{article.pk}/")
        page.wait_for_timeout(200)
        page.close()
    assert count == len(PAYLOADS)
    assert events == []


def test_sign_up_comment_reply_vote_flag_and_a_moderator_hides_in_the_browser(browser) -> None:
    article = make_article(title="Council approves the new tram line")
    make_user("moderator", staff=True)
    make_user("alice")
    article_url = article.get_absolute_url()
    with live_server(static=True) as server:
        base = server.url
        # A newcomer signs up from the article and comments without a page reload.
        newcomer = browser.new_context().new_page()
        events: list[str] = []
        watch(newcomer, events)
        newcomer.goto(f"{base}/accounts/signup/?next={article_url}")
        newcomer.fill("#id_username", "newcomer")
        newcomer.fill("#id_email", "newcomer@example.test")
        newcomer.fill("#id_password1", PASSWORD)
        newcomer.fill("#id_password2", PASSWORD)
        newcomer.click(".account-form button[type=submit]")
        newcomer.wait_for_url(re.compile(re.escape(article_url) + "$"))
        newcomer.wait_for_selector("#account-nav .nav-user")
        assert newcomer.inner_text("#account-nav .nav-user") == "newcomer"
        newcomer.wait_for_selector("form[data-js=comment-form]")
        newcomer.evaluate("window.__sameDocument = true")
        newcomer.fill("#comment-body", "Trams are *quieter* than buses.")
        newcomer.click("form[data-js=comment-form] button[type=submit]")
        newcomer.wait_for_selector("li.comment .comment-body em")
        assert newcomer.evaluate("window.__sameDocument") is True
        assert "confirm your email" in newcomer.inner_text("form[data-js=comment-form] [data-role=status]")
        assert "awaiting moderation" in newcomer.inner_text("li.comment .comment-note")
        newcomer.screenshot(path=str(SHOTS / "comments-held.png"), full_page=True)
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.get(username="newcomer")
        newcomer.goto(f"{base}/accounts/verify/{verification_token(user)}/")
        assert "Email confirmed" in newcomer.inner_text("h1")
        first = Comment.objects.get(user=user)

        # The moderator approves the first comment from the queue.
        mod = browser.new_context().new_page()
        mod.goto(f"{base}/accounts/login/?next=/comments/moderation/")
        mod.fill("#id_username", "moderator")
        mod.fill("#id_password", PASSWORD)
        with mod.expect_navigation():
            mod.click(".account-form button[type=submit]")
        with mod.expect_navigation():
            mod.click(f"#q{first.pk} button[data-action=approve]")
        first.refresh_from_db()
        assert first.status == "visible"

        # Alice replies in place and upvotes.
        alice = browser.new_context().new_page()
        watch(alice, events)
        alice.goto(f"{base}/accounts/login/?next={article_url}")
        alice.fill("#id_username", "alice")
        alice.fill("#id_password", PASSWORD)
        alice.click(".account-form button[type=submit]")
        alice.wait_for_selector(f"#c{first.pk}")
        alice.evaluate("window.__sameDocument = true")
        alice.click(f"#c{first.pk} a[data-js=reply]")
        alice.fill(f"#reply-{first.pk}-body", "Only when the rails are *welded* well.")
        alice.click(f"#c{first.pk} .reply-slot button[type=submit]")
        alice.wait_for_selector(f"#c{first.pk} ol.comment-replies li.comment em")
        alice.click(f"#c{first.pk} > .comment-box .vote-up")
        alice.wait_for_selector(f"#c{first.pk} > .comment-box .vote-up[aria-pressed=true]")
        assert alice.inner_text(f"#c{first.pk} > .comment-box [data-role=score]") == "1"
        assert alice.evaluate("window.__sameDocument") is True
        assert alice.inner_text("#comments-h .count") == "2"
        alice.screenshot(path=str(SHOTS / "comments-thread.png"), full_page=True)
        reply = Comment.objects.get(parent=first)

        # The newcomer flags the reply; the moderator hides it.
        newcomer.goto(f"{base}/comments/c/{reply.pk}/flag/")
        newcomer.check("input[value=abuse]")
        newcomer.click(".account-form button[type=submit]")
        newcomer.wait_for_selector(".msg-success")
        mod.goto(f"{base}/comments/moderation/")
        assert "Abusive" in mod.inner_text(f"#q{reply.pk}")
        mod.screenshot(path=str(SHOTS / "comments-queue.png"), full_page=True)
        with mod.expect_navigation():
            mod.click(f"#q{reply.pk} button[data-action=hide]")

        reader = browser.new_context().new_page()
        reader.goto(base + article_url)
        reader.wait_for_selector(f"#c{first.pk}")
        text = reader.inner_text("#comments-body")
        assert "Trams are quieter" in text and "welded" not in text
        assert reader.inner_text("#account-nav").strip().startswith("Sign in")
        reader.screenshot(path=str(SHOTS / "comments-public.png"), full_page=True)
        for page in (newcomer, mod, alice, reader):
            page.context.close()
    article.refresh_from_db()
    assert article.comment_count == 1
    assert events == []
