"""``neardup_prune``: drop the near-duplicate lookup data of articles older than the near-duplicate window.

A new article is checked against the LSH band keys (``NearDupKey``, 42 rows per article) and MinHash
(``ArticleSignature.minhash``) of the articles before it. Wire copies appear within days of the original,
so both are kept for ``NEARDUP_WINDOW`` (the 3-day clustering window plus margin for late reposts) and
then deleted, so the table and its index stay the size of the window rather than of the archive.

The rest of the signature stays: the vector (Similar News, a story's centroid after an operator merge
or split) and ``dup_group`` (copies folded on story pages and in Similar News) are needed for as long as
the article is shown. A pruned article that is edited later simply gets fresh keys, pruned again later.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from cupure.articles.models import Article
from cupure.stories.models import ArticleSignature, NearDupKey

log = logging.getLogger(__name__)

NEARDUP_WINDOW = timedelta(days=7)
PRUNE_BATCH = 500  # articles per transaction (about 21,000 key rows): short write transactions
PRUNE_MAX_BATCHES = 40  # per run; the rest waits for the next run


@dataclass
class PruneResult:
    articles: int = 0
    keys: int = 0


def neardup_prune(
    *, now: datetime | None = None, batch: int = PRUNE_BATCH, max_batches: int = PRUNE_MAX_BATCHES
) -> PruneResult:
    """Delete the band keys and clear the MinHash of articles published before the near-duplicate window.

    Walks the keys in article-id order, ``batch`` articles at a time, so each step reads at most
    ``batch`` x 42 index entries whatever the archive's size: the work is proportional to the keys still
    stored (the window, plus what is due), not to the number of articles ever stored. An article
    imported with an old date is found wherever its id falls.
    """
    cutoff = (now or timezone.now()) - NEARDUP_WINDOW
    result = PruneResult()
    cursor, batches = 0, 0
    while batches < max_batches:
        ids = list(
            NearDupKey.objects.filter(article_id__gt=cursor)
            .order_by("article_id")
            .values_list("article_id", flat=True)
            .distinct()[:batch]
        )
        if not ids:
            break
        cursor = ids[-1]
        old = list(Article.objects.filter(id__in=ids, sort_at__lt=cutoff).values_list("id", flat=True))
        if not old:
            continue
        with transaction.atomic():
            deleted, _ = NearDupKey.objects.filter(article_id__in=old).delete()
            ArticleSignature.objects.filter(article_id__in=old).update(minhash={})
        result.articles += len(old)
        result.keys += deleted
        batches += 1
    log.info("near-duplicate keys pruned", extra={"articles": result.articles, "keys": result.keys})
    return result
