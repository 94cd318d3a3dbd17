"""Static files are collected again after an upgrade changes one."""

from __future__ import annotations

import json
import os
from pathlib import Path

from django.test import override_settings

from cupure.worker.management.commands.serve import collect_static


def _hashed_name(static_root: Path, name: str) -> str:
    return json.loads((static_root / "staticfiles.json").read_text())["paths"][name]


def test_a_changed_stylesheet_is_served_under_a_new_name_on_the_next_start(tmp_path: Path) -> None:
    source = tmp_path / "src"
    (source / "upgrade").mkdir(parents=True)
    sheet = source / "upgrade" / "check.css"
    sheet.write_text("body { margin: 0; }\n")
    root = tmp_path / "collected"
    # The production storage (tests otherwise use the plain one, which writes no manifest).
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=root, STATICFILES_DIRS=[source], STORAGES=storages):
        collect_static()
        before = _hashed_name(root, "upgrade/check.css")
        collect_static()  # nothing changed: the same files
        assert _hashed_name(root, "upgrade/check.css") == before

        sheet.write_text("body { margin: 1rem; }\n")
        os.utime(sheet, ns=(sheet.stat().st_atime_ns, sheet.stat().st_mtime_ns + 1_000_000_000))
        collect_static()
        after = _hashed_name(root, "upgrade/check.css")
    assert after != before
    assert "1rem" in (root / after).read_text()
