"""Story writes. First version: one story per article; the stories issue replaces it."""

from __future__ import annotations

from django.db import transaction

from cupure.articles.models import Article
from cupure.stories.models import Story


def story_assign(*, article_id: int) -> int | None:
    """Attach the article to a story (joining an active one or starting one); returns the story id."""
    with transaction.atomic():
        article = Article.objects.select_for_update().get(id=article_id)
        if article.story_id is not None:
            return article.story_id
        story = Story.objects.create(
            title=article.title,
            first_seen_at=article.first_seen_at,
            updated_at=article.sort_at,
            article_count=1,
            source_count=1,
        )
        Article.objects.filter(id=article.id).update(story=story)
        return story.id
