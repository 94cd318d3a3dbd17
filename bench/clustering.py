"""Cost per article of story assignment as the archive grows (stories issue: "flat as the archive grows").

For each archive size, a fresh SQLite data folder gets that many old articles (outside the clustering
window, each with its story and signature, as a site that has run for years has), then a stream of new
articles on a few dozen events, from 20 sources, is assigned with the product's ``story_assign``. The
reference measured in the same run is the pure in-memory clusterer on the same stream. Synthetic text:
no data set needed. ``CUPURE_BENCH_ARCHIVES`` (comma-separated sizes) overrides the default 10k and 1M.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

DEFAULT_ARCHIVES = (10_000, 1_000_000)
STREAM = 400


def run(args: object) -> list[str]:
    sizes = [int(s) for s in os.environ.get("CUPURE_BENCH_ARCHIVES", "").split(",") if s.strip()]
    lines: list[str] = []
    for size in sizes or DEFAULT_ARCHIVES:
        work = Path(tempfile.mkdtemp(prefix="cupure-bench-cluster-"))
        child = subprocess.run(
            [sys.executable, "-m", "bench.clustering_child", str(size), str(STREAM)],
            capture_output=True,
            text=True,
            timeout=3600,
            env={**os.environ, "CUPURE_DATA_DIR": str(work), "DATABASE_URL": "", "REDIS_URL": ""},
        )
        if child.returncode != 0:
            lines.append(f"clustering: archive {size}: child failed: {child.stderr[-2000:]}")
            continue
        lines.extend(child.stdout.strip().splitlines())
    return lines
