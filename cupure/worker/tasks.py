"""Huey tasks: thin wrappers that load ids and call one service (STYLE.md R6)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

from cupure.sources.models import Source
from cupure.sources.services import sources_refresh
from cupure.worker.enrich import article_enrich


@db_task(retries=1, retry_delay=60)
def source_refresh_task(source_id: int) -> None:
    # due_only: a task that waited in a backlog must not poll a source another task just polled.
    stats = sources_refresh(source_ids=[source_id], due_only=True)
    enqueue_enrichment(stats.article_ids)


@db_task()
def article_enrich_task(article_id: int) -> None:
    article_enrich(article_id=article_id)


def enqueue_enrichment(article_ids: list[int]) -> None:
    """Enqueue after commit, so the worker never looks for a row that is not there yet."""
    for article_id in article_ids:
        transaction.on_commit(lambda article_id=article_id: article_enrich_task(article_id))


@db_periodic_task(crontab(minute="*"))
@lock_task("sources-due")
def sources_due_task() -> None:
    """Every minute: enqueue the due sources (the lease in source_refresh stops double work)."""
    now = timezone.now()
    due = Source.objects.filter(active=True).filter(Q(next_fetch_at__isnull=True) | Q(next_fetch_at__lte=now))
    due = due.filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now)).values_list("id", flat=True)[:500]
    for source_id in due:
        source_refresh_task(source_id)


@db_periodic_task(crontab(minute="*/5"))
@lock_task("trending")
def trending_recompute_task() -> None:
    from cupure.trending.services import trending_recompute

    trending_recompute()


@db_periodic_task(crontab(minute="17", hour="*/6"))
@lock_task("sections-retrain")
def section_classifier_retrain_task() -> None:
    from cupure.sectioning import services

    retrain = getattr(services, "section_classifier_retrain", None)
    if retrain is not None:
        retrain()


@db_periodic_task(crontab(minute="23"))
@lock_task("neardup-prune")
def neardup_prune_task() -> None:
    """Hourly: near-duplicate keys of articles past the near-duplicate window (bounded batches)."""
    from cupure.stories.services.prune import neardup_prune

    neardup_prune()


@db_periodic_task(crontab(minute="53"))
@lock_task("pair-idf-refresh")
def pair_idf_refresh_task() -> None:
    """Hourly: the word and n-gram frequencies Similar News re-ranks with (latest 2,000 articles)."""
    from cupure.stories.services.pair_idf import pair_idf_refresh

    pair_idf_refresh()


@db_periodic_task(crontab(minute="41", hour="3"))
@lock_task("keywords-prune")
def keywords_prune_task() -> None:
    """Daily: keywords no article carries any more (bounded batches)."""
    from cupure.trending.services import keywords_prune

    keywords_prune()
