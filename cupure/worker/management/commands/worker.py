"""cupure worker: the Huey consumer with its periodic tasks (due sources, trending, retraining)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from cupure.worker.management.commands._migrate import ensure_migrated


class Command(BaseCommand):
    help = "Run the background worker and scheduler."

    def handle(self, *args: Any, **options: Any) -> None:
        ensure_migrated()
        import cupure.worker.tasks  # noqa: F401  (registers the tasks)

        call_command("run_huey")
