"""``pair_idf_refresh``: the document frequencies that Similar News re-ranks with, over recent articles.

The pair scorer (``cupure.pipeline.similarity.pairs``) weighs each shared word, name prefix and
character n-gram by how rare it is among recent articles. Counting that takes a few milliseconds per
article, too slow for a page, so the worker counts it on a schedule over the latest ``PAIR_IDF_ARTICLES``
articles and stores the snapshot in the single ``PairIdf`` row; pages read it (``stories.selectors``).
"""

from __future__ import annotations

import logging

from django.db.models import QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from cupure.articles.models import Article
from cupure.pipeline.similarity.pairs import PAIR_BODY_CHARS, PairScorer, pair_text
from cupure.stories.models import PairIdf

log = logging.getLogger(__name__)

# Enough articles for stable frequencies; bounds the hourly run to seconds whatever the archive's size.
PAIR_IDF_ARTICLES = 2000


def pair_texts(articles: QuerySet[Article]) -> dict[int, tuple[str, str]]:
    """``{id: (text, language)}`` as the pair scorer reads each article; only the body's head is fetched."""
    rows = articles.annotate(head=Substr("body_text", 1, PAIR_BODY_CHARS)).values_list(
        "id", "title", "head", "language"
    )
    return {i: (pair_text(title, head), language or "en") for i, title, head, language in rows}


def pair_idf_refresh(*, limit: int = PAIR_IDF_ARTICLES) -> int:
    """Count the latest ``limit`` visible articles into a fresh snapshot; returns how many were counted."""
    latest = Article.objects.filter(hidden=False).order_by("-sort_at", "-id")[:limit]
    scorer = PairScorer.fit(pair_texts(latest).values())
    PairIdf.objects.update_or_create(
        pk=1, defaults={"data": scorer.to_json(), "articles": scorer.n_docs, "saved_at": timezone.now()}
    )
    log.info("pair IDF snapshot counted over %d articles", scorer.n_docs)
    return scorer.n_docs
