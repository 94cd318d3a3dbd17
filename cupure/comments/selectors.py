"""Reading comments: an article's threads as the viewer may see them, a user's history, the queue."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet
from django.utils import timezone

from cupure.comments.models import Comment, Flag, Vote
from cupure.comments.services import can_edit

Status = Comment.Status
ORDERS = ("top", "newest", "oldest")
THREADS_PER_PAGE = 50
MAX_COMMENTS_LOADED = 3000


@dataclass
class Node:
    comment: Comment
    children: list[Node] = field(default_factory=list)
    show_body: bool = True
    note: str = ""  # "awaiting moderation", "[deleted]", ...
    can_edit: bool = False
    can_delete: bool = False
    can_vote: bool = False
    my_vote: int = 0
    is_mine: bool = False

    @property
    def id(self) -> int:
        return self.comment.pk


def _sort_key(order: str):  # type: ignore[no-untyped-def]
    if order == "newest":
        return lambda n: (-n.comment.created_at.timestamp(), -n.comment.pk)
    if order == "oldest":
        return lambda n: (n.comment.created_at.timestamp(), n.comment.pk)
    return lambda n: (-n.comment.score, n.comment.created_at.timestamp(), n.comment.pk)


def _visible_to(viewer: AbstractBaseUser | AnonymousUser) -> Q:
    if viewer.is_authenticated and viewer.is_staff:
        return Q()
    q = Q(status=Status.VISIBLE) | Q(status__in=[Status.HIDDEN, Status.REMOVED])  # placeholders keep shape
    if viewer.is_authenticated:
        q |= Q(status=Status.HELD, user=viewer)
    return q


def _decorate(node: Node, viewer: AbstractBaseUser | AnonymousUser, now: datetime, is_open: bool) -> None:
    c = node.comment
    staff = viewer.is_authenticated and viewer.is_staff
    node.is_mine = viewer.is_authenticated and c.user_id == viewer.pk
    if c.deleted_at is not None:
        node.show_body, node.note = False, "[deleted]"
    elif c.status == Status.HELD:
        node.note = (
            "awaiting moderation: only you and the moderators can see this" if node.is_mine else "held"
        )
    elif c.status in (Status.HIDDEN, Status.REMOVED):
        node.note = "[hidden by a moderator]" if c.status == Status.HIDDEN else "[removed by a moderator]"
        node.show_body = staff
    node.can_edit = is_open and node.is_mine and can_edit(c, viewer, now=now)  # type: ignore[arg-type]
    node.can_delete = node.is_mine and c.deleted_at is None
    node.can_vote = is_open and viewer.is_authenticated and not node.is_mine and c.is_public


def _keep(node: Node, staff: bool) -> bool:
    """Placeholders (deleted, hidden) only stay when replies hang below them."""
    node.children = [child for child in node.children if _keep(child, staff)]
    if node.show_body or node.children:
        return True
    return staff and node.comment.status != Status.VISIBLE and node.comment.deleted_at is None


def build_forest(
    comments: list[Comment], *, viewer: AbstractBaseUser | AnonymousUser, order: str, is_open: bool
) -> list[Node]:
    now = timezone.now()
    nodes = {c.pk: Node(comment=c) for c in comments}
    roots: list[Node] = []
    for node in nodes.values():
        _decorate(node, viewer, now, is_open)
        parent = nodes.get(node.comment.parent_id) if node.comment.parent_id else None
        if parent is None:
            roots.append(node)  # a top-level comment, or the top of a subtree rendered on its own
        else:
            parent.children.append(node)
    if viewer.is_authenticated and nodes:
        votes = dict(
            Vote.objects.filter(user=viewer, comment_id__in=list(nodes)).values_list("comment_id", "value")
        )
        for pk, value in votes.items():
            nodes[pk].my_vote = value
    staff = bool(viewer.is_authenticated and viewer.is_staff)
    key = _sort_key(order)

    def sort(level: list[Node]) -> list[Node]:
        level.sort(key=key)
        for n in level:
            sort(n.children)
        return level

    return sort([r for r in roots if _keep(r, staff)])


def article_threads(
    *, article_id: int, viewer: AbstractBaseUser | AnonymousUser, order: str, is_open: bool
) -> list[Node]:
    comments = list(
        Comment.objects.filter(article_id=article_id)
        .filter(_visible_to(viewer))
        .select_related("user")
        .order_by("created_at", "id")[:MAX_COMMENTS_LOADED]
    )
    return build_forest(comments, viewer=viewer, order=order, is_open=is_open)


def thread_of(
    *, comment: Comment, viewer: AbstractBaseUser | AnonymousUser, order: str, is_open: bool
) -> Node | None:
    """The comment with its replies, as the viewer may see it (None when hidden from them)."""
    root_id = comment.root_id or comment.pk
    comments = list(
        Comment.objects.filter(Q(pk=root_id) | Q(root_id=root_id))
        .filter(_visible_to(viewer))
        .select_related("user")
    )
    forest = build_forest(comments, viewer=viewer, order=order, is_open=is_open)
    stack = list(forest)
    while stack:
        node = stack.pop()
        if node.id == comment.pk:
            return node
        stack.extend(node.children)
    return None


def user_comments(*, user: AbstractBaseUser, viewer: AbstractBaseUser | AnonymousUser) -> QuerySet[Comment]:
    qs = Comment.objects.filter(user=user, deleted_at__isnull=True).select_related("article")
    if viewer.is_authenticated and (viewer.is_staff or viewer.pk == user.pk):
        if not viewer.is_staff:
            qs = qs.filter(status__in=[Status.VISIBLE, Status.HELD])
        return qs.order_by("-created_at", "-id")
    return qs.filter(status=Status.VISIBLE).order_by("-created_at", "-id")


def moderation_queue() -> dict[str, QuerySet]:
    flagged_ids = Flag.objects.filter(resolved_at__isnull=True).values("comment_id")
    return {
        "held": Comment.objects.filter(status=Status.HELD, deleted_at__isnull=True)
        .select_related("user", "article")
        .order_by("created_at")[:200],
        "flagged": Comment.objects.filter(pk__in=flagged_ids, deleted_at__isnull=True)
        .select_related("user", "article")
        .prefetch_related("flags__user")
        .order_by("-flag_count", "created_at")[:200],
    }


def queue_size() -> int:
    held = Comment.objects.filter(status=Status.HELD, deleted_at__isnull=True).count()
    flagged = Flag.objects.filter(resolved_at__isnull=True).values("comment_id").distinct().count()
    return held + flagged
