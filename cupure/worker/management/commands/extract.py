"""cupure extract FILE [--url URL]: what ingestion would store for one saved page, as JSON."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cupure.pipeline.extract import extract_article
from cupure.pipeline.sanitize import sanitize_html


class Command(BaseCommand):
    help = "Extract the article from an .html or .html.gz file and print it as JSON."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file")
        parser.add_argument("--url", default=None, help="the page's URL, for relative links")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc}") from exc
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        result = extract_article(data, url=options["url"])
        out = {
            "title": result.title,
            "author": result.author,
            "published_at": result.published_at.isoformat() if result.published_at else None,
            "language": result.language,
            "image": result.image,
            "canonical_url": result.canonical_url,
            "method": result.method,
            "text": result.text,
            "html": sanitize_html(result.html, base_url=options["url"]),
        }
        self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))
