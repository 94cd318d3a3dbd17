"""Trending writes: each article's keywords, the strip snapshots, the editors' block/pin rules."""

from __future__ import annotations

import logging
import time
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Count
from django.utils import timezone

from cupure.articles.models import Article
from cupure.pipeline.keywords import DocTerms, Term, compute_strip, extract_terms
from cupure.pipeline.keywords.strip import MIN_DOC_WEIGHT
from cupure.pipeline.urls import slugify_term
from cupure.trending.models import (
    ArticleKeyword,
    Keyword,
    KeywordRule,
    KeywordRuleLog,
    RuleAction,
    TrendingSnapshot,
)

log = logging.getLogger(__name__)

NOW_SPAN = timedelta(hours=24)
BASELINE_SPAN = timedelta(days=14)
# Stored per article: its prominent terms (title, or repeated in the body), heaviest first. Passing
# mentions are left out: they count for nothing on the strip and would put the article on topic
# pages it is not about.
MAX_TERMS = 20
KEY_CHARS = 128
# One day of 5-minute snapshots: enough to see how the strip moved.
KEEP_SNAPSHOTS = 288
KEYWORD_PRUNE_BATCH = 1000
KEYWORD_PRUNE_MAX_BATCHES = 50
_FALLBACK_SOURCE = "unknown"


# --- keywords per article ---------------------------------------------------------------------


def article_keywords_refresh(*, article_id: int) -> None:
    """Extract and store the article's keywords; running it again gives the same rows."""
    article = Article.objects.filter(id=article_id).only("title", "body_text", "language").first()
    if article is None:
        return
    terms = _prominent(extract_terms(article.title, article.body_text, language=article.language or None))
    for attempt in range(2):
        keywords = _keywords_for(terms)
        rows = [
            ArticleKeyword(
                article_id=article_id,
                keyword_id=keywords[t.key].id,
                weight=t.weight,
                surface=t.surface[:KEY_CHARS],
                in_name=t.in_name,
                surface_in_name=t.surface_in_name,
                guessed=t.guessed,
            )
            for t in terms
            if t.key in keywords
        ]
        try:
            with transaction.atomic():
                ArticleKeyword.objects.filter(article_id=article_id).delete()
                ArticleKeyword.objects.bulk_create(rows)
            return
        except IntegrityError:
            # keywords_prune deleted an unused keyword between the lookup and this insert (the foreign
            # key is checked at commit), or another worker stored this article's rows: look up again.
            if attempt:
                raise


def _prominent(terms: list[Term]) -> list[Term]:
    kept = [t for t in terms if t.weight >= MIN_DOC_WEIGHT and 0 < len(t.key) <= KEY_CHARS]
    return kept[:MAX_TERMS]


def _keywords_for(terms: list[Term]) -> dict[str, Keyword]:
    """The Keyword rows of these terms, creating the missing ones (slugs made unique)."""
    keys = {t.key: t for t in terms}
    found = {k.key: k for k in Keyword.objects.filter(key__in=keys)}
    missing = [t for key, t in keys.items() if key not in found]
    if missing:
        wanted = {t.key: _base_slug(t.key) for t in missing}
        taken = set(Keyword.objects.filter(slug__in=set(wanted.values())).values_list("slug", flat=True))
        fresh = []
        for t in missing:
            slug = wanted[t.key]
            if slug in taken:
                continue  # another key has this slug: made unique one by one below
            taken.add(slug)
            fresh.append(Keyword(key=t.key, slug=slug, display=t.surface[:KEY_CHARS]))
        Keyword.objects.bulk_create(fresh, ignore_conflicts=True)
        found.update({k.key: k for k in Keyword.objects.filter(key__in=[t.key for t in missing])})
        for t in missing:
            if t.key not in found:
                found[t.key] = keyword_get_or_create(key=t.key, display=t.surface)
    return found


def _base_slug(key: str) -> str:
    return slugify_term(key)[:120].strip("-") or "term"


def keyword_get_or_create(*, key: str, display: str = "") -> Keyword:
    """The keyword of ``key``; a new one gets ``slug``, ``slug-2``, ... whichever is free."""
    existing = Keyword.objects.filter(key=key).first()
    if existing is not None:
        return existing
    base = _base_slug(key)
    for n in range(1, 1000):
        slug = base if n == 1 else f"{base}-{n}"
        if Keyword.objects.filter(slug=slug).exists():
            continue
        try:
            with transaction.atomic():
                return Keyword.objects.create(key=key, slug=slug, display=(display or key)[:KEY_CHARS])
        except IntegrityError:
            existing = Keyword.objects.filter(key=key).first()
            if existing is not None:
                return existing
    raise RuntimeError(f"no free slug for keyword {key!r}")


