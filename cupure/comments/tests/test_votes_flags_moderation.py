from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db.models import F, Sum
from django.test import Client
from django.utils import timezone

from cupure.accounts.services import account_delete, email_verify, verification_token
from cupure.accounts.tests.helpers import client_for, make_article, make_user, post_form_token
from cupure.comments.models import Comment, Flag, Vote
from cupure.comments.services import scores_recount

pytestmark = pytest.mark.django_db
JSON = {"Accept": "application/json"}


def comment_by(user, article, body="A comment worth voting on.", parent=None) -> Comment:
    client = client_for(user)
    data = {"body": body, "ts": post_form_token(client, article), "parent": parent or ""}
    response = client.post(f"/comments/article/{article.pk}/post/", data, headers=JSON)
    assert response.status_code == 201, response.content
    return Comment.objects.get(pk=response.json()["id"])


def vote(user, comment: Comment, value: str):
    return client_for(user).post(f"/comments/c/{comment.pk}/vote/", {"value": value}, headers=JSON)


def test_self_votes_are_refused() -> None:
    author = make_user()
    comment = comment_by(author, make_article())
    response = vote(author, comment, "1")
    assert response.status_code == 400 and "own comment" in response.json()["error"]
    assert not Vote.objects.exists()


def test_a_double_upvote_counts_once_a_flip_moves_by_two_and_none_removes() -> None:
    comment, voter = comment_by(make_user(), make_article()), make_user()
    assert vote(voter, comment, "1").json() == {"ok": True, "score": 1, "vote": 1}
    assert vote(voter, comment, "1").json()["score"] == 1
    assert vote(voter, comment, "-1").json() == {"ok": True, "score": -1, "vote": -1}
    assert vote(voter, comment, "0").json() == {"ok": True, "score": 0, "vote": 0}
    assert Vote.objects.count() == 0
    assert vote(voter, comment, "7").status_code == 400


def test_votes_on_deleted_or_held_comments_are_404() -> None:
    article = make_article()
    deleted = comment_by(make_user(), article)
    client_for(deleted.user).post(f"/comments/c/{deleted.pk}/delete/")
    held = comment_by(make_user(approved=0), article, body="held one")
    voter = make_user()
    assert vote(voter, deleted, "1").status_code == 404
    assert vote(voter, held, "1").status_code == 404
    assert vote(voter, Comment(pk=999999), "1").status_code == 404


def test_votes_from_accounts_younger_than_a_day_carry_no_weight() -> None:
    comment = comment_by(make_user(), make_article())
    ring = [make_user(age_hours=2) for _ in range(20)]
    for member in ring:
        assert vote(member, comment, "1").status_code == 200
    comment.refresh_from_db()
    assert comment.score == 0 and Vote.objects.count() == 20


