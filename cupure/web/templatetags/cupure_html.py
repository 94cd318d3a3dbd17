"""The only place stored HTML is marked safe (SECURITY.md 4.4 step 5).

Article bodies are sanitised at ingest; one stored under an older sanitiser version is cleaned again
on the way out, so a sanitiser fix protects pages before ``cupure reprocess`` has run.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince

from cupure.articles.models import Article
from cupure.pipeline.sanitize import SANITIZER_VERSION, sanitize_html

register = template.Library()


@register.simple_tag
def sanitized_html(html: str, version: int, base_url: str | None = None) -> SafeString:
    if version < SANITIZER_VERSION:
        html = sanitize_html(html, base_url=base_url)
    return mark_safe(html)  # noqa: S308 - sanitised by the one allow-list above or at ingest


@register.filter
def ago(value: datetime | None) -> str:
    """'3 hours ago': the largest unit only (the exact time is in the element's datetime/title)."""
    if value is None:
        return ""
    if (timezone.now() - value).total_seconds() < 60:
        return "just now"
    return f"{timesince(value, depth=1)} ago"


_ROUTE: tuple[str, str, str] | None = None  # the article URL around its id and slug, once reversed


def _article_route() -> tuple[str, str, str]:
    global _ROUTE
    if _ROUTE is None:
        url = reverse("web:article-slug", args=[918273645, "cupure-slug-mark"])
        head, rest = url.split("918273645", 1)
        mid, tail = rest.split("cupure-slug-mark", 1)
        prefix = get_script_prefix()
        _ROUTE = (head[len(prefix) :] if head.startswith(prefix) else head, mid, tail)
    return _ROUTE


@register.filter
def article_url(article: Any) -> str:
    """``article.get_absolute_url()`` without a ``reverse()`` per card (the route is reversed once)."""
    if not isinstance(article, Article):
        return article.get_absolute_url()
    head, mid, tail = _article_route()
    return f"{get_script_prefix()}{head}{article.id}{mid}{article.slug}{tail}"


_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def jsonld(data: dict[str, object]) -> SafeString:
    """A JSON-LD block; <, > and & are escaped so no text in it can close the script element."""
    import json

    text = json.dumps(data, ensure_ascii=False, default=str).translate(_JSON_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308 - escaped above


@register.simple_tag
def comment_html(html: str) -> SafeString:
    """A comment body: rendered and cleaned when posted, cleaned again here with the comment allow-list."""
    from cupure.comments.markup import clean

    return mark_safe(clean(html))  # noqa: S308 - cleaned by the comment allow-list just above
