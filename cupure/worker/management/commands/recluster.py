"""cupure recluster [--days N]: run story assignment again over the recent window, in publication order."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cupure.stories.services import CONFIG
from cupure.stories.services.recluster import ReclusterConflict, stories_recluster
from cupure.worker.management.commands._migrate import ensure_migrated

DEFAULT_DAYS = CONFIG.window_seconds / 86_400


class Command(BaseCommand):
    help = (
        "Re-run story clustering over the last N days in publication order (after changing the clustering "
        "settings or importing a backlog). Operator merges, splits and locked stories are kept; safe to "
        "run while the worker runs."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--days", type=float, default=DEFAULT_DAYS, help=f"window in days (default {DEFAULT_DAYS:g})"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        ensure_migrated()
        if options["days"] <= 0:
            raise CommandError("--days must be positive")
        try:
            result = stories_recluster(days=options["days"])
        except ReclusterConflict as exc:
            raise CommandError(f"{exc}; nothing was changed") from exc
        from cupure.lib.pagecache import bump_page_cache

        bump_page_cache()
        self.stdout.write(result.summary_line())
