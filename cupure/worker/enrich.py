"""Enrichment after an article is stored: keywords, section, story. Each step is idempotent."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.utils import timezone

from cupure.articles.models import Article
from cupure.sectioning.services import article_section_assign
from cupure.stories.services import story_assign
from cupure.trending.services import article_keywords_refresh

log = logging.getLogger(__name__)


def article_enrich(*, article_id: int) -> None:
    article_keywords_refresh(article_id=article_id)
    article_section_assign(article_id=article_id)
    story_assign(article_id=article_id)
    Article.objects.filter(id=article_id).update(enriched_at=timezone.now())


def articles_enrich(article_ids: Iterable[int]) -> int:
    """Enrich each article; one failure is logged and does not stop the rest."""
    done = 0
    for article_id in dict.fromkeys(article_ids):  # one article seen by several sources: enrich it once
        try:
            article_enrich(article_id=article_id)
            done += 1
        except Exception:
            log.exception("enrichment failed", extra={"article_id": article_id})
    return done
