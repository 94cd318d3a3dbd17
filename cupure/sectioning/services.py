"""Section assignment: the editor's choice, else a single-topic source's section, else the section the
publisher's feed names for the item (a category matching a site section), else the classifier.

The classifier learns from the articles whose section is known (from single-topic sources, feed
categories, and those an editor sectioned by hand) and sections the rest of general sources.
"""

from __future__ import annotations

import hashlib
import logging
import random
import re
import threading
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

import numpy as np
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cupure.articles.models import Article, Section
from cupure.pipeline import embeddings
from cupure.pipeline.sections import EMBEDDING_TOKENS, Embedder, SectionClassifier, compose, reading
from cupure.sectioning.models import SectionModel, TextEmbedding

log = logging.getLogger(__name__)

MIN_SECTIONS = 2
MIN_PER_SECTION = 10
# The newest articles per section; enough to learn from, bounded training time and memory.
MAX_PER_SECTION = 2000
# General sources' newest items read for feed categories naming a section (labels for training).
FEED_LABELLED_SCAN = 20_000
HELD_OUT_SHARE = 0.2
# Below this calibrated probability the source's own section is the better guess.
MIN_CONFIDENCE = 0.5
KEEP_MODELS = 3
# Retraining re-sections this many of the newest articles of general sources.
RESECTION_LIMIT = 5000
BATCH = 500
# Embeddings are computed and stored this many texts at a time, so an interrupted retrain keeps
# what it already paid for.
EMBED_BATCH = 128
# Training uses the newest articles; older embeddings are rarely asked for again.
EMBEDDING_KEEP = timedelta(days=30)

# ((model id, trained at), classifier): the id alone can repeat after a restore or a rollback.
_loaded: tuple[tuple[int, datetime], SectionClassifier] | None = None
_lock = threading.Lock()


def article_section_assign(*, article_id: int) -> None:
    """Give the article a section unless an editor locked one."""
    article = (
        Article.objects.select_related("primary_source")
        .only(
            "title",
            "body_text",
            "section_id",
            "section_locked",
            "primary_source__section_id",
            "primary_source__single_topic",
            "feed_categories",
        )
        .filter(id=article_id)
        .first()
    )
    if article is None or article.section_locked:
        return
    source = article.primary_source
    if source is not None and source.single_topic and source.section_id is not None:
        target = source.section_id
    elif (target := publisher_section(article.feed_categories)) is None:
        target = _predicted([article]).get(article.id)
        if target is None and source is not None:
            target = source.section_id
    if target is not None and target != article.section_id:
        Article.objects.filter(id=article_id, section_locked=False).update(section_id=target)


def _category_key(text: str) -> str:
    key = " ".join(re.sub(r"[\W_]+", " ", text.lower()).split())
    return key.removesuffix(" news") or key


def section_names() -> dict[str, int]:
    """Each site section under the names a feed may give it: its slug and name, singular or plural,
    with or without "news" ("sport", "Sports", "World news")."""
    names: dict[str, int] = {}
    for section_id, slug, name in Section.objects.values_list("id", "slug", "name"):
        for key in {_category_key(slug), _category_key(name)}:
            names.setdefault(key, section_id)
            names.setdefault(key[:-1] if key.endswith("s") else f"{key}s", section_id)
    return names


def publisher_section(categories: Sequence[str], names: dict[str, int] | None = None) -> int | None:
    """The first of the item's feed categories that names a site section (feeds list the main one first).

    ``names`` is ``section_names()``, read here only when there are categories to match.
    """
    if not categories:
        return None
    names = section_names() if names is None else names
    for category in categories:
        if isinstance(category, str) and (section_id := names.get(_category_key(category))) is not None:
            return section_id
    return None


def section_classifier_retrain() -> None:
    """Train a new model on the articles whose section is known; then re-section general sources.

    Needs ``MIN_SECTIONS`` sections with ``MIN_PER_SECTION`` articles each, else nothing is trained.
    The accuracy is measured on a held-out fifth by a model trained on the
    rest; the stored model is then trained on everything.
    """
    started = time.monotonic()
    texts, labels = _training_set()
    counts = Counter(labels)
    if sum(1 for n in counts.values() if n >= MIN_PER_SECTION) < MIN_SECTIONS:
        log.info("section classifier: not enough sectioned articles", extra={"counts": dict(counts)})
        return
    keep = [i for i, label in enumerate(labels) if counts[label] >= MIN_PER_SECTION]
    texts, labels = [texts[i] for i in keep], [labels[i] for i in keep]
    embed, encoder_name = section_embedder()
    accuracy, held_out = _held_out_accuracy(texts, labels, embed=embed, encoder_name=encoder_name)
    # The articles the model will section are its unlabelled data (semi-supervised self-training).
    classifier = SectionClassifier.train(
        texts, labels, unlabeled_texts=_unlabeled_texts(), embed=embed, embedding=encoder_name
    )
    with transaction.atomic():
        model = SectionModel.objects.create(
            trained_at=timezone.now(),
            labels=list(classifier.classes),
            label_counts=dict(Counter(labels)),
            model=classifier.to_bytes(),
            train_count=len(texts),
            accuracy=accuracy,
            held_out_count=held_out,
            duration_ms=int((time.monotonic() - started) * 1000),
        )
        old = SectionModel.objects.order_by("-id").values_list("id", flat=True)[KEEP_MODELS:]
        SectionModel.objects.filter(id__in=list(old)).delete()
    _remember((model.id, model.trained_at), classifier)
    embeddings_prune()
    changed = articles_resection()
    log.info(
        "section classifier trained",
        extra={"articles": len(texts), "accuracy": accuracy, "resectioned": changed},
    )


