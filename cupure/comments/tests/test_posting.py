"""Posting, replies, editing, deleting, ordering, counts and the abuse defences, through HTTP."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from cupure.accounts.models import Profile
from cupure.accounts.tests.helpers import client_for, make_article, make_user, post_form_token
from cupure.articles.models import Article
from cupure.comments.models import Comment
from cupure.comments.services import purge_held

pytestmark = pytest.mark.django_db
JSON = {"Accept": "application/json"}


def post(
    client: Client, article: Article, body: str, *, parent: int | None = None, json_api: bool = True, **extra
):
    data = {"body": body, "ts": post_form_token(client, article), "parent": parent or "", **extra}
    headers = JSON if json_api else {}
    return client.post(f"/comments/article/{article.pk}/post/", data, headers=headers)


def test_a_trusted_reader_posts_and_the_count_and_page_show_it() -> None:
    article, user = make_article(), make_user()
    client = client_for(user)
    response = post(client, article, "A *fine* point.")
    assert response.status_code == 201
    data = response.json()
    assert data["ok"] and data["count"] == 1 and "<em>fine</em>" in data["html"]
    article.refresh_from_db()
    assert article.comment_count == 1
    fragment = (
        Client().get(f"/comments/article/{article.pk}/", headers={"HX-Request": "true"}).content.decode()
    )
    assert "<em>fine</em>" in fragment and "<html" not in fragment
    assert ">just now</time>" in fragment and "0 minutes ago" not in fragment
    page = Client().get(f"/comments/article/{article.pk}/").content.decode()
    assert "<html" in page and "<em>fine</em>" in page


def test_without_javascript_posting_redirects_to_the_new_comment() -> None:
    article, user = make_article(), make_user()
    response = post(client_for(user), article, "Plain form post.", json_api=False)
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/comments/article/{article.pk}/#c{comment.pk}"


def test_anonymous_readers_see_a_sign_in_link_and_cannot_post() -> None:
    article = make_article()
    fragment = (
        Client().get(f"/comments/article/{article.pk}/", headers={"HX-Request": "true"}).content.decode()
    )
    assert "Sign in" in fragment and "<textarea" not in fragment and "csrfmiddlewaretoken" not in fragment
    response = Client().post(f"/comments/article/{article.pk}/post/", {"body": "x"}, headers=JSON)
    assert response.status_code == 401
    assert Client().post(f"/comments/article/{article.pk}/post/", {"body": "x"}).status_code == 302
    assert not Comment.objects.exists()


def test_the_fragment_is_never_cacheable() -> None:
    article = make_article()
    response = Client().get(f"/comments/article/{article.pk}/")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_a_first_comment_of_a_new_account_is_held_and_visible_only_to_its_author() -> None:
    article, newbie, other = make_article(), make_user(approved=0, age_hours=1), make_user()
    author = client_for(newbie)
    response = post(author, article, "My first words.")
    assert response.status_code == 201
    assert "moderator" in response.json()["message"]
    comment = Comment.objects.get()
    assert comment.status == "held" and comment.held_reason == "first"
    article.refresh_from_db()
    assert article.comment_count == 0
    own = author.get(f"/comments/article/{article.pk}/").content.decode()
    assert "My first words." in own and "awaiting moderation" in own
    assert "My first words." not in client_for(other).get(f"/comments/article/{article.pk}/").content.decode()
    assert "My first words." not in Client().get(f"/comments/article/{article.pk}/").content.decode()
    assert Client().get(f"/comments/c/{comment.pk}/").status_code == 404
    assert "My first words." not in Client().get(f"/accounts/u/{newbie.username}/").content.decode()


def test_an_unverified_account_is_held_until_it_confirms_its_email() -> None:
    article, user = make_article(), make_user(verified=False, approved=0)
    response = post(client_for(user), article, "Before confirming.")
    assert "confirm your email" in response.json()["message"]
    assert Comment.objects.get().held_reason == "unverified"


def test_replies_nest_and_deeper_replies_attach_to_the_deepest_level(settings) -> None:
    settings.COMMENTS_MAX_DEPTH = 3
    article, alice, bob = make_article(), make_user(), make_user()
    parent = None
    depths = []
    for i in range(5):
        writer = client_for(alice if i % 2 == 0 else bob)
        with time_machine.travel(timezone.now() + timedelta(seconds=10 * i)):
            response = post(writer, article, f"level {i}", parent=parent)
        assert response.status_code == 201, response.content
        comment = Comment.objects.get(pk=response.json()["id"])
        depths.append(comment.depth)
        parent = comment.pk
    assert depths == [0, 1, 2, 2, 2]
    deepest = Comment.objects.filter(depth=2).order_by("id")
    assert {c.parent_id for c in deepest} == {Comment.objects.get(depth=1).pk}
    assert {c.root_id for c in Comment.objects.exclude(depth=0)} == {Comment.objects.get(depth=0).pk}


def test_ordering_newest_oldest_and_top(settings) -> None:
    article = make_article()
    voters = [make_user() for _ in range(2)]
    bodies = []
    for i in range(3):
        with time_machine.travel(timezone.now() + timedelta(minutes=i)):
            post(client_for(make_user()), article, f"comment number {i}")
        bodies.append(f"comment number {i}")
    middle = Comment.objects.get(body="comment number 1")
    for voter in voters:
        client_for(voter).post(f"/comments/c/{middle.pk}/vote/", {"value": "1"}, headers=JSON)

    def order_of(order: str) -> list[str]:
        html = Client().get(f"/comments/article/{article.pk}/?order={order}").content.decode()
        return sorted(bodies, key=html.index)

    assert order_of("oldest") == bodies
    assert order_of("newest") == bodies[::-1]
    assert order_of("top")[0] == "comment number 1"
    assert order_of("bogus") == order_of("top")


def test_a_permalink_shows_the_comment_and_its_replies() -> None:
    article, alice, bob = make_article(), make_user(), make_user()
    top = post(client_for(alice), article, "the root").json()["id"]
    post(client_for(bob), article, "the reply", parent=top)
    html = Client().get(f"/comments/c/{top}/").content.decode()
    assert "the root" in html and "the reply" in html and article.title in html


def test_edits_within_the_window_show_edited_and_later_edits_are_refused(settings) -> None:
    settings.COMMENTS_EDIT_MINUTES = 15
    article, user = make_article(), make_user()
    client = client_for(user)
    cid = post(client, article, "Frist!").json()["id"]
    response = client.post(f"/comments/c/{cid}/edit/", {"body": "First!"}, headers=JSON)
    assert response.status_code == 200 and "edited" in response.json()["html"]
    assert Comment.objects.get(pk=cid).body == "First!"
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        late = client.post(f"/comments/c/{cid}/edit/", {"body": "Too late"}, headers=JSON)
    assert late.status_code == 403 and "15 minutes" in late.json()["error"]
    assert Comment.objects.get(pk=cid).body == "First!"


def test_nobody_edits_or_deletes_another_users_comment() -> None:
    article, owner, intruder = make_article(), make_user(), make_user()
    cid = post(client_for(owner), article, "Mine.").json()["id"]
    attacker = client_for(intruder)
    assert attacker.post(f"/comments/c/{cid}/edit/", {"body": "Yours now"}).status_code == 404
    assert attacker.post(f"/comments/c/{cid}/delete/").status_code == 404
    assert Comment.objects.get(pk=cid).body == "Mine." and Comment.objects.get(pk=cid).deleted_at is None


def test_deleting_keeps_the_thread_shape_and_lowers_the_count() -> None:
    article, alice, bob = make_article(), make_user(), make_user()
    top = post(client_for(alice), article, "Soon gone.").json()["id"]
    post(client_for(bob), article, "A reply that stays.", parent=top)
    article.refresh_from_db()
    assert article.comment_count == 2
    response = client_for(alice).post(f"/comments/c/{top}/delete/", headers=JSON)
    assert response.json()["count"] == 1
    html = Client().get(f"/comments/article/{article.pk}/").content.decode()
    assert "Soon gone." not in html and "[deleted]" in html and "A reply that stays." in html
    # Deleting twice changes nothing.
    client_for(alice).post(f"/comments/c/{top}/delete/")
    article.refresh_from_db()
    assert article.comment_count == 1


def test_comments_close_on_articles_older_than_the_configured_age(settings) -> None:
    settings.COMMENTS_CLOSE_AFTER_DAYS = 30
    old, user = make_article(days_old=31), make_user()
    client = client_for(user)
    fragment = client.get(f"/comments/article/{old.pk}/").content.decode()
    assert "Comments are closed" in fragment and "<textarea" not in fragment
    response = post(client, old, "Too late to the party.")
    assert response.status_code == 403 and "closed" in response.json()["error"]
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("body", "accepted"),
    [
        ("", False),
        ("x", True),
        ("y" * 5000, True),
        ("z" * 5001, False),
        ("\U0001f600" * 5000, True),
        ("   \n\t  ", False),
        ("\u200b\u200c\u200d\ufeff", False),
    ],
)
def test_length_limits_apply_to_the_normalised_text(body: str, accepted: bool) -> None:
    article, user = make_article(), make_user()
    response = post(client_for(user), article, body)
    assert (response.status_code == 201) is accepted, response.content
    if not accepted:
        assert response.status_code == 400 and response.json()["error"]
    assert Comment.objects.exists() is accepted


def test_new_accounts_may_post_at_most_two_links() -> None:
    article, newbie, veteran = make_article(), make_user(approved=0, age_hours=1), make_user()
    links = "[a](https://a.example) [b](https://b.example) [c](https://c.example)"
    refused = post(client_for(newbie), article, links)
    assert refused.status_code == 400 and "at most 2 links" in refused.json()["error"]
    assert post(client_for(veteran), article, links).status_code == 201


def test_the_honeypot_answers_calmly_and_stores_nothing(caplog) -> None:
    article, user = make_article(), make_user()
    response = post(client_for(user), article, "Buy pills", website="http://spam.example")
    assert response.status_code == 200 and response.json() == {
        "ok": True,
        "message": "Thank you, your comment was received.",
    }
    assert not Comment.objects.exists()
    assert "honeypot" in caplog.text


def test_a_tampered_or_foreign_or_expired_form_timestamp_is_refused(settings) -> None:
    article, user, other = make_article(), make_user(), make_user()
    client = client_for(user)
    token = post_form_token(client, article)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    url = f"/comments/article/{article.pk}/post/"
    for bad in (tampered, "", "garbage", post_form_token(client_for(other), article)):
        response = client.post(url, {"body": "hello", "ts": bad}, headers=JSON)
        assert response.status_code == 400 and "reload" in response.json()["error"]
    with time_machine.travel(timezone.now() + timedelta(hours=2, minutes=1)):
        expired = client.post(url, {"body": "hello", "ts": token}, headers=JSON)
    assert expired.status_code == 400 and "expired" in expired.json()["error"]
    assert not Comment.objects.exists()


def test_a_form_sent_within_three_seconds_is_refused_with_a_wait(settings) -> None:
    settings.COMMENTS_FORM_MIN_SECONDS = 3
    article, user = make_article(), make_user()
    client = client_for(user)
    token = post_form_token(client, article)
    url = f"/comments/article/{article.pk}/post/"
    quick = client.post(url, {"body": "fast", "ts": token}, headers=JSON)
    assert (
        quick.status_code == 400 and quick.json()["retry_after"] >= 1 and "seconds" in quick.json()["error"]
    )
    with time_machine.travel(timezone.now() + timedelta(seconds=4)):
        assert client.post(url, {"body": "fast", "ts": token}, headers=JSON).status_code == 201


def test_the_same_body_twice_within_five_minutes_is_refused_with_409() -> None:
    article, user = make_article(), make_user()
    client = client_for(user)
    assert post(client, article, "Same   words").status_code == 201
    with time_machine.travel(timezone.now() + timedelta(seconds=30)):
        again = post(client, article, "same words")
    assert again.status_code == 409 and "already posted" in again.json()["error"]
    assert int(again["Retry-After"]) > 0
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        assert post(client, article, "Same words").status_code == 201


def test_a_new_account_waits_thirty_seconds_between_comments_and_is_told_when() -> None:
    article, newbie = make_article(), make_user(approved=1, age_hours=1)
    client = client_for(newbie)
    assert post(client, article, "one").status_code == 201
    refused = post(client, article, "two")
    assert refused.status_code == 429
    assert "30 seconds" in refused.json()["error"] and "try again in" in refused.json()["error"]
    assert 1 <= int(refused["Retry-After"]) <= 30
    with time_machine.travel(timezone.now() + timedelta(seconds=31)):
        assert post(client, article, "two").status_code == 201


def test_a_trusted_account_waits_five_seconds_and_sees_the_refusal_without_javascript() -> None:
    article, user = make_article(), make_user()
    client = client_for(user)
    assert post(client, article, "one", json_api=False).status_code == 302
    refused = post(client, article, "two", json_api=False)
    assert refused.status_code == 429
    html = refused.content.decode()
    assert "one comment every 5 seconds" in html and "two</textarea>" in html


def test_a_new_account_posts_at_most_ten_comments_a_day() -> None:
    article, newbie = make_article(), make_user(approved=1, age_hours=1)
    client = client_for(newbie)
    start = timezone.now()
    codes = []
    for i in range(11):
        with time_machine.travel(start + timedelta(seconds=31 * i)):
            codes.append(post(client, article, f"comment {i}").status_code)
    assert codes == [201] * 10 + [429]


def test_refused_requests_give_back_the_slots_they_took() -> None:
    article, user = make_article(), make_user()
    client = client_for(user)
    assert post(client, article, "first").status_code == 201
    with time_machine.travel(timezone.now() + timedelta(seconds=1)):
        assert post(client, article, "second").status_code == 429
    # The refused "second" did not burn its duplicate window.
    with time_machine.travel(timezone.now() + timedelta(seconds=6)):
        assert post(client, article, "second").status_code == 201


def test_a_banned_user_cannot_post_and_is_told_why() -> None:
    article, user = make_article(), make_user()
    Profile.objects.filter(user=user).update(banned_at=timezone.now())
    response = post(client_for(user), article, "Let me in")
    assert response.status_code == 403 and "suspended" in response.json()["error"]


def test_held_comments_are_purged_after_thirty_days() -> None:
    article, newbie = make_article(), make_user(approved=0)
    post(client_for(newbie), article, "never reviewed")
    assert purge_held(now=timezone.now() + timedelta(days=29)) == 0
    assert purge_held(now=timezone.now() + timedelta(days=31)) == 1
    assert not Comment.objects.exists()


def test_csrf_is_enforced_on_every_comment_form() -> None:
    article, alice, bob = make_article(), make_user(), make_user()
    cid = post(client_for(alice), article, "protected").json()["id"]
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(bob)
    for url, data in [
        (f"/comments/article/{article.pk}/post/", {"body": "x", "ts": "t"}),
        (f"/comments/c/{cid}/vote/", {"value": "1"}),
        (f"/comments/c/{cid}/flag/", {"reason": "spam"}),
        (f"/comments/c/{cid}/edit/", {"body": "y"}),
        (f"/comments/c/{cid}/delete/", {}),
    ]:
        assert strict.post(url, data).status_code == 403, url
        assert strict.post(url, data, headers={"Origin": "https://evil.example"}).status_code == 403
    assert Comment.objects.count() == 1 and Comment.objects.get().score == 0


def test_the_json_refusals_are_json_even_for_errors() -> None:
    article, user = make_article(), make_user()
    response = post(client_for(user), article, "")
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["ok"] is False