def keywords_prune(*, batch: int = KEYWORD_PRUNE_BATCH, max_batches: int = KEYWORD_PRUNE_MAX_BATCHES) -> int:
    """Delete keywords no article carries any more; returns how many.

    A keyword loses its last article when edits or reprocessing change the articles' terms. Kept: the
    keys an editor's active rule names (a pin creates its keyword before any article has it) and the
    terms on the current strip (their topic pages are linked from every page). Each batch is one short
    transaction; a run deletes at most ``batch`` x ``max_batches`` and the next run goes on.
    """
    kept = set(KeywordRule.objects.filter(active=True).values_list("key", flat=True))
    strip = TrendingSnapshot.objects.order_by("-id").values_list("items", flat=True).first() or []
    kept.update(key for item in strip for key in [item["key"], *(item.get("keys") or ())])
    cursor, deleted = 0, 0
    for _ in range(max_batches):
        rows = list(
            Keyword.objects.filter(id__gt=cursor, article_links__isnull=True)
            .order_by("id")
            .values_list("id", "key")[:batch]
        )
        if not rows:
            break
        cursor = rows[-1][0]
        unused = [keyword_id for keyword_id, key in rows if key not in kept]
        if unused:
            deleted += _keywords_delete_unused(unused)
    log.info("unused keywords pruned", extra={"keywords": deleted})
    return deleted


def _keywords_delete_unused(ids: list[int]) -> int:
    """One statement that checks "no article carries it" again, as it deletes.

    Not ``QuerySet.delete()``: Django's cascade would also delete a link a worker committed since the
    check. Here such a keyword stays; a link not committed yet fails its foreign-key check at commit and
    ``article_keywords_refresh`` looks its keywords up again.
    """
    keyword = connection.ops.quote_name(Keyword._meta.db_table)
    link = connection.ops.quote_name(ArticleKeyword._meta.db_table)
    placeholders = ", ".join(["%s"] * len(ids))
    sql = (
        f"DELETE FROM {keyword} WHERE id IN ({placeholders}) "  # noqa: S608  (table names and placeholders)
        f"AND NOT EXISTS (SELECT 1 FROM {link} WHERE {link}.keyword_id = {keyword}.id)"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, ids)
        return int(cursor.rowcount)


# --- the strip ---------------------------------------------------------------------------------