def articles_resection(*, limit: int = RESECTION_LIMIT) -> int:
    """Re-section the newest unlocked articles of general sources with the latest model."""
    articles = (
        Article.objects.filter(hidden=False, section_locked=False)
        .filter(Q(primary_source__isnull=True) | Q(primary_source__single_topic=False))
        .select_related("primary_source")
        .only("title", "body_text", "section_id", "primary_source__section_id", "feed_categories")
        .order_by("-sort_at", "-id")[:limit]
    )
    moves: dict[int, list[int]] = {}
    batch: list[Article] = []
    for article in articles.iterator(chunk_size=BATCH):
        batch.append(article)
        if len(batch) == BATCH:
            _collect_moves(batch, moves)
            batch = []
    _collect_moves(batch, moves)
    changed = 0
    for section_id, ids in moves.items():
        for start in range(0, len(ids), BATCH):
            changed += Article.objects.filter(id__in=ids[start : start + BATCH], section_locked=False).update(
                section_id=section_id
            )
    if changed:
        from cupure.lib.pagecache import bump_page_cache

        bump_page_cache()
    return changed


def _collect_moves(batch: list[Article], moves: dict[int, list[int]]) -> None:
    if not batch:
        return
    names = section_names() if any(a.feed_categories for a in batch) else {}
    published = {a.id: publisher_section(a.feed_categories, names) for a in batch}
    predicted = _predicted([a for a in batch if published[a.id] is None])
    for article in batch:
        target = published[article.id] or predicted.get(article.id)
        if target is None and article.primary_source is not None:
            target = article.primary_source.section_id
        if target is not None and target != article.section_id:
            moves.setdefault(target, []).append(article.id)


def _unlabeled_texts(limit: int = 5000) -> list[str]:
    """Recent articles of general sources: the texts the classifier will section."""
    rows = (
        Article.objects.filter(hidden=False, section_locked=False)
        .filter(Q(primary_source__isnull=True) | Q(primary_source__single_topic=False))
        .order_by("-sort_at", "-id")
        .values_list("title", "body_text")[:limit]
    )
    return [compose(title, body) for title, body in rows]


def _training_set() -> tuple[list[str], list[str]]:
    """Visible articles with a known section: from single-topic sources (their section, or the one
    an editor gave the article), any article an editor sectioned, and general sources' items whose
    feed category names a section. Newest first, capped per section."""
    rows = (
        Article.objects.filter(hidden=False)
        .filter(
            Q(section_locked=True, section__isnull=False)
            | Q(primary_source__single_topic=True, primary_source__section__isnull=False)
        )
        .order_by("-sort_at", "-id")
        .values_list("title", "body_text", "section__slug", "primary_source__section__slug")
    )
    texts: list[str] = []
    labels: list[str] = []
    per_label: Counter[str] = Counter()

    def add(title: str, body: str, label: str | None) -> None:
        if label and per_label[label] < MAX_PER_SECTION:
            per_label[label] += 1
            texts.append(compose(title, body))
            labels.append(label)

    for title, body, section, source_section in rows.iterator(chunk_size=1000):
        add(title, body, section or source_section)
    # General sources' items whose feed category names a section: the publisher labelled them.
    names = section_names()
    slugs = dict(Section.objects.values_list("id", "slug"))
    labelled_by_feed = (
        Article.objects.filter(hidden=False, section_locked=False)
        .filter(Q(primary_source__isnull=True) | Q(primary_source__single_topic=False))
        .exclude(feed_categories=[])
        .order_by("-sort_at", "-id")
        .values_list("title", "body_text", "feed_categories")[:FEED_LABELLED_SCAN]
    )
    for title, body, categories in labelled_by_feed.iterator(chunk_size=1000):
        add(title, body, slugs.get(publisher_section(categories, names)))  # type: ignore[arg-type]
    return texts, labels


