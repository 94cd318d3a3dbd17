"""Writing comments, votes and flags, and moderating them.

Every limit is taken atomically (``cupure.accounts.throttle``) before anything is written, and every
change to what the public sees goes through ``_sync_count`` so ``Article.comment_count`` moves with
``F()`` exactly once per comment that appears or disappears.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from cupure.accounts.services import approved_add, is_new_account, profile_for
from cupure.accounts.throttle import Limit, Refusal, address_key, give_back, take, take_all
from cupure.articles.models import Article
from cupure.comments import markup
from cupure.comments.models import Comment, Flag, Vote
from cupure.lib.pagecache import bump_page_cache

log = logging.getLogger(__name__)
Status = Comment.Status


class CommentError(Exception):
    """A refusal the user reads: ``status`` is the HTTP status, ``retry_after`` seconds when known."""

    def __init__(self, message: str, *, status: int = 400, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.retry_after = retry_after

    @classmethod
    def from_refusal(cls, refusal: Refusal, *, status: int = 429) -> CommentError:
        return cls(refusal.message, status=status, retry_after=refusal.retry_after)


# ---------------------------------------------------------------- limits


def posting_limits(*, user: AbstractBaseUser, ip: str, new: bool) -> list[Limit]:
    """SECURITY.md 6: 1 per 5 s (30 s new), 200/day (10 new); per address 10/min, 100/h (2/min, 30/h new)."""
    uid, addr = user.pk, address_key(ip)
    if new:
        return [
            Limit(f"c:gap:{uid}", 1, 30, "New accounts can post one comment every 30 seconds."),
            Limit(f"c:day:{uid}", 10, 86400, "New accounts can post at most 10 comments a day."),
            Limit(f"c:ipnew-m:{addr}", 2, 60, "Too many comments from new accounts on your network."),
            Limit(f"c:ipnew-h:{addr}", 30, 3600, "Too many comments from new accounts on your network."),
        ]
    return [
        Limit(f"c:gap:{uid}", 1, 5, "You can post one comment every 5 seconds."),
        Limit(f"c:day:{uid}", 200, 86400, "You can post at most 200 comments a day."),
        Limit(f"c:ip-m:{addr}", 10, 60, "Too many comments from your network."),
        Limit(f"c:ip-h:{addr}", 100, 3600, "Too many comments from your network."),
    ]


def duplicate_limit(*, user: AbstractBaseUser, body: str) -> Limit:
    digest = hashlib.sha256(" ".join(body.casefold().split()).encode("utf-8")).hexdigest()[:32]
    minutes = max(1, settings.COMMENTS_DUPLICATE_SECONDS // 60)
    return Limit(
        f"c:dup:{user.pk}:{digest}",
        1,
        settings.COMMENTS_DUPLICATE_SECONDS,
        f"You already posted this exact comment; the same text can be posted once per {minutes} minutes.",
    )


def comments_open(article: Article, *, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return not article.hidden and article.sort_at >= now - timedelta(days=settings.COMMENTS_CLOSE_AFTER_DAYS)


def check_body(body: str) -> str:
    """The normalised body, or a CommentError naming the length rule it breaks."""
    body = markup.normalize_body(body)
    if not body:
        raise CommentError("Write something first: the comment is empty.")
    if len(body) > settings.COMMENTS_MAX_LENGTH:
        raise CommentError(
            f"Comments can be at most {settings.COMMENTS_MAX_LENGTH} characters; this one has {len(body)}."
        )
    return body


def _render_checked(*, user: AbstractBaseUser, body: str, now: datetime) -> str:
    html = markup.render(body)
    if not html:
        raise CommentError("Write something first: the comment has no visible text.")
    max_links = settings.COMMENTS_NEW_ACCOUNT_MAX_LINKS
    if is_new_account(user, now=now) and markup.link_count(html) > max_links:
        raise CommentError(
            f"New accounts can include at most {max_links} links in a comment. Remove some links, "
            f"or post them once your account is {settings.COMMENTS_NEW_ACCOUNT_HOURS} hours old and has "
            f"{settings.COMMENTS_TRUSTED_APPROVED} approved comments."
        )
    return html


def _check_user(user: AbstractBaseUser) -> None:
    if not user.is_active:  # type: ignore[attr-defined]
        raise CommentError("This account is disabled.", status=403)
    if profile_for(user).banned:
        raise CommentError("Your account has been suspended from commenting by a moderator.", status=403)


# ---------------------------------------------------------------- counts


def _sync_count(comment_id: int) -> bool:
    """Make ``counted`` match whether the comment is public, moving the article's count with it.

    Run inside the transaction that changed the comment; returns whether the count moved.
    """
    row = Comment.objects.filter(pk=comment_id).values("article_id", "status", "deleted_at").first()
    if row is None:
        return False
    public = row["status"] == Status.VISIBLE and row["deleted_at"] is None
    if Comment.objects.filter(pk=comment_id, counted=not public).update(counted=public):
        delta = F("comment_count") + 1 if public else F("comment_count") - 1
        Article.objects.filter(pk=row["article_id"]).update(comment_count=delta)
        transaction.on_commit(bump_page_cache)
        return True
    return False


# ---------------------------------------------------------------- writing


@dataclass
class Posted:
    comment: Comment
    message: str


def comment_create(
    *,
    user: AbstractBaseUser,
    article: Article,
    body: str,
    parent_id: int | None,
    ip: str,
    now: datetime | None = None,
) -> Posted:
    now = now or timezone.now()
    _check_user(user)
    if not comments_open(article, now=now):
        raise CommentError(
            f"Comments are closed: this article is more than {settings.COMMENTS_CLOSE_AFTER_DAYS} days old.",
            status=403,
        )
    body = check_body(body)
    parent = None
    if parent_id is not None:
        parent = Comment.objects.filter(pk=parent_id, article=article).first()
        if parent is None or not parent.is_public:
            raise CommentError("The comment you are replying to is no longer available.", status=404)
        if parent.depth >= settings.COMMENTS_MAX_DEPTH - 1 and parent.parent_id is not None:
            parent = parent.parent  # replies below the deepest level join it
    html = _render_checked(user=user, body=body, now=now)
    new = is_new_account(user, now=now)

    duplicate = duplicate_limit(user=user, body=body)
    if (retry_at := take(duplicate, now=now)) is not None:
        raise CommentError.from_refusal(Refusal(duplicate.reason, retry_at, now), status=409)
    refusal = take_all(posting_limits(user=user, ip=ip, new=new), now=now)
    if refusal is not None:
        give_back(duplicate)
        raise CommentError.from_refusal(refusal)

    profile = profile_for(user)
    if user.is_staff:  # type: ignore[attr-defined]
        status, held, message = Status.VISIBLE, Comment.Held.NONE, "Your comment is published."
    elif not profile.email_verified:
        status, held = Status.HELD, Comment.Held.UNVERIFIED
        message = (
            "Your comment is saved but only you can see it: confirm your email address (we sent you a link), "
            "then a moderator reviews your first comment."
        )
    elif profile.approved_comments == 0:
        status, held = Status.HELD, Comment.Held.FIRST
        message = (
            "Thanks! Your first comment is visible to you now and to everyone once a moderator approves it."
        )
    else:
        status, held, message = Status.VISIBLE, Comment.Held.NONE, "Your comment is published."
    with transaction.atomic():
        comment = Comment.objects.create(
            article=article,
            user=user,
            parent=parent,
            root_id=(parent.root_id or parent.pk) if parent else None,
            depth=parent.depth + 1 if parent else 0,
            body=body,
            body_html=html,
            status=status,
            held_reason=held,
            created_at=now,
            ip_address=ip or None,
        )
        if status == Status.VISIBLE:
            _sync_count(comment.pk)
            if not user.is_staff:  # type: ignore[attr-defined]
                approved_add(user_id=user.pk)
    return Posted(comment=comment, message=message)


def can_edit(comment: Comment, user: AbstractBaseUser, *, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return (
        user.is_authenticated
        and comment.user_id == user.pk
        and comment.deleted_at is None
        and comment.status in (Status.VISIBLE, Status.HELD)
        and now - comment.created_at <= timedelta(minutes=settings.COMMENTS_EDIT_MINUTES)
    )


def comment_edit(
    *, user: AbstractBaseUser, comment: Comment, body: str, now: datetime | None = None
) -> Comment:
    now = now or timezone.now()
    _check_user(user)
    if comment.user_id != user.pk:
        raise CommentError("You can only edit your own comments.", status=403)
    if not can_edit(comment, user, now=now):
        raise CommentError(
            f"Comments can be edited for {settings.COMMENTS_EDIT_MINUTES} minutes after posting; "
            "that time is over for this one.",
            status=403,
        )
    body = check_body(body)
    html = _render_checked(user=user, body=body, now=now)
    updated = Comment.objects.filter(
        pk=comment.pk, user=user, deleted_at__isnull=True, status__in=[Status.VISIBLE, Status.HELD]
    ).update(body=body, body_html=html, edited_at=now)
    if not updated:
        raise CommentError("This comment can no longer be edited.", status=409)
    comment.body, comment.body_html, comment.edited_at = body, html, now
    if comment.status == Status.VISIBLE:
        transaction.on_commit(bump_page_cache)
    return comment


def comment_delete(*, user: AbstractBaseUser, comment: Comment, now: datetime | None = None) -> None:
    """The author deletes: the text goes, the place in the thread stays as "[deleted]"."""
    now = now or timezone.now()
    if comment.user_id != user.pk:
        raise CommentError("You can only delete your own comments.", status=403)
    with transaction.atomic():
        Comment.objects.filter(pk=comment.pk, deleted_at__isnull=True).update(
            deleted_at=now, body="", body_html="", ip_address=None
        )
        _sync_count(comment.pk)


# ---------------------------------------------------------------- votes and flags


def vote_cast(
    *, user: AbstractBaseUser, comment_id: int, value: int, now: datetime | None = None
) -> tuple[int, int]:
    """Set the user's vote to +1, -1 or 0 (none). Returns (score, the user's vote).

    The unique constraint decides between racing requests of one user; the score moves by ``F()`` in
    the same transaction as the vote row, so it always equals the sum of the weighted votes.
    """
    now = now or timezone.now()
    if value not in (-1, 0, 1):
        raise CommentError("A vote is up, down or none.")
    comment = Comment.objects.select_related("article").filter(pk=comment_id).first()
    if comment is None or not comment.is_public:
        raise CommentError("This comment is not available.", status=404)
    _check_user(user)
    if comment.user_id == user.pk:
        raise CommentError("You cannot vote on your own comment.")
    if not comments_open(comment.article, now=now):
        raise CommentError("Voting is closed on this article's comments.", status=403)
    limit = Limit(f"v:day:{user.pk}", 100, 86400, "You can vote at most 100 times a day.")
    if (retry_at := take(limit, now=now)) is not None:
        raise CommentError.from_refusal(Refusal(limit.reason, retry_at, now))
    weight = 0 if user.date_joined > now - timedelta(hours=settings.COMMENTS_NEW_ACCOUNT_HOURS) else 1  # type: ignore[attr-defined]
    delta = 0
    with transaction.atomic():
        created = False
        if value:
            try:
                with transaction.atomic():
                    Vote.objects.create(
                        user=user, comment=comment, value=value, weight=weight, created_at=now
                    )
                created = True
                delta = value * weight
            except IntegrityError:
                pass
        if not created:
            vote = Vote.objects.select_for_update().filter(user=user, comment=comment).first()
            if vote is not None and vote.value != value:
                if value:
                    Vote.objects.filter(pk=vote.pk).update(value=value)
                    delta = (value - vote.value) * vote.weight
                else:
                    vote.delete()
                    delta = -vote.value * vote.weight
        if delta:
            Comment.objects.filter(pk=comment.pk).update(score=F("score") + delta)
    if not delta and not created:
        give_back(limit)
    score = Comment.objects.filter(pk=comment.pk).values_list("score", flat=True).get()
    return score, value


def flag_add(
    *, user: AbstractBaseUser, comment_id: int, reason: str, note: str = "", now: datetime | None = None
) -> str:
    now = now or timezone.now()
    comment = Comment.objects.filter(pk=comment_id).first()
    if comment is None or not comment.is_public:
        raise CommentError("This comment is not available.", status=404)
    _check_user(user)
    if comment.user_id == user.pk:
        raise CommentError("You cannot flag your own comment; you can edit or delete it.")
    if reason not in Flag.Reason.values:
        raise CommentError("Choose a reason for the flag.")
    if Flag.objects.filter(user=user, comment=comment).exists():
        return "You already flagged this comment; the moderators have been told."
    limit = Limit(f"f:day:{user.pk}", 20, 86400, "You can flag at most 20 comments a day.")
    if (retry_at := take(limit, now=now)) is not None:
        raise CommentError.from_refusal(Refusal(limit.reason, retry_at, now))
    trusted = not is_new_account(user, now=now)
    with transaction.atomic():
        try:
            with transaction.atomic():
                Flag.objects.create(
                    user=user,
                    comment=comment,
                    reason=reason,
                    note=note[:500],
                    trusted=trusted,
                    created_at=now,
                )
        except IntegrityError:
            return "You already flagged this comment; the moderators have been told."
        Comment.objects.filter(pk=comment.pk).update(flag_count=F("flag_count") + 1)
        trusted_flags = Flag.objects.filter(comment=comment, trusted=True, resolved_at__isnull=True).count()
        if trusted_flags >= settings.COMMENTS_FLAGS_TO_HIDE:
            if Comment.objects.filter(pk=comment.pk, status=Status.VISIBLE).update(status=Status.HIDDEN):
                _sync_count(comment.pk)
                log.info("comment auto-hidden comment_id=%s flags=%s", comment.pk, trusted_flags)
    return "Thanks: the moderators will look at this comment."


# ---------------------------------------------------------------- moderation

ACTIONS = ("approve", "hide", "remove")


def moderate(
    *, comment_id: int, action: str, moderator: AbstractBaseUser, now: datetime | None = None
) -> Comment:
    now = now or timezone.now()
    if action not in ACTIONS:
        raise CommentError("Unknown moderation action.")
    with transaction.atomic():
        comment = Comment.objects.select_for_update().filter(pk=comment_id).first()
        if comment is None:
            raise CommentError("No such comment.", status=404)
        was_held = comment.status == Status.HELD
        if action == "approve":
            if was_held and comment.held_reason == Comment.Held.UNVERIFIED:
                raise CommentError(
                    "The author has not confirmed their email address yet; it cannot be approved."
                )
            new_status = Status.VISIBLE
        else:
            new_status = Status.HIDDEN if action == "hide" else Status.REMOVED
        Comment.objects.filter(pk=comment.pk).update(
            status=new_status, held_reason=Comment.Held.NONE, moderated_at=now, moderated_by=moderator
        )
        Flag.objects.filter(comment=comment, resolved_at__isnull=True).update(resolved_at=now)
        _sync_count(comment.pk)
        if action == "approve" and was_held and comment.user_id:
            approved_add(user_id=comment.user_id)
    comment.refresh_from_db()
    log.info("comment moderated comment_id=%s action=%s by=%s", comment.pk, action, moderator.pk)
    return comment


def author_verified(*, user: AbstractBaseUser) -> None:
    """Email confirmed: comments held for that now wait for a moderator (or go out if already trusted)."""
    held = Comment.objects.filter(user=user, status=Status.HELD, held_reason=Comment.Held.UNVERIFIED)
    if profile_for(user).approved_comments > 0:
        for pk in held.values_list("pk", flat=True):
            Comment.objects.filter(pk=pk).update(status=Status.VISIBLE, held_reason=Comment.Held.NONE)
            _sync_count(pk)
    else:
        held.update(held_reason=Comment.Held.FIRST)


def comments_of_banned_user(*, user: AbstractBaseUser, moderator: AbstractBaseUser, now: datetime) -> None:
    Comment.objects.filter(user=user, status=Status.HELD).update(
        status=Status.REMOVED, held_reason=Comment.Held.NONE, moderated_at=now, moderated_by=moderator
    )


def comments_of_deleted_user(*, user: AbstractBaseUser, remove: bool, now: datetime) -> None:
    """Before an account goes: undo its votes and flags; remove or keep (as "deleted user") its comments."""
    for comment_id, moved in Vote.objects.filter(user=user).values_list(
        "comment_id", F("value") * F("weight")
    ):
        if moved:
            Comment.objects.filter(pk=comment_id).update(score=F("score") - moved)
    Vote.objects.filter(user=user).delete()
    for comment_id in Flag.objects.filter(user=user).values_list("comment_id", flat=True):
        Comment.objects.filter(pk=comment_id, flag_count__gt=0).update(flag_count=F("flag_count") - 1)
    Flag.objects.filter(user=user).delete()
    mine = Comment.objects.filter(user=user)
    # Held comments were never public: they go either way.
    doomed = mine if remove else mine.filter(status=Status.HELD)
    ids = list(doomed.filter(deleted_at__isnull=True).values_list("pk", flat=True))
    doomed.filter(deleted_at__isnull=True).update(deleted_at=now, body="", body_html="")
    mine.update(ip_address=None)
    for pk in ids:
        _sync_count(pk)


def purge_held(*, now: datetime | None = None) -> int:
    """Held comments older than COMMENTS_HELD_PURGE_DAYS are deleted (nobody can reply to a held comment)."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.COMMENTS_HELD_PURGE_DAYS)
    deleted, _ = Comment.objects.filter(status=Status.HELD, created_at__lt=cutoff, counted=False).delete()
    return deleted


def scores_recount() -> int:
    """Compare every score with its votes and fix drift (there should be none); returns fixes made."""
    from django.db.models import Sum

    fixed = 0
    sums = dict(
        Vote.objects.values("comment_id")
        .annotate(s=Sum(F("value") * F("weight")))
        .values_list("comment_id", "s")
    )
    for pk, score in Comment.objects.values_list("pk", "score").iterator():
        expected = sums.get(pk) or 0
        if expected != score:
            Comment.objects.filter(pk=pk).update(score=expected)
            fixed += 1
    if fixed:
        log.warning("comment scores recounted fixed=%s", fixed)
    return fixed
