"""Story clustering and Similar News scoring on ``clustering/`` (data README section 3).

Every clustering set streams its documents, once, through the product's ``OnlineStoryClusterer`` with
the product's default ``ClusterConfig`` (no per-set tuning). The predicted cluster of a document is the
story it ends in after all merges (the story page a reader would see at the end of the stream).

Time: GoogleNews and WikiRef220 carry no timestamps, so every document arrives at the same instant
(time 0): the time window never closes a story and the file order is the arrival order. BASIL has dates:
documents are sorted by date (file order breaks ties) and arrive at midnight UTC of their day.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from cupure.eval.metrics_cluster import ari, bcubed, nmi, pairwise, pearson
from cupure.pipeline.similarity.pairs import SAME_STORY, PairScorer, pair_score
from cupure.pipeline.similarity.stories import OnlineStoryClusterer, StoryDoc
from cupure.pipeline.similarity.vectors import IdfModel, doc_vector, similar_score, term_counts


def _read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


class _Partition:
    """Follows merges so every document ends with its surviving story's id."""

    def __init__(self) -> None:
        self.story_of: dict[Hashable, Hashable] = {}
        self.parent: dict[Hashable, Hashable] = {}

    def record(self, doc_id: Hashable, story_id: Hashable, merged: Iterable[Hashable]) -> None:
        for absorbed in merged:
            self.parent[absorbed] = story_id
        self.story_of[doc_id] = story_id

    def final(self, doc_id: Hashable) -> Hashable:
        story = self.story_of[doc_id]
        while story in self.parent:
            story = self.parent[story]
        return story


def cluster_stream(
    docs: Iterable[StoryDoc], clusterer: OnlineStoryClusterer | None = None
) -> dict[Hashable, Hashable]:
    """Run the product's online clusterer over ``docs`` in order; doc id -> final story id."""
    engine = clusterer or OnlineStoryClusterer()
    partition = _Partition()
    ids = []
    for doc in docs:
        assignment = engine.add(doc)
        partition.record(doc.id, assignment.story_id, assignment.merged)
        ids.append(doc.id)
    return {doc_id: partition.final(doc_id) for doc_id in ids}


def _score(
    name: str,
    ids: list[str],
    gold: list[Hashable],
    predicted: dict[Hashable, Hashable],
    *,
    out: TextIO | None,
    echo: Callable[[str], None],
) -> dict[str, float]:
    pred = [predicted[i] for i in ids]
    b3 = bcubed(gold, pred)
    pw = pairwise(gold, pred)
    metrics = {
        "nmi": nmi(gold, pred),
        "bcubed_precision": b3.precision,
        "bcubed_recall": b3.recall,
        "bcubed_f1": b3.f1,
        "pairwise_f1": pw.f1,
        "ari": ari(gold, pred),
        "clusters_gold": float(len(set(gold))),
        "clusters_pred": float(len(set(pred))),
    }
    if out is not None:
        for doc_id, cluster in zip(ids, pred, strict=True):
            out.write(json.dumps({"id": doc_id, "cluster": str(cluster)}) + "\n")
    echo(f"{name}: {len(ids)} documents, {len(set(gold))} gold clusters, {len(set(pred))} predicted")
    return metrics


def run_googlenews(data_dir: Path, *, out: TextIO | None, echo: Callable[[str], None]) -> dict[str, float]:
    """GoogleNews TS (title + snippet, already pre-processed by the data set), file order, time 0.

    The title is passed as the headline and the snippet as the body, which is exactly the TS text with
    the product's headline weighting.
    """
    rows = list(_read_jsonl(data_dir / "clustering" / "googlenews.jsonl"))
    docs = (StoryDoc(id=r["id"], title=r["title"], text=r["snippet"], time=0.0) for r in rows)
    predicted = cluster_stream(docs)
    return _score(
        "googlenews", [r["id"] for r in rows], [r["cluster"] for r in rows], predicted, out=out, echo=echo
    )


def _split_title(body: str) -> tuple[str, str]:
    title, _, rest = body.strip().partition("\n")
    return title, rest


