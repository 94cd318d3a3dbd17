"""cupure articles --json [--source URL] [--limit N]: stored articles, one JSON line each."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cupure.articles.selectors import articles_for_export
from cupure.sources.models import Source
from cupure.worker.management.commands._migrate import ensure_migrated


class Command(BaseCommand):
    help = "Print stored articles, newest first, one JSON object per line."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--json", action="store_true", help="JSON lines (the only format)")
        parser.add_argument("--source", help="only articles seen in the source with this feed URL")
        parser.add_argument("--limit", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        ensure_migrated()
        source_id = None
        if options["source"]:
            source_id = Source.objects.filter(feed_url=options["source"]).values_list("id", flat=True).first()
            if source_id is None:
                raise CommandError(f"no source with the feed URL {options['source']}")
        for row in articles_for_export(source_id=source_id, limit=options["limit"]):
            self.stdout.write(json.dumps(row, ensure_ascii=False))
