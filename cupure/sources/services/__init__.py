"""Source writes: adding sources (services.manage) and polling them (services.refresh)."""

from cupure.sources.services.manage import (
    SourceAddError,
    source_add,
    sources_export_opml,
    sources_import_opml,
)
from cupure.sources.services.refresh import RefreshStats, source_refresh, sources_refresh

__all__ = [
    "RefreshStats",
    "SourceAddError",
    "source_add",
    "source_refresh",
    "sources_export_opml",
    "sources_import_opml",
    "sources_refresh",
]
