"""cupure reprocess: re-sanitise stored articles from their raw input and enrich them again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from cupure.articles.models import Article
from cupure.articles.services import article_resanitize
from cupure.pipeline.sanitize import SANITIZER_VERSION
from cupure.worker.enrich import articles_enrich
from cupure.worker.management.commands._migrate import ensure_migrated


class Command(BaseCommand):
    help = "Rebuild cleaned fields and enrichment (after a sanitiser or extractor change)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--all", action="store_true", help="every article, not only outdated ones")
        parser.add_argument("--no-enrich", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        ensure_migrated()
        qs = Article.objects.all()
        if not options["all"]:
            qs = qs.filter(sanitizer_version__lt=SANITIZER_VERSION)
        ids = list(qs.values_list("id", flat=True))
        cleaned = sum(1 for article_id in ids if article_resanitize(article_id=article_id))
        enriched = 0 if options["no_enrich"] else articles_enrich(ids)
        from cupure.lib.pagecache import bump_page_cache

        bump_page_cache()
        self.stdout.write(f"reprocessed={cleaned} enriched={enriched}")
