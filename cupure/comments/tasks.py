"""Daily housekeeping: purge long-held comments and old throttle rows, check vote scores."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from cupure.accounts.throttle import purge_expired
from cupure.comments.services import purge_held, scores_recount


@db_periodic_task(crontab(hour="4", minute="17"))
def comments_housekeeping() -> None:
    purge_held()
    purge_expired()
    scores_recount()
