"""Comment pages and actions. Every action answers JSON to comments.js and plain pages without JS."""

from __future__ import annotations

import logging
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cupure.accounts.services import profile_for, user_ban, user_unban
from cupure.accounts.throttle import client_ip
from cupure.articles.models import Article
from cupure.comments import selectors, services
from cupure.comments.forms import CommentForm, EditForm, FlagForm, form_token, form_token_check
from cupure.comments.models import Comment, Flag
from cupure.comments.services import CommentError

log = logging.getLogger(__name__)
User = get_user_model()


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _private(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, private=True, no_store=True)
    return response


def _order(request: HttpRequest) -> str:
    order = request.GET.get("order", "")
    return order if order in selectors.ORDERS else "top"


def _signed_in(view):  # type: ignore[no-untyped-def]
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            if _wants_json(request):
                return JsonResponse(
                    {"ok": False, "error": "Sign in first.", "login": "/accounts/login/"}, status=401
                )
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


def _staff(view):  # type: ignore[no-untyped-def]
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_staff:
            raise Http404("No such page")
        return _private(view(request, *args, **kwargs))

    return wrapper


def _refuse(request: HttpRequest, err: CommentError, template: str, context: dict[str, Any]) -> HttpResponse:
    if _wants_json(request):
        response: HttpResponse = JsonResponse(
            {"ok": False, "error": err.message, "retry_after": err.retry_after}, status=err.status
        )
    else:
        context = {**context, "error": err.message}
        response = render(request, template, context, status=err.status)
    if err.retry_after:
        response["Retry-After"] = str(err.retry_after)
    return _private(response)


def _node_html(request: HttpRequest, comment: Comment, article: Article) -> str:
    is_open = services.comments_open(article)
    node = selectors.build_forest([comment], viewer=request.user, order="top", is_open=is_open)
    if not node:
        return ""
    return render_to_string(
        "comments/_comment.html", {"node": node[0], "article": article, "is_open": is_open}, request=request
    )


def _form_context(request: HttpRequest, article: Article) -> dict[str, Any]:
    user = request.user
    ctx: dict[str, Any] = {"is_open": services.comments_open(article), "max_length": None}
    if user.is_authenticated:
        profile = profile_for(user)
        ctx.update(
            token=form_token(user_id=user.pk),
            email_verified=profile.email_verified,
            banned=profile.banned,
        )
    return ctx


# ---------------------------------------------------------------- reading


@require_GET
def article_comments(request: HttpRequest, article_id: int) -> HttpResponse:
    """The discussion: a fragment for site.js (``HX-Request``) or a whole page without JavaScript."""
    article = get_object_or_404(Article.objects.select_related("primary_source"), pk=article_id, hidden=False)
    order = _order(request)
    is_open = services.comments_open(article)
    threads = selectors.article_threads(
        article_id=article.pk, viewer=request.user, order=order, is_open=is_open
    )
    page = Paginator(threads, selectors.THREADS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "article": article,
        "nodes": page.object_list,
        "page": page,
        "order": order,
        "orders": selectors.ORDERS,
        "form": CommentForm(),
        **_form_context(request, article),
    }
    fragment = request.headers.get("HX-Request") == "true"
    template = "comments/fragment.html" if fragment else "comments/article_page.html"
    return _private(render(request, template, context))


