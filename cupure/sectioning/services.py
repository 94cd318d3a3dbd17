"""Section assignment (first version: the source's section)."""

from __future__ import annotations

from cupure.articles.models import Article


def article_section_assign(*, article_id: int) -> None:
    """Give the article a section unless an editor locked one."""
    article = Article.objects.select_related("primary_source").get(id=article_id)
    if article.section_locked or article.primary_source is None:
        return
    if article.section_id is None and article.primary_source.section_id is not None:
        Article.objects.filter(id=article_id).update(section_id=article.primary_source.section_id)
