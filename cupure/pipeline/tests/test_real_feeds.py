"""Every feed file of the shared evaluation pack goes through parse_feed without crashing.

The pack is third-party data read in place (never copied here): ``$CUPURE_EVAL_DATA`` or
``<repo>/../shared/data``. Skipped when absent.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cupure.pipeline.parse import ParseError, parse_feed

REPO = Path(__file__).resolve().parents[3]


def _feeds_dir() -> Path | None:
    root = Path(os.environ.get("CUPURE_EVAL_DATA") or REPO.parent / "shared" / "data")
    feeds = root / "feeds" if (root / "feeds").is_dir() else root
    return feeds if (feeds / "index.jsonl").exists() or any(feeds.glob("*/")) else None


def test_every_pack_feed_parses_or_raises_parse_error(capsys: pytest.CaptureFixture[str]) -> None:
    feeds = _feeds_dir()
    if feeds is None:
        pytest.skip("evaluation data not found: set CUPURE_EVAL_DATA or provide ../shared/data")
    files = sorted(
        p
        for p in feeds.rglob("*")
        if p.is_file()
        and not p.name.endswith((".expected.json", ".md"))
        and p.name not in ("LICENSE", "index.jsonl")
    )
    crashes, parsed, rejected = [], 0, 0
    for path in files:
        relative = path.relative_to(feeds).as_posix()
        try:
            parse_feed(path.read_bytes(), base_url=f"https://feeds.invalid/{relative}")
            parsed += 1
        except ParseError:
            rejected += 1
        except Exception as error:  # noqa: BLE001 - collect every crash, then fail once
            crashes.append(f"{relative}: {type(error).__name__}: {error}")
    with capsys.disabled():
        print(
            f"\npack feeds: {parsed}/{len(files)} parsed ({parsed / max(len(files), 1):.3f}), "
            f"{rejected} rejected with ParseError, {len(crashes)} crashed"
        )
    assert not crashes, "\n".join(crashes)
