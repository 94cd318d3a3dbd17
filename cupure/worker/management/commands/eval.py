"""cupure eval SET --data DIR [--out FILE]; `cupure eval all` prints the table next to the anchors."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cupure.eval import ANCHORS, SETS, TARGETS, runner_for


class Command(BaseCommand):
    help = "Evaluate one part of cupure on a data set (see ../shared/data/README.md)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("set", help=f"one of: all, {', '.join(SETS)}")
        parser.add_argument("--data", required=True, help="the data directory (e.g. ../shared/data)")
        parser.add_argument("--out", help="write predictions here, one JSON line per item")

    def handle(self, *args: Any, **options: Any) -> None:
        data = Path(options["data"])
        if not data.is_dir():
            raise CommandError(f"no data directory at {data}")
        if options["set"] == "all":
            self._all(data)
            return
        metrics = self._one(options["set"], data, options["out"])
        for name, value in metrics.items():
            self.stdout.write(f"{options['set']} {name}={value:.4f}")

    def _one(self, name: str, data: Path, out_path: str | None) -> dict[str, float]:
        try:
            runner = runner_for(name)
        except (KeyError, ImportError) as exc:
            raise CommandError(str(exc)) from exc
        out = open(out_path, "w", encoding="utf-8") if out_path else None  # noqa: SIM115
        try:
            return runner(data, out=out, echo=lambda line: self.stdout.write(line))
        finally:
            if out is not None:
                out.close()

    def _all(self, data: Path) -> None:
        rows = []
        for name in SETS:
            started = time.monotonic()
            try:
                metrics = self._one(name, data, None)
            except FileNotFoundError as exc:
                self.stdout.write(f"{name}: skipped ({exc})")
                continue
            except Exception as exc:  # one broken set must not hide the others' figures
                self.stderr.write(f"{name}: failed: {type(exc).__name__}: {exc}")
                continue
            for metric, value in metrics.items():
                self.stdout.write(f"{name} {metric}={value:.4f}")
            metric, anchor, who = ANCHORS.get(name, ("", 0.0, ""))
            rows.append((name, metric, metrics.get(metric), anchor, who, time.monotonic() - started))
            sys.stdout.flush()
        self.stdout.write("")
        header = (
            f"{'set':26} {'metric':18} {'cupure':>8} {'target':>7} {'anchor':>7} {'seconds':>8}  anchor is"
        )
        self.stdout.write(header)
        for name, metric, value, anchor, who, seconds in rows:
            shown = f"{value:.4f}" if value is not None else "-"
            target = TARGETS.get(name)
            goal = f"{target:.3f}" if target is not None else "-"
            line = f"{name:26} {metric:18} {shown:>8} {goal:>7} {anchor:>7.3f} {seconds:8.1f}  {who}"
            self.stdout.write(line)
