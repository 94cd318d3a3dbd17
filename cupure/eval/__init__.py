"""The evaluation harness: ``cupure eval SET --data DIR [--out FILE]``.

Each set maps to a ``run`` function ``(data_dir, *, out, echo) -> {metric: value}`` in its own
module. The harness prints the metrics and ends with one ``SET metric=value`` line per metric. The
code evaluated is the code the product runs: these modules only read data and call the pipeline.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Protocol, TextIO


class SetRunner(Protocol):
    def __call__(
        self, data_dir: Path, *, out: TextIO | None, echo: Callable[[str], None]
    ) -> dict[str, float]: ...


# set name -> "module:function". Published/anchor figures for the `make eval` table live beside.
SETS: dict[str, str] = {
    "feeds": "cupure.eval.feeds:run",
    "extraction/aeb": "cupure.eval.extraction:run_aeb",
    "extraction/wcxb": "cupure.eval.extraction:run_wcxb",
    "extraction/trafilatura": "cupure.eval.extraction:run_trafilatura",
    "clustering/googlenews": "cupure.eval.clustering:run_googlenews",
    "clustering/wikiref220": "cupure.eval.clustering:run_wikiref220",
    "clustering/basil": "cupure.eval.clustering:run_basil",
    "clustering/semeval_pairs": "cupure.eval.clustering:run_semeval_pairs",
    "neardup": "cupure.eval.neardup:run",
    "corpora/newsflow": "cupure.eval.trending:run_newsflow",
    "corpora/reuters": "cupure.eval.trending:run_reuters",
    "corpora/ag_news": "cupure.eval.sections:run_ag_news",
    "corpora/bbc": "cupure.eval.sections:run_bbc",
}

# What each set is compared against in the `make eval` table: (metric, figure, who).
ANCHORS: dict[str, tuple[str, float, str]] = {
    "feeds": ("entries_matched", 1.0, "expected parses"),
    "extraction/aeb": ("f1", 0.954, "trafilatura 2.3.1 (judged half)"),
    "extraction/wcxb": ("f1", 0.953, "trafilatura (judged half)"),
    "extraction/trafilatura": ("f1", 0.930, "trafilatura (judged half)"),
    "clustering/googlenews": ("nmi", 0.958, "TF-IDF offline"),
    "clustering/wikiref220": ("nmi", 0.0, "none published"),
    "clustering/basil": ("bcubed_f1", 0.960, "TF-IDF offline"),
    "clustering/semeval_pairs": ("pearson", 0.49, "TF-IDF"),
    "neardup": ("neardup_recall", 0.98, "target"),
    "corpora/newsflow": ("headline_support", 0.9, "target"),
    "corpora/reuters": ("headline_support", 0.0, "no target"),
    "corpora/ag_news": ("accuracy", 0.843, "TF-IDF + LR"),
    "corpora/bbc": ("accuracy", 0.968, "TF-IDF + LR"),
}


# The targets the issues set for the judged half (None: no target).
TARGETS: dict[str, float | None] = {
    "feeds": None,
    "extraction/aeb": 0.975,
    "extraction/wcxb": 0.965,
    "extraction/trafilatura": 0.945,
    "clustering/googlenews": 0.97,
    "clustering/wikiref220": None,
    "clustering/basil": 0.975,
    "clustering/semeval_pairs": 0.75,
    "neardup": 0.98,
    "corpora/newsflow": 0.9,
    "corpora/reuters": None,
    "corpora/ag_news": 0.90,
    "corpora/bbc": 0.98,
}


def runner_for(name: str) -> SetRunner:
    try:
        target = SETS[name]
    except KeyError:
        raise KeyError(f"unknown set {name!r}; known sets: {', '.join(sorted(SETS))}") from None
    module_name, func_name = target.split(":")
    module = importlib.import_module(module_name)
    runner: SetRunner = getattr(module, func_name)
    return runner