def trending_recompute(*, now: datetime | None = None) -> None:
    """Compute the strip for the 24 hours before ``now`` against the 14 days before that; store it.

    Three reads: the editors' rules, the keywords of the last day's articles (with their publisher
    and time), and the baseline as counts per key and spelling. An article's source is its primary
    source (the first outlet seen with it), so one outlet's feeds cannot make a term look widespread.
    """
    started = time.monotonic()
    now = now or timezone.now()
    pinned, blocked = _rules()
    docs = _docs_now(now)
    baseline = _baseline_counts(now)
    strip = compute_strip(
        docs,
        (),
        baseline=baseline,
        now_span=NOW_SPAN,
        baseline_span=BASELINE_SPAN,
        size=settings.TRENDING_SIZE,
        min_sources=settings.TRENDING_MIN_SOURCES,
        pinned=pinned,
        blocked=blocked,
    )
    keywords = {k.key: k for k in Keyword.objects.filter(key__in=[t.key for t in strip])}
    items: list[dict[str, Any]] = []
    for term in strip:
        keyword = keywords.get(term.key)
        if keyword is None:
            continue
        if term.display and keyword.display != term.display[:KEY_CHARS]:
            keyword.display = term.display[:KEY_CHARS]
            Keyword.objects.filter(id=keyword.id).update(display=keyword.display)
        items.append(
            {
                "key": term.key,
                "keys": list(term.keys or (term.key,)),
                "slug": keyword.slug,
                "display": keyword.display,
                "score": term.score,
                "count_now": term.count_now,
                "baseline_rate": term.baseline_rate,
                "sources": term.sources,
                "first_seen": term.first_seen.isoformat() if term.first_seen else None,
                "pinned": term.pinned,
                "article_ids": [int(d) for d in term.doc_ids],
            }
        )
    with transaction.atomic():
        previous = TrendingSnapshot.objects.order_by("-id").values_list("items", flat=True).first()
        snapshot = TrendingSnapshot.objects.create(
            computed_at=now,
            items=items,
            article_count=len(docs),
            window_hours=int(NOW_SPAN.total_seconds() // 3600),
            baseline_days=BASELINE_SPAN.days,
            duration_ms=int((time.monotonic() - started) * 1000),
        )
        TrendingSnapshot.objects.filter(id__lte=snapshot.id - KEEP_SNAPSHOTS).delete()
    if _shown(previous or []) != _shown(items):
        from cupure.lib.pagecache import bump_page_cache

        bump_page_cache()
    log.info("trending recomputed", extra={"terms": len(items), "articles": len(docs)})


def _shown(items: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(i["slug"], i["display"]) for i in items]


def _rules() -> tuple[list[str], list[str]]:
    pinned: list[str] = []
    blocked: list[str] = []
    for key, action in (
        KeywordRule.objects.filter(active=True).order_by("created_at", "id").values_list("key", "action")
    ):
        (pinned if action == RuleAction.PIN else blocked).append(key)
    return pinned, blocked


def _docs_now(now: datetime) -> list[DocTerms]:
    rows = (
        ArticleKeyword.objects.filter(
            article__hidden=False, article__sort_at__gt=now - NOW_SPAN, article__sort_at__lte=now
        )
        .order_by()
        .values_list(
            "article_id",
            "article__primary_source_id",
            "article__sort_at",
            "keyword__key",
            "surface",
            "weight",
            "in_name",
            "surface_in_name",
            "guessed",
        )
    )
    docs: dict[int, tuple[str, datetime, list[Term]]] = {}
    for (
        article_id,
        source_id,
        sort_at,
        key,
        surface,
        weight,
        in_name,
        surface_in_name,
        guessed,
    ) in rows.iterator(chunk_size=5000):
        doc = docs.get(article_id)
        if doc is None:
            source = str(source_id) if source_id is not None else _FALLBACK_SOURCE
            doc = docs[article_id] = (source, sort_at, [])
        doc[2].append(
            Term(
                key=key,
                surface=surface or key,
                weight=weight,
                is_entity=False,
                in_name=in_name,
                surface_in_name=surface_in_name,
                guessed=guessed,
            )
        )
    return [
        DocTerms(doc_id=str(article_id), source=source, seen_at=seen_at, terms=terms)
        for article_id, (source, seen_at, terms) in sorted(docs.items())
    ]


def _baseline_counts(now: datetime) -> dict[str, Counter[str]]:
    """Per key and spelling, the baseline articles carrying it prominently (counted in the database)."""
    end = now - NOW_SPAN
    rows = (
        ArticleKeyword.objects.filter(
            article__hidden=False,
            article__sort_at__gt=end - BASELINE_SPAN,
            article__sort_at__lte=end,
            weight__gte=MIN_DOC_WEIGHT,
        )
        .order_by()
        .values_list("keyword__key", "surface")
        .annotate(n=Count("id"))
    )
    counts: dict[str, Counter[str]] = {}
    for key, surface, n in rows.iterator(chunk_size=5000):
        counts.setdefault(key, Counter())[surface or key] += n
    return counts


# --- editors' rules ----------------------------------------------------------------------------


def keyword_key_for(text: str) -> str:
    """The key an editor means by ``text``: a known key, a known slug or display, else the text."""
    text = " ".join((text or "").split())
    lowered = text.lower()
    if not lowered:
        raise ValueError("empty keyword")
    match = (
        Keyword.objects.filter(key=lowered).values_list("key", flat=True).first()
        or Keyword.objects.filter(slug=slugify_term(text)).values_list("key", flat=True).first()
        or Keyword.objects.filter(display__iexact=text).values_list("key", flat=True).first()
    )
    return match or lowered[:KEY_CHARS]


def keyword_block(*, key: str, user: Any = None, note: str = "", recompute: bool = True) -> KeywordRule:
    """Never show ``key`` (nor its plural spellings) on the strip; logged."""
    return _rule_set(key=key, action=RuleAction.BLOCK, user=user, note=note, recompute=recompute)


def keyword_pin(*, key: str, user: Any = None, note: str = "", recompute: bool = True) -> KeywordRule:
    """Always show ``key`` first on the strip (unless it is also blocked); logged."""
    return _rule_set(key=key, action=RuleAction.PIN, user=user, note=note, recompute=recompute)


def keyword_rule_clear(*, key: str, user: Any = None, note: str = "", recompute: bool = True) -> bool:
    """Switch off the rule on ``key`` (unpin or unblock); logged. False when there was none."""
    key = keyword_key_for(key)
    with transaction.atomic():
        rule = KeywordRule.objects.select_for_update().filter(key=key, active=True).first()
        if rule is None:
            return False
        rule.active = False
        rule.save(update_fields=["active"])
        action = (
            KeywordRuleLog.Action.UNPIN if rule.action == RuleAction.PIN else KeywordRuleLog.Action.UNBLOCK
        )
        KeywordRuleLog.objects.create(key=key, action=action, user=_user(user), note=note[:256])
    if recompute:
        trending_recompute()
    return True


def _rule_set(*, key: str, action: str, user: Any, note: str, recompute: bool) -> KeywordRule:
    key = keyword_key_for(key)
    if action == RuleAction.PIN:
        keyword_get_or_create(key=key)  # the strip links to its topic page even before it is seen
    with transaction.atomic():
        rule, _ = KeywordRule.objects.select_for_update().get_or_create(key=key, defaults={"action": action})
        rule.action = action
        rule.active = True
        rule.note = note[:256] or rule.note
        rule.created_by = _user(user) or rule.created_by
        rule.save()
        KeywordRuleLog.objects.create(key=key, action=action, user=_user(user), note=note[:256])
    if recompute:
        trending_recompute()
    return rule


def _user(user: Any) -> Any:
    return user if user is not None and getattr(user, "is_authenticated", False) else None
