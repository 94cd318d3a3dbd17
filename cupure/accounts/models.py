"""Accounts: a profile beside Django's user, and the atomic counters behind every throttle."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Profile(models.Model):
    """What cupure knows about a user beyond ``auth.User``: email verification and bans."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    email_verified_at = models.DateTimeField(null=True, blank=True)
    # Comments a moderator approved or that went out without review; at 1 a user's comments go out
    # without review, at COMMENTS_TRUSTED_APPROVED the stricter new-account limits end.
    approved_comments = models.PositiveIntegerField(default=0)
    banned_at = models.DateTimeField(null=True, blank=True, db_index=True)
    ban_reason = models.CharField(max_length=500, blank=True)
    banned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"profile of {self.user_id}"

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def banned(self) -> bool:
        return self.banned_at is not None


class RateCounter(models.Model):
    """One throttle bucket: ``count`` uses within the window that ends at ``window_ends``.

    Updated only by single conditional UPDATE statements (see ``cupure.accounts.throttle``), so the
    limit holds however many requests race for it, on SQLite and PostgreSQL alike.
    """

    key = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=0)
    window_ends = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key}={self.count} until {self.window_ends:%Y-%m-%d %H:%M:%S}"