def section_embedder() -> tuple[Embedder | None, str]:
    """The optional sentence encoder behind the ``TextEmbedding`` table, and its name.

    ``(None, "")`` when no model is installed or ``CUPURE_EMBEDDINGS=off``: sections then use
    TF-IDF alone. Each distinct text is embedded once, ever; the rest are lookups.
    """
    if not embeddings.available():
        return None, ""
    try:
        encoder = embeddings.load_encoder()
    except (embeddings.ModelUnavailable, OSError, ValueError, KeyError):
        log.exception("the sentence-embedding model cannot be loaded: sections use TF-IDF alone")
        return None, ""

    encode = reading(encoder.encode)

    def embed(texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return encode([])
        # The token limit is part of the key: a vector of a longer cut is another vector.
        model_key = f"{encoder.checksum or encoder.name}:{EMBEDDING_TOKENS}"
        digests = [_embedding_digest(model_key, t) for t in texts]
        found: dict[str, bytes] = {}
        unique = list(dict.fromkeys(digests))
        for start in range(0, len(unique), BATCH):
            rows = TextEmbedding.objects.filter(digest__in=unique[start : start + BATCH])
            found.update((d, bytes(v)) for d, v in rows.values_list("digest", "vector"))
        todo = list({d: t for d, t in zip(digests, texts, strict=True) if d not in found}.items())
        for start in range(0, len(todo), EMBED_BATCH):
            chunk = todo[start : start + EMBED_BATCH]
            vectors = encode([t for _, t in chunk]).astype("<f4")
            rows = [
                TextEmbedding(digest=d, vector=v.tobytes()) for (d, _), v in zip(chunk, vectors, strict=True)
            ]
            TextEmbedding.objects.bulk_create(rows, ignore_conflicts=True)
            found.update((row.digest, bytes(row.vector)) for row in rows)
        return np.stack([np.frombuffer(found[d], dtype="<f4") for d in digests])

    return embed, encoder.name


def _embedding_digest(encoder: str, text: str) -> str:
    return hashlib.sha256(f"{encoder}\0{text}".encode()).hexdigest()


def embeddings_prune(*, keep: timedelta = EMBEDDING_KEEP) -> int:
    """Delete stored embeddings older than ``keep`` (a text asked for again is embedded again)."""
    deleted, _ = TextEmbedding.objects.filter(created_at__lt=timezone.now() - keep).delete()
    return deleted


def _held_out_accuracy(
    texts: list[str], labels: list[str], *, embed: Embedder | None = None, encoder_name: str = ""
) -> tuple[float | None, int]:
    """Accuracy on a seeded fifth of each section, from a model trained on the other four fifths."""
    rng = random.Random(0)
    by_label: dict[str, list[int]] = {}
    for i, label in enumerate(labels):
        by_label.setdefault(label, []).append(i)
    held: list[int] = []
    for indexes in by_label.values():
        rng.shuffle(indexes)
        held.extend(indexes[: max(1, int(len(indexes) * HELD_OUT_SHARE))])
    held_set = set(held)
    train = [i for i in range(len(texts)) if i not in held_set]
    try:
        model = SectionClassifier.train(
            [texts[i] for i in train], [labels[i] for i in train], embed=embed, embedding=encoder_name
        )
    except ValueError:
        return None, 0
    predicted = model.predict([texts[i] for i in held])
    right = sum(1 for i, p in zip(held, predicted, strict=True) if labels[i] == p)
    return round(right / len(held), 4), len(held)


def _predicted(articles: Iterable[Article]) -> dict[int, int]:
    """Article id -> section id, for the articles the latest model is confident about."""
    articles = list(articles)
    classifier = latest_classifier()
    if classifier is None or not articles:
        return {}
    sections = dict(Section.objects.filter(slug__in=classifier.classes).values_list("slug", "id"))
    proba = classifier.predict_proba([compose(a.title, a.body_text) for a in articles])
    result: dict[int, int] = {}
    for article, row in zip(articles, proba, strict=True):
        best = int(row.argmax())
        section_id = sections.get(classifier.classes[best])
        if row[best] >= MIN_CONFIDENCE and section_id is not None:
            result[article.id] = section_id
    return result


def latest_classifier() -> SectionClassifier | None:
    """The newest trained model, loaded once per process and model (one small query otherwise)."""
    latest = SectionModel.objects.order_by("-id").values_list("id", "trained_at").first()
    if latest is None:
        return None
    cached = _loaded
    if cached is not None and cached[0] == latest:
        return cached[1]
    with _lock:
        cached = _loaded
        if cached is not None and cached[0] == latest:
            return cached[1]
        data = SectionModel.objects.filter(id=latest[0]).values_list("model", flat=True).first()
        if data is None:
            return None
        try:
            classifier = SectionClassifier.from_bytes(bytes(data))
            if classifier.embedding_dim:
                classifier.embed, _ = section_embedder()
        except (ValueError, KeyError, OSError):
            log.exception("section model %s cannot be loaded", latest[0])
            return None
        _remember(latest, classifier)
        return classifier


def _remember(model: tuple[int, datetime], classifier: SectionClassifier) -> None:
    global _loaded
    _loaded = (model, classifier)
