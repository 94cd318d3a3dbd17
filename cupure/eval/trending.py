"""Trending-strip evaluation: replay a dated corpus day by day through the product's strip code.

Each day's distinct headlines are the articles "now"; the 14 days before are the baseline. Terms
come from ``extract_terms`` and the strip from ``compute_strip``, exactly as the trending service
calls them. Metrics over all strips of all days:

* ``dup_forms``: pairs of terms on one strip that are equal after lower-casing and removing a
  possessive 's and a plural s (must be 0);
* ``headline_support``: share of strip terms found as whole words (case-insensitive) in at least 3
  distinct headlines of that day from at least ``min_sources`` sources;
* ``fragment_rate``: share of strip terms whose words are a proper part of another's words.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TextIO

from cupure.pipeline.keywords import DocTerms, Term, TrendingTerm, compute_strip, extract_terms, key_words

STRIP_SIZE = 10
BASELINE_DAYS = 14
SUPPORT_HEADLINES = 3
SAMPLE_DAYS = 8
TOP_HEADLINES = 6


@dataclass(frozen=True)
class Headline:
    text: str
    body: str
    source: str
    seen_at: datetime


def _find(data_dir: Path, name: str) -> Path:
    """Accept the pack root, its ``corpora`` folder or the file itself."""
    for candidate in (data_dir, data_dir / name, data_dir / "corpora" / name):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"{name} not found under {data_dir}")


def _newsflow_days(path: Path) -> dict[date, list[Headline]]:
    """Each distinct headline once per day, at its first sighting, in page order."""
    days: dict[date, dict[str, Headline]] = defaultdict(dict)
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            seen = datetime.fromisoformat(row["seen_at"])
            text = (row.get("headline") or "").strip()
            if text and text not in days[seen.date()]:
                days[seen.date()][text] = Headline(text, "", row["source"], seen)
    return {day: list(items.values()) for day, items in sorted(days.items())}


def _reuters_days(path: Path) -> dict[date, list[Headline]]:
    days: dict[date, dict[str, Headline]] = defaultdict(dict)
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            if not row.get("date") or not row.get("title"):
                continue
            seen = datetime.fromisoformat(row["date"])
            title = row["title"].strip()
            if title not in days[seen.date()]:
                days[seen.date()][title] = Headline(title, row.get("body") or "", "Reuters", seen)
    return {day: list(items.values()) for day, items in sorted(days.items())}


def _doc(h: Headline, cache: dict[tuple[str, str], list[Term]]) -> DocTerms:
    terms = cache.get((h.text, h.body))
    if terms is None:
        terms = cache[(h.text, h.body)] = extract_terms(h.text, h.body)
    doc_id = hashlib.sha256(f"{h.seen_at.date()}|{h.text}".encode()).hexdigest()[:16]
    return DocTerms(doc_id=doc_id, source=h.source, seen_at=h.seen_at, terms=terms)


def _norm_form(term: str) -> str:
    words = [re.sub(r"(?:['\u2019]s|s)$", "", w) for w in term.lower().split()]
    return " ".join(words)


def _supported(term: str, headlines: Iterable[Headline], min_sources: int) -> bool:
    pattern = re.compile(r"(?<!\w)" + re.escape(term.lower()) + r"(?!\w)")
    hits = [h for h in headlines if pattern.search(h.text.lower())]
    return len(hits) >= SUPPORT_HEADLINES and len({h.source for h in hits}) >= min_sources


@dataclass
class _Tally:
    terms: int = 0
    supported: int = 0
    fragments: int = 0
    dup_forms: int = 0
    days: int = 0
    empty_days: int = 0

    def add(self, strip: list[TrendingTerm], headlines: list[Headline], min_sources: int) -> None:
        self.days += 1
        self.empty_days += not strip
        self.terms += len(strip)
        forms = [_norm_form(t.display) for t in strip]
        self.dup_forms += sum(1 for i in range(len(forms)) for j in range(i) if forms[i] == forms[j])
        self.supported += sum(_supported(t.display, headlines, min_sources) for t in strip)
        words = [key_words(t.display.lower()) for t in strip]
        self.fragments += sum(
            1 for i, w in enumerate(words) if any(w < o for j, o in enumerate(words) if j != i)
        )

    def metrics(self) -> dict[str, float]:
        share = (lambda n: round(n / self.terms, 4)) if self.terms else (lambda n: 0.0)
        return {
            "dup_forms": float(self.dup_forms),
            "headline_support": share(self.supported),
            "fragment_rate": share(self.fragments),
            "mean_strip_size": round(self.terms / self.days, 2) if self.days else 0.0,
            "empty_days": float(self.empty_days),
            "days": float(self.days),
        }


def _replay(
    days: dict[date, list[Headline]], *, min_sources: int
) -> Iterator[tuple[date, list[Headline], list[TrendingTerm]]]:
    cache: dict[tuple[str, str], list[Term]] = {}
    docs = {day: [_doc(h, cache) for h in items] for day, items in days.items()}
    for day, items in days.items():
        first = day - timedelta(days=BASELINE_DAYS)
        baseline = [d for prev, ds in docs.items() if first <= prev < day for d in ds]
        available = min(BASELINE_DAYS, (day - min(days)).days)
        strip = compute_strip(
            docs[day],
            baseline,
            now_span=timedelta(days=1),
            baseline_span=timedelta(days=max(available, 1)),
            size=STRIP_SIZE,
            min_sources=min_sources,
        )
        yield day, items, strip


def _echo_day(
    day: date, items: list[Headline], strip: list[TrendingTerm], echo: Callable[[str], None]
) -> None:
    echo(f"--- {day}  strip: " + " · ".join(t.display for t in strip))
    for t in strip:
        echo(
            f"      {t.display:<22} now={t.count_now:<3} base={t.baseline_rate:<6.2f} "
            f"sources={t.sources} first={t.first_seen:%H:%M}"
        )
    by_source: dict[str, list[Headline]] = defaultdict(list)
    for h in items:
        by_source[h.source].append(h)
    for source, heads in sorted(by_source.items()):
        for h in heads[: TOP_HEADLINES if len(by_source) == 1 else TOP_HEADLINES // 2 + 1]:
            echo(f"    [{source[:8]}] {h.text[:110]}")


def _run(
    days: dict[date, list[Headline]], *, min_sources: int, out: TextIO | None, echo: Callable[[str], None]
) -> dict[str, float]:
    tally = _Tally()
    sample_every = max(1, len(days) // SAMPLE_DAYS)
    for n, (day, items, strip) in enumerate(_replay(days, min_sources=min_sources)):
        tally.add(strip, items, min_sources)
        if n % sample_every == sample_every // 2:
            _echo_day(day, items, strip, echo)
        if out is not None:
            row = {
                "day": day.isoformat(),
                "strip": [[t.display, t.count_now, t.baseline_rate] for t in strip],
            }
            out.write(json.dumps(row) + "\n")
    metrics = tally.metrics()
    echo(" ".join(f"{k}={v}" for k, v in metrics.items()))
    return metrics


def run_newsflow(
    data_dir: Path, *, out: TextIO | None = None, echo: Callable[[str], None] = print
) -> dict[str, float]:
    days = _newsflow_days(_find(data_dir, "newsflow.jsonl.gz"))
    return _run(days, min_sources=2, out=out, echo=echo)


def run_reuters(
    data_dir: Path, *, out: TextIO | None = None, echo: Callable[[str], None] = print
) -> dict[str, float]:
    days = _reuters_days(_find(data_dir, "reuters.jsonl"))
    return _run(days, min_sources=1, out=out, echo=echo)
