"""Run every benchmark module in bench/ (alphabetical order) that exposes ``run(args) -> list[str]``.

Modules print their own progress to stderr and return result lines; data-dependent parts must skip
with a clear message when ``--data`` is absent (or points nowhere).
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--data", type=Path, default=None, help="evaluation/benchmark data folder (optional)")
    parser.add_argument("--only", action="append", default=[], help="run only these modules (repeatable)")
    parser.add_argument("--seconds", type=float, default=10.0, help="duration of each load run")
    parser.add_argument("--articles", type=int, default=2000, help="synthetic articles for the page bench")
    args = parser.parse_args(argv)
    if args.data is not None and not args.data.exists():
        print(
            f"note: --data {args.data} does not exist; data-dependent benchmarks will skip", file=sys.stderr
        )
        args.data = None
    here = Path(__file__).resolve().parent
    names = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if not m.name.startswith("_"))
    failed = False
    for name in names:
        if args.only and name not in args.only:
            continue
        module = importlib.import_module(f"bench.{name}")
        runner = getattr(module, "run", None)
        if not callable(runner):
            continue
        print(f"== bench {name} ==", flush=True)
        started = time.monotonic()
        try:
            for line in runner(args):
                print(line, flush=True)
        except Exception as exc:  # one broken bench must not hide the others' figures
            failed = True
            print(f"bench {name} failed: {type(exc).__name__}: {exc}", flush=True)
        print(f"({name}: {time.monotonic() - started:.1f} s)", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
