"""cupure demo: set everything up on the embedded default and run the site (`make demo`).

Loads the default sources; if none of them can be reached (these machines have no internet), says so
plainly and loads the bundled sample of cupure's own writing, so the site is never empty.
"""

from __future__ import annotations

import os
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from cupure.pipeline.fetch import FetchError, FetchLimits, FetchRequest, fetch_many_sync
from cupure.sources.models import Source
from cupure.sources.services.sample import sample_load, sources_load_defaults
from cupure.worker.enrich import articles_enrich
from cupure.worker.management.commands._migrate import ensure_migrated
from cupure.worker.management.commands.run import require_free_port

PROBE_SECONDS = 6.0


class Command(BaseCommand):
    help = "Set up the demo (sources, sample when offline) and run web + worker."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--setup-only", action="store_true", help="prepare the data, do not serve")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["setup_only"]:
            require_free_port(options["host"], options["port"])  # before the setup, not after it
        ensure_migrated()
        if not Source.objects.exists():
            added = sources_load_defaults()
            self.stdout.write(f"added {len(added)} default news sources")
        self._fill()
        if not options["setup_only"]:
            call_command("run", host=options["host"], port=options["port"])

    def _fill(self) -> None:
        live = list(Source.objects.filter(active=True).values_list("feed_url", flat=True)[:5])
        reachable, reason = _probe(live)
        if reachable:
            self.stdout.write("news sources are reachable: running a first fetch (the worker keeps polling)")
            call_command("fetch", no_progress=False)
            return
        self.stdout.write(
            "\n*** The news sources cannot be reached from this machine "
            f"({reason}).\n*** Showing cupure's bundled sample news instead (fictional articles written "
            "for the demo).\n*** The real sources stay configured and are polled as soon as the network "
            "works.\n"
        )
        stats = sample_load()
        articles_enrich(stats.article_ids)
        from cupure.trending.services import trending_recompute

        trending_recompute()
        self.stdout.write(f"sample loaded: {stats.summary_line()}")


def _probe(urls: list[str]) -> tuple[bool, str]:
    if not urls:
        return False, "no active sources"
    limits = FetchLimits(deadline_seconds=PROBE_SECONDS, connect_timeout=PROBE_SECONDS / 2)
    results = fetch_many_sync([FetchRequest(url=u) for u in urls], limits=limits, per_host=1, concurrency=5)
    errors = [r for r in results if isinstance(r, FetchError)]
    if len(errors) < len(results):
        return True, ""
    return False, f"{errors[0].kind}: {errors[0]}" if errors else "unknown"