def run_wikiref220(data_dir: Path, *, out: TextIO | None, echo: Callable[[str], None]) -> dict[str, float]:
    """WikiRef220: title line + body, file order, time 0. Gold is topic-level, coarser than a story."""
    rows = list(_read_jsonl(data_dir / "clustering" / "wikiref220.jsonl"))
    docs = (
        StoryDoc(id=r["id"], title=_split_title(r["body"])[0], text=_split_title(r["body"])[1]) for r in rows
    )
    predicted = cluster_stream(docs)
    return _score(
        "wikiref220", [r["id"] for r in rows], [r["topic"] for r in rows], predicted, out=out, echo=echo
    )


def _day(date: str) -> float:
    return datetime.strptime(date, "%Y-%m-%d").replace(tzinfo=UTC).timestamp()


def run_basil(data_dir: Path, *, out: TextIO | None, echo: Callable[[str], None]) -> dict[str, float]:
    """BASIL: full text, sorted by date (stable), each article arriving at midnight UTC of its date."""
    rows = list(_read_jsonl(data_dir / "clustering" / "basil.jsonl"))
    rows.sort(key=lambda r: r["date"])  # stable: file order breaks ties
    docs = (
        StoryDoc(id=r["id"], title=r["title"], text=r["body"], time=_day(r["date"]), source=r["outlet"])
        for r in rows
    )
    predicted = cluster_stream(docs)
    return _score("basil", [r["id"] for r in rows], [r["event"] for r in rows], predicted, out=out, echo=echo)


def run_semeval_pairs(data_dir: Path, *, out: TextIO | None, echo: Callable[[str], None]) -> dict[str, float]:
    """Pearson between the product's pair score and ``5 - overall``, overall and per language pair.

    The IDF is estimated from all texts of the file (the "recent window" of this set) and passed through
    the JSON snapshot the site stores; scores use ``pair_score``, with which Similar News re-ranks its
    best candidates. ``pearson_vectors`` scores the first stage, ``similar_score`` of the stored vectors.
    """
    rows = list(_read_jsonl(data_dir / "clustering" / "semeval_pairs.jsonl"))
    scores = pair_scores(rows)
    truth = [5.0 - float(r["overall"]) for r in rows]
    metrics = {"pearson": pearson(scores, truth), "pearson_vectors": pearson(vector_scores(rows), truth)}
    by_lang: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        by_lang[f"{r['lang1']}-{r['lang2']}"].append(i)
    for lang_pair, idx in sorted(by_lang.items()):
        metrics[f"pearson_{lang_pair}"] = pearson([scores[i] for i in idx], [truth[i] for i in idx])
    same_pred = [s >= SAME_STORY for s in scores]
    same_gold = [float(r["overall"]) <= 2.0 for r in rows]
    tp = sum(p and g for p, g in zip(same_pred, same_gold, strict=True))
    precision = tp / max(1, sum(same_pred))
    recall = tp / max(1, sum(same_gold))
    metrics["same_story_f1"] = 2 * precision * recall / (precision + recall) if tp else 0.0
    if out is not None:
        for r, s in zip(rows, scores, strict=True):
            out.write(json.dumps({"pair_id": r["pair_id"], "score": round(s, 6)}) + "\n")
    echo(f"semeval_pairs: {len(rows)} pairs, {len(by_lang)} language pairs")
    return metrics


def pair_scores(rows: list[dict[str, Any]]) -> list[float]:
    counted = PairScorer.fit((r["text1"], r["lang1"]) for r in rows)
    counted.extend((r["text2"], r["lang2"]) for r in rows)
    scorer = PairScorer.from_json(json.loads(json.dumps(counted.to_json())))  # as stored by the site
    return [pair_score(scorer, r["text1"], r["lang1"], r["text2"], r["lang2"]) for r in rows]


def vector_scores(rows: list[dict[str, Any]]) -> list[float]:
    """``similar_score`` of the articles' stored vectors (title = the text's first line)."""
    parts = [(r[f"text{n}"].partition("\n"), r[f"lang{n}"]) for r in rows for n in (1, 2)]
    idf = IdfModel.from_documents(
        term_counts(title, body, lang=lang).keys() for (title, _, body), lang in parts
    )
    vectors = [doc_vector(title, body, idf=idf, lang=lang) for (title, _, body), lang in parts]
    return [similar_score(vectors[2 * i], vectors[2 * i + 1]) for i in range(len(rows))]
