"""Trending writes (first version; the trending issue replaces the algorithm)."""

from __future__ import annotations


def article_keywords_refresh(*, article_id: int) -> None:
    """Extract and store the article's keywords (idempotent)."""


def trending_recompute() -> None:
    """Recompute the trending strip from recent articles."""
