"""Every setting cupure reads is documented (datasette's test_settings_are_documented habit)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
READERS = re.compile(r"""env_(?:str|bool|int|list|cidrs)\(\s*["']([A-Z0-9_]+)["']""")
ENVIRON = re.compile(r"""os\.environ(?:\.get)?[\[(]\s*["']((?:CUPURE_|PORT|HOST)[A-Z0-9_]*)["']""")


def settings_read_by_the_code() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "cupure").rglob("*.py"):
        if "/tests/" in str(path):
            continue
        text = path.read_text(encoding="utf-8")
        names.update(READERS.findall(text))
        names.update(ENVIRON.findall(text))
    return names - {"CUPURE_FAULT", "CUPURE_TESTING", "CUPURE_EVAL_DATA", "CUPURE_EVAL_EXTRACTOR"}


def test_every_setting_read_by_the_code_is_in_the_configuration_docs() -> None:
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", (ROOT / "docs" / "configuration.md").read_text()))
    missing = settings_read_by_the_code() - documented
    assert not missing, f"document these in docs/configuration.md: {sorted(missing)}"
