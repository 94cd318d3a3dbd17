"""cupure fetch [--source URL] [--due]: one full ingestion pass in the foreground."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from cupure.sources.models import Source
from cupure.sources.services import RefreshStats, sources_refresh
from cupure.worker.enrich import articles_enrich
from cupure.worker.management.commands._migrate import ensure_migrated


class Command(BaseCommand):
    help = "Fetch every active source once (or one, or only the due ones), then enrich what is new."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--source", help="only the source with this feed URL")
        parser.add_argument("--due", action="store_true", help="only sources whose next fetch time has come")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        ensure_migrated()
        ids = None
        if options["source"]:
            ids = list(Source.objects.filter(feed_url=options["source"]).values_list("id", flat=True))
            if not ids:
                raise CommandError(f"no source with the feed URL {options['source']}")
        count = Source.objects.filter(active=True).count() if ids is None else len(ids)
        bar = tqdm(total=count, unit="source", disable=options["no_progress"], file=self.stderr._out)

        def progress(source: Source, stats: RefreshStats) -> None:
            bar.update(1)
            if stats.failed:
                source.refresh_from_db(fields=["last_error", "last_error_kind"])
                with bar.external_write_mode():
                    self.stderr.write(
                        f"failed: {source.name}: [{source.last_error_kind}] {source.last_error}"
                    )

        stats = sources_refresh(source_ids=ids, due_only=options["due"], progress=progress)
        bar.close()
        articles_enrich(stats.article_ids)
        _recompute_trending()
        self.stdout.write(stats.summary_line())


def _recompute_trending() -> None:
    from cupure.trending.services import trending_recompute

    trending_recompute()
