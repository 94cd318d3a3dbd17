"""cupure sources add|list|import-opml|export-opml."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cupure.sources.models import Policy, Source
from cupure.sources.services import SourceAddError, source_add, sources_export_opml, sources_import_opml
from cupure.worker.management.commands._migrate import ensure_migrated


class Command(BaseCommand):
    help = "Manage sources (feeds)."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="add a feed URL, or a site whose home page links to its feed")
        add.add_argument("url")
        add.add_argument("--name")
        add.add_argument("--section")
        add.add_argument("--policy", choices=Policy.values, default=Policy.FULL)
        add.add_argument(
            "--general", action="store_true", help="covers many topics: sections come from the classifier"
        )
        add.add_argument("--no-check", action="store_true", help="store without fetching it first")
        sub.add_parser("list", help="list sources with their fetch state")
        imp = sub.add_parser("import-opml", help="add every feed of an OPML file")
        imp.add_argument("file")
        imp.add_argument("--section")
        sub.add_parser("export-opml", help="print all sources as OPML")

    def handle(self, *args: Any, **options: Any) -> None:
        ensure_migrated()
        getattr(self, "_" + options["action"].replace("-", "_"))(options)

    def _add(self, options: dict[str, Any]) -> None:
        try:
            source = source_add(
                url=options["url"],
                name=options["name"],
                section=options["section"],
                policy=options["policy"],
                single_topic=not options["general"],
                check=not options["no_check"],
            )
        except SourceAddError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"added {source.name} <{source.feed_url}>")

    def _list(self, options: dict[str, Any]) -> None:
        for s in Source.objects.select_related("section").order_by("name"):
            state = "ok" if not s.last_error_kind else f"{s.last_error_kind}: {s.last_error[:80]}"
            section = s.section.slug if s.section else "-"
            active = "" if s.active else " (paused)"
            self.stdout.write(
                f"{s.name}\t{s.feed_url}\t{section}\t{s.policy}\terrors={s.error_count}\t{state}{active}"
            )

    def _import_opml(self, options: dict[str, Any]) -> None:
        path = options["file"]
        data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
        try:
            report = sources_import_opml(data=data, section=options["section"])
        except Exception as exc:
            raise CommandError(f"cannot import {path}: {exc}") from exc
        for url, reason in report.skipped:
            self.stderr.write(f"skipped {url}: {reason}")
        self.stdout.write(f"imported {len(report.added)} sources, skipped {len(report.skipped)}")

    def _export_opml(self, options: dict[str, Any]) -> None:
        self.stdout.write(sources_export_opml().decode("utf-8"))