@require_GET
def permalink(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = get_object_or_404(
        Comment.objects.select_related("article"), pk=comment_id, article__hidden=False
    )
    is_open = services.comments_open(comment.article)
    node = selectors.thread_of(comment=comment, viewer=request.user, order=_order(request), is_open=is_open)
    if node is None:
        raise Http404("No such comment")
    context = {
        "article": comment.article,
        "node": node,
        "parent_id": comment.parent_id,
        "form": CommentForm(),
        **_form_context(request, comment.article),
    }
    return _private(render(request, "comments/permalink.html", context))


# ---------------------------------------------------------------- writing


@require_POST
@_signed_in
def comment_post(request: HttpRequest, article_id: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=article_id, hidden=False)
    form = CommentForm(request.POST)
    context = {"article": article, "form": form, "nodes": [], "order": "top", "orders": selectors.ORDERS}
    context.update(_form_context(request, article))
    if form.honeypot_filled():
        # Bots get the same calm answer as people; nothing is stored.
        log.warning("comment honeypot filled user_id=%s ip=%s", request.user.pk, client_ip(request))
        if _wants_json(request):
            return _private(JsonResponse({"ok": True, "message": "Thank you, your comment was received."}))
        return _private(render(request, "comments/received.html", {"article": article}))
    try:
        form_token_check(request.POST.get("ts", ""), user_id=request.user.pk)
        if not form.is_valid():
            raise CommentError(next(iter(form.errors.values()))[0])
        posted = services.comment_create(
            user=request.user,
            article=article,
            body=form.cleaned_data["body"],
            parent_id=form.cleaned_data.get("parent"),
            ip=client_ip(request),
        )
    except CommentError as err:
        return _refuse(request, err, "comments/article_page.html", context)
    comment = posted.comment
    if _wants_json(request):
        article.refresh_from_db(fields=["comment_count"])
        return _private(
            JsonResponse(
                {
                    "ok": True,
                    "message": posted.message,
                    "id": comment.pk,
                    "parent": comment.parent_id,
                    "html": _node_html(request, comment, article),
                    "count": article.comment_count,
                },
                status=201,
            )
        )
    messages.success(request, posted.message)
    return redirect(f"/comments/article/{article.pk}/#c{comment.pk}")


@require_GET
@_signed_in
def reply(request: HttpRequest, comment_id: int) -> HttpResponse:
    """The reply form on a page of its own, for readers without JavaScript."""
    return permalink(request, comment_id)


def _own_comment(request: HttpRequest, comment_id: int) -> Comment:
    comment = get_object_or_404(Comment.objects.select_related("article"), pk=comment_id)
    if comment.user_id != request.user.pk:
        raise Http404("No such comment")  # another user's comment: same answer as a missing one
    return comment


@require_http_methods(["GET", "POST"])
@_signed_in
def edit(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _own_comment(request, comment_id)
    form = EditForm(request.POST or None, initial={"body": comment.body})
    context = {"comment": comment, "article": comment.article, "form": form}
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise CommentError(next(iter(form.errors.values()))[0])
            if not services.comments_open(comment.article):
                raise CommentError("Comments are closed on this article.", status=403)
            services.comment_edit(user=request.user, comment=comment, body=form.cleaned_data["body"])
        except CommentError as err:
            return _refuse(request, err, "comments/edit.html", context)
        if _wants_json(request):
            return _private(JsonResponse({"ok": True, "html": _node_html(request, comment, comment.article)}))
        messages.success(request, "Your comment is updated.")
        return redirect(f"/comments/article/{comment.article_id}/#c{comment.pk}")
    if not services.can_edit(comment, request.user):
        context["error"] = "This comment can no longer be edited."
    return _private(render(request, "comments/edit.html", context))


@require_http_methods(["GET", "POST"])
@_signed_in
def delete(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _own_comment(request, comment_id)
    if request.method == "POST":
        services.comment_delete(user=request.user, comment=comment)
        if _wants_json(request):
            comment.refresh_from_db()
            comment.article.refresh_from_db(fields=["comment_count"])
            html = _node_html(request, comment, comment.article)
            return _private(JsonResponse({"ok": True, "html": html, "count": comment.article.comment_count}))
        messages.success(request, "Your comment is deleted.")
        return redirect(f"/comments/article/{comment.article_id}/#comments")
    return _private(render(request, "comments/delete.html", {"comment": comment, "article": comment.article}))


@require_POST
@_signed_in
def vote(request: HttpRequest, comment_id: int) -> HttpResponse:
    try:
        value = int(request.POST.get("value", ""))
    except ValueError:
        value = 99  # refused by the service with its message
    try:
        score, mine = services.vote_cast(user=request.user, comment_id=comment_id, value=value)
    except CommentError as err:
        if _wants_json(request):
            return _refuse(request, err, "", {})
        if err.status == 404:
            raise Http404(err.message) from err
        messages.error(request, err.message)
    else:
        if _wants_json(request):
            return _private(JsonResponse({"ok": True, "score": score, "vote": mine}))
    article_id = Comment.objects.filter(pk=comment_id).values_list("article_id", flat=True).first()
    return redirect(f"/comments/article/{article_id}/#c{comment_id}")


@require_http_methods(["GET", "POST"])
@_signed_in
def flag(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("article", "user"), pk=comment_id)
    if not comment.is_public:
        raise Http404("No such comment")
    form = FlagForm(request.POST or None)
    context = {"comment": comment, "article": comment.article, "form": form}
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise CommentError("Choose a reason for the flag.")
            message = services.flag_add(
                user=request.user,
                comment_id=comment.pk,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except CommentError as err:
            return _refuse(request, err, "comments/flag.html", context)
        if _wants_json(request):
            return _private(JsonResponse({"ok": True, "message": message}))
        messages.success(request, message)
        return redirect(f"/comments/article/{comment.article_id}/#c{comment.pk}")
    return _private(render(request, "comments/flag.html", context))


# ---------------------------------------------------------------- moderation


@require_GET
@_staff
def queue(request: HttpRequest) -> HttpResponse:
    context = {
        **selectors.moderation_queue(),
        "held_actions": ["approve", "remove"],
        "unverified_actions": ["remove"],
        "flag_actions": ["approve", "hide", "remove"],
    }
    return render(request, "comments/moderation/queue.html", context)


def _back(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@require_POST
@_staff
def moderate(request: HttpRequest, comment_id: int) -> HttpResponse:
    try:
        comment = services.moderate(
            comment_id=comment_id, action=request.POST.get("action", ""), moderator=request.user
        )
    except CommentError as err:
        if _wants_json(request):
            return _refuse(request, err, "", {})
        messages.error(request, err.message)
        return redirect(_back(request, "/comments/moderation/"))
    if _wants_json(request):
        return JsonResponse({"ok": True, "status": comment.status})
    messages.success(request, f"Comment {comment.pk}: {comment.get_status_display()}.")
    return redirect(_back(request, "/comments/moderation/"))


@require_http_methods(["GET", "POST"])
@_staff
def user_history(request: HttpRequest, username: str) -> HttpResponse:
    member = get_object_or_404(User, username=username)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "ban" and not member.is_staff:
            user_ban(user=member, moderator=request.user, reason=request.POST.get("reason", ""))
            messages.success(request, f"{member.username} is banned; their held comments are removed.")
        elif action == "unban":
            user_unban(user=member)
            messages.success(request, f"{member.username} may comment again.")
        else:
            messages.error(request, "Staff accounts cannot be banned here.")
        return redirect(f"/comments/moderation/u/{member.username}/")
    comments = Paginator(selectors.user_comments(user=member, viewer=request.user), 50).get_page(
        request.GET.get("page")
    )
    context = {
        "member": member,
        "profile": profile_for(member),
        "comments": comments,
        "flags_received": Flag.objects.filter(comment__user=member).count(),
        "flags_given": Flag.objects.filter(user=member).select_related("comment")[:50],
        "now": timezone.now(),
    }
    return render(request, "comments/moderation/user.html", context)
