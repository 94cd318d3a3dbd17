"""Article-extraction evaluation on the three extraction sets (data README section 1).

``run_aeb``, ``run_wcxb`` and ``run_trafilatura`` score the product's ``extract_article`` by default.
The anchors run through the same harness for comparison: set ``CUPURE_EVAL_EXTRACTOR`` to
``trafilatura`` (trafilatura alone, default settings, comments excluded, metadata on) or
``readability`` (readability-lxml alone), or pass ``extractor=``.

Pages are read one at a time from ``pages/<id>.html.gz``; nothing depends on item ids.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from cupure.eval.metrics_text import AebScorer, SnippetScorer, WcxbScorer
from cupure.pipeline.extract import extract_article, html_to_text

EXTRACTOR_ENV = "CUPURE_EVAL_EXTRACTOR"
WORST_SHOWN = 8
_WARM_UP_PAGE = (
    b"<html><head><title>Warm-up</title></head><body><article><h1>Warm-up</h1>"
    + b"<p>This paragraph only loads the extractors before the timed pages start.</p>" * 5
    + b"</article></body></html>"
)


@dataclass(frozen=True)
class Prediction:
    title: str | None
    author: str | None
    date: str | None
    body: str


Extractor = Callable[[bytes, str | None], Prediction]


def _cupure(page: bytes, url: str | None) -> Prediction:
    article = extract_article(page, url=url)
    date = article.published_at.isoformat() if article.published_at else None
    return Prediction(article.title, article.author, date, article.text)


def _trafilatura(page: bytes, url: str | None) -> Prediction:
    import trafilatura

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        doc = trafilatura.bare_extraction(page, url=url, include_comments=False, with_metadata=True)
    if doc is None:
        return Prediction(None, None, None, "")
    return Prediction(doc.title, doc.author, doc.date, doc.text or "")


def _readability(page: bytes, url: str | None) -> Prediction:
    from readability import Document

    try:
        document = Document(page, url=url)
        return Prediction(document.short_title() or None, None, None, html_to_text(document.summary()))
    except Exception:  # noqa: BLE001 - a crash scores as empty output, as the benchmarks do
        return Prediction(None, None, None, "")


EXTRACTORS: dict[str, Extractor] = {
    "cupure": _cupure,
    "trafilatura": _trafilatura,
    "readability": _readability,
}


def pick_extractor(name: str | None = None) -> tuple[str, Extractor]:
    chosen = name or os.environ.get(EXTRACTOR_ENV) or "cupure"
    try:
        return chosen, EXTRACTORS[chosen]
    except KeyError:
        raise ValueError(f"unknown extractor {chosen!r}; one of {', '.join(EXTRACTORS)}") from None


def _set_dir(data_dir: Path, name: str) -> Path:
    """Accept the pack root (as the ``cupure eval`` harness passes it) or the set folder itself."""
    return data_dir if (data_dir / "truth.jsonl").exists() else data_dir / "extraction" / name


def _truth(data_dir: Path) -> Iterator[dict[str, Any]]:
    with (data_dir / "truth.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


@dataclass
class _Run:
    """Times the extractor per page, writes the optional JSON lines and keeps the worst pages."""

    extract: Extractor
    out: TextIO | None
    seconds: float = 0.0
    pages: int = 0

    def __post_init__(self) -> None:
        self.worst: list[tuple[float, str]] = []
        # One untimed page first: lazy imports and model loads (language id) are a process's start-up
        # cost, not a per-page cost, and would otherwise land on the first pages of a small set.
        try:
            self.extract(_WARM_UP_PAGE, None)
        except Exception:  # noqa: BLE001 - the warm-up only loads code; its result is never used
            pass

    def predict(self, data_dir: Path, item: dict[str, Any]) -> Prediction:
        page = gzip.decompress((data_dir / "pages" / f"{item['id']}.html.gz").read_bytes())
        started = time.perf_counter()
        try:
            prediction = self.extract(page, item.get("url"))
        except Exception:  # noqa: BLE001 - a crash counts as an empty output (README section 1)
            prediction = Prediction(None, None, None, "")
        self.seconds += time.perf_counter() - started
        self.pages += 1
        if self.out is not None:
            row = {"id": item["id"], "title": prediction.title, "author": prediction.author}
            row |= {"date": prediction.date, "body": prediction.body}
            self.out.write(json.dumps(row, ensure_ascii=False) + "\n")
        return prediction

    def note(self, page_id: str, score: float) -> None:
        self.worst.append((score, page_id))

    def finish(self, metrics: dict[str, float], name: str, echo: Callable[[str], None]) -> dict[str, float]:
        metrics["ms_per_page"] = 1000 * self.seconds / self.pages if self.pages else 0.0
        metrics["pages"] = float(self.pages)
        worst = ", ".join(f"{pid}={score:.2f}" for score, pid in sorted(self.worst)[:WORST_SHOWN])
        echo(f"extractor={name} pages={self.pages} worst: {worst}")
        return metrics


def run_aeb(
    data_dir: Path,
    *,
    out: TextIO | None = None,
    echo: Callable[[str], None] = print,
    extractor: str | None = None,
) -> dict[str, float]:
    name, extract = pick_extractor(extractor)
    data_dir = _set_dir(data_dir, "aeb")
    run, scorer = _Run(extract, out), AebScorer()
    for item in _truth(data_dir):
        prediction = run.predict(data_dir, item)
        run.note(item["id"], scorer.add(item["body"] or "", prediction.body))
    return run.finish(scorer.result(), name, echo)


def run_wcxb(
    data_dir: Path,
    *,
    out: TextIO | None = None,
    echo: Callable[[str], None] = print,
    extractor: str | None = None,
) -> dict[str, float]:
    name, extract = pick_extractor(extractor)
    data_dir = _set_dir(data_dir, "wcxb")
    run, scorer = _Run(extract, out), WcxbScorer()
    meta = _MetaScorer()
    for item in _truth(data_dir):
        prediction = run.predict(data_dir, item)
        score = scorer.add(
            item["body"] or "", prediction.body, item.get("with") or (), item.get("without") or ()
        )
        run.note(item["id"], score)
        meta.add(item, prediction)
    return run.finish(scorer.result() | meta.result(), name, echo)


def run_trafilatura(
    data_dir: Path,
    *,
    out: TextIO | None = None,
    echo: Callable[[str], None] = print,
    extractor: str | None = None,
) -> dict[str, float]:
    name, extract = pick_extractor(extractor)
    data_dir = _set_dir(data_dir, "trafilatura")
    run, scorer = _Run(extract, out), SnippetScorer()
    meta = _MetaScorer()
    for item in _truth(data_dir):
        prediction = run.predict(data_dir, item)
        run.note(item["id"], scorer.add(item.get("with") or [], item.get("without") or [], prediction.body))
        meta.add(item, prediction)
    return run.finish(scorer.result() | meta.result(), name, echo)


@dataclass
class _MetaScorer:
    """Optional metadata check: exact title (whitespace-normalised), author and YYYY-MM-DD date."""

    hits: dict[str, int] | None = None
    totals: dict[str, int] | None = None

    def add(self, item: dict[str, Any], prediction: Prediction) -> None:
        self.hits = self.hits or {"title": 0, "author": 0, "date": 0}
        self.totals = self.totals or {"title": 0, "author": 0, "date": 0}
        got = {"title": prediction.title, "author": prediction.author, "date": _day(prediction.date)}
        for key in ("title", "author", "date"):
            gold = item.get(key)
            if gold is None:
                continue
            self.totals[key] += 1
            self.hits[key] += " ".join(str(gold).split()) == " ".join((got[key] or "").split())

    def result(self) -> dict[str, float]:
        if not self.totals:
            return {}
        assert self.hits is not None
        return {f"{k}_exact": self.hits[k] / n for k, n in self.totals.items() if n}


def _day(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value).date().isoformat()
    except ValueError:
        return value[:10]
