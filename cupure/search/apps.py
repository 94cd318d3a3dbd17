from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SearchConfig(AppConfig):
    name = "cupure.search"
    label = "search"

    def ready(self) -> None:
        post_migrate.connect(_reinstall, sender=self)


def _reinstall(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """Put back what a SQLite table rebuild (by a later migration of articles) dropped."""
    from django.db import connections

    from cupure.search.engine import index_install

    index_install(connections[using], rebuild=False)