def test_anonymous_votes_are_sent_to_sign_in() -> None:
    comment = comment_by(make_user(), make_article())
    response = Client().post(f"/comments/c/{comment.pk}/vote/", {"value": "1"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_score_recount_finds_no_drift_and_fixes_injected_drift() -> None:
    comment = comment_by(make_user(), make_article())
    for _ in range(3):
        vote(make_user(), comment, "1")
    assert scores_recount() == 0
    Comment.objects.filter(pk=comment.pk).update(score=F("score") + 5)
    assert scores_recount() == 1
    comment.refresh_from_db()
    assert comment.score == 3


def test_flags_hide_a_comment_at_three_trusted_flaggers_and_are_idempotent() -> None:
    article = make_article()
    comment = comment_by(make_user(), article)
    newbie = make_user(approved=0, age_hours=1)
    flaggers = [make_user() for _ in range(3)]
    client_for(newbie).post(f"/comments/c/{comment.pk}/flag/", {"reason": "spam"}, headers=JSON)
    for flagger in flaggers[:2]:
        client_for(flagger).post(f"/comments/c/{comment.pk}/flag/", {"reason": "abuse"}, headers=JSON)
    again = client_for(flaggers[0]).post(f"/comments/c/{comment.pk}/flag/", {"reason": "abuse"}, headers=JSON)
    assert "already flagged" in again.json()["message"]
    comment.refresh_from_db()
    assert comment.status == "visible" and comment.flag_count == 3
    client_for(flaggers[2]).post(f"/comments/c/{comment.pk}/flag/", {"reason": "abuse"}, headers=JSON)
    comment.refresh_from_db()
    article.refresh_from_db()
    assert comment.status == "hidden" and article.comment_count == 0


def test_own_comments_cannot_be_flagged_and_a_reason_is_required() -> None:
    author = make_user()
    comment = comment_by(author, make_article())
    own = client_for(author).post(f"/comments/c/{comment.pk}/flag/", {"reason": "spam"}, headers=JSON)
    assert own.status_code == 400
    no_reason = client_for(make_user()).post(f"/comments/c/{comment.pk}/flag/", {}, headers=JSON)
    assert no_reason.status_code == 400 and not Flag.objects.exists()


def test_the_moderation_queue_is_staff_only() -> None:
    assert Client().get("/comments/moderation/").status_code == 302
    assert client_for(make_user()).get("/comments/moderation/").status_code == 404
    comment = comment_by(make_user(approved=0), make_article(), body="waiting")
    reader = client_for(make_user())
    assert reader.post(f"/comments/moderation/c/{comment.pk}/", {"action": "approve"}).status_code == 404
    comment.refresh_from_db()
    assert comment.status == "held"


def test_a_moderator_approves_a_first_comment_and_later_comments_go_out_directly() -> None:
    article, newbie, mod = make_article(), make_user(approved=0), make_user(staff=True)
    first = comment_by(newbie, article, body="first")
    staff = client_for(mod)
    queue = staff.get("/comments/moderation/").content.decode()
    assert "first" in queue and f'id="q{first.pk}"' in queue
    response = staff.post(
        f"/comments/moderation/c/{first.pk}/", {"action": "approve", "next": "//evil.example"}
    )
    assert response.status_code == 302 and response["Location"] == "/comments/moderation/"
    first.refresh_from_db()
    article.refresh_from_db()
    assert first.status == "visible" and article.comment_count == 1
    with time_machine.travel(timezone.now() + timedelta(seconds=31)):
        second = comment_by(newbie, article, body="second, some time later")
    assert second.status == "visible"


def test_unverified_comments_wait_for_the_email_then_for_a_moderator() -> None:
    article, user, mod = make_article(), make_user(verified=False, approved=0), make_user(staff=True)
    held = comment_by(user, article, body="unverified words")
    refused = client_for(mod).post(f"/comments/moderation/c/{held.pk}/", {"action": "approve"}, headers=JSON)
    assert refused.status_code == 400 and "confirmed" in refused.json()["error"]
    email_verify(token=verification_token(user))
    held.refresh_from_db()
    assert held.status == "held" and held.held_reason == "first"
    client_for(mod).post(f"/comments/moderation/c/{held.pk}/", {"action": "approve"})
    held.refresh_from_db()
    assert held.status == "visible"


def test_hiding_and_removing_update_the_count_once_and_resolve_flags() -> None:
    article, mod = make_article(), make_user(staff=True)
    comment = comment_by(make_user(), article)
    client_for(make_user()).post(f"/comments/c/{comment.pk}/flag/", {"reason": "spam"})
    staff = client_for(mod)
    for action in ("hide", "hide", "remove", "approve", "approve"):
        staff.post(f"/comments/moderation/c/{comment.pk}/", {"action": action})
        article.refresh_from_db()
        assert article.comment_count == (1 if action == "approve" else 0)
    assert not Flag.objects.filter(resolved_at__isnull=True).exists()


def test_hidden_comments_show_as_placeholders_only_where_replies_hang() -> None:
    article, mod = make_article(), make_user(staff=True)
    parent = comment_by(make_user(), article, body="parent text")
    comment_by(make_user(), article, body="child text", parent=parent.pk)
    lonely = comment_by(make_user(), article, body="lonely text")
    for c in (parent, lonely):
        client_for(mod).post(f"/comments/moderation/c/{c.pk}/", {"action": "hide"})
    public = Client().get(f"/comments/article/{article.pk}/").content.decode()
    assert "parent text" not in public and "[hidden by a moderator]" in public and "child text" in public
    assert "lonely text" not in public and f'id="c{lonely.pk}"' not in public
    staff_view = client_for(mod).get(f"/comments/article/{article.pk}/").content.decode()
    assert "parent text" in staff_view and "lonely text" in staff_view


def test_banning_removes_held_comments_and_blocks_posting_and_history_shows_everything() -> None:
    article, mod = make_article(), make_user(staff=True)
    troll = make_user(approved=1)
    visible = comment_by(troll, article, body="visible troll")
    staff = client_for(mod)
    response = staff.post(
        f"/comments/moderation/u/{troll.username}/", {"action": "ban", "reason": "spam run"}
    )
    assert response.status_code == 302
    troll.profile.refresh_from_db()
    assert troll.profile.banned
    history = staff.get(f"/comments/moderation/u/{troll.username}/").content.decode()
    assert "visible troll" in history and "spam run" in history
    client = client_for(troll)
    data = {"body": "again", "ts": post_form_token(client, article)}
    assert client.post(f"/comments/article/{article.pk}/post/", data, headers=JSON).status_code == 403
    assert vote(troll, comment_by(make_user(), article, body="someone else"), "1").status_code == 403
    staff.post(f"/comments/moderation/u/{troll.username}/", {"action": "unban"})
    troll.profile.refresh_from_db()
    assert not troll.profile.banned and Comment.objects.get(pk=visible.pk).status == "visible"


@pytest.mark.parametrize("remove", [False, True])
def test_deleting_an_account_keeps_or_removes_comments_and_undoes_votes(remove: bool) -> None:
    article = make_article()
    leaver, stayer = make_user(), make_user()
    theirs = comment_by(leaver, article, body="leaver text")
    reply = comment_by(stayer, article, body="stayer reply", parent=theirs.pk)
    vote(leaver, reply, "1")
    vote(stayer, theirs, "1")
    client_for(leaver).post(f"/comments/c/{reply.pk}/flag/", {"reason": "spam"})
    account_delete(user=leaver, remove_comments=remove)
    reply.refresh_from_db()
    theirs.refresh_from_db()
    article.refresh_from_db()
    assert reply.score == 0 and reply.flag_count == 0
    assert theirs.user_id is None and theirs.score == 1
    html = Client().get(f"/comments/article/{article.pk}/").content.decode()
    assert "stayer reply" in html
    if remove:
        assert "leaver text" not in html and "[deleted]" in html and article.comment_count == 1
    else:
        assert "leaver text" in html and "deleted user" in html and article.comment_count == 2
    total = Vote.objects.aggregate(s=Sum(F("value") * F("weight")))["s"] or 0
    assert total == sum(Comment.objects.values_list("score", flat=True))


def test_the_count_equals_the_public_comments_after_a_mixed_history() -> None:
    article, mod = make_article(), make_user(staff=True)
    made = [comment_by(make_user(), article, body=f"c{i}") for i in range(4)]
    comment_by(make_user(approved=0), article, body="held")
    client_for(made[0].user).post(f"/comments/c/{made[0].pk}/delete/")
    client_for(mod).post(f"/comments/moderation/c/{made[1].pk}/", {"action": "hide"})
    client_for(mod).post(f"/comments/moderation/c/{made[2].pk}/", {"action": "remove"})
    client_for(mod).post(f"/comments/moderation/c/{made[2].pk}/", {"action": "approve"})
    article.refresh_from_db()
    public = Comment.objects.filter(article=article, status="visible", deleted_at__isnull=True).count()
    assert article.comment_count == public == 2
    assert timezone.now()


def test_the_comment_list_in_the_admin_shows_what_was_said_by_whom_where_and_why_it_waits(
    admin_client,
) -> None:  # type: ignore[no-untyped-def]
    article, newbie = make_article(), make_user(approved=0)
    comment_by(newbie, article, body="Does anyone know   who pays for the\nsea wall?")

    page = admin_client.get("/admin/comments/comment/").content.decode()

    who = f'<span class="quiet">{newbie.username} on {article.title}</span>'
    assert f"Does anyone know who pays for the sea wall?<br>{who}" in page
    assert "held for moderation: first comment of a new account" in page and "0 · 0 flags" in page
