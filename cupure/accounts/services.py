"""Account actions: sign-up, email verification, bans, deletion."""

from __future__ import annotations

import hashlib
import logging
import smtplib
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from cupure.accounts.models import Profile
from cupure.accounts.throttle import Limit

log = logging.getLogger(__name__)
User = get_user_model()
VERIFY_SALT = "cupure.accounts.verify-email"


def profile_for(user: AbstractBaseUser | AnonymousUser) -> Profile:
    """The user's profile, created on first use (accounts made with createsuperuser have none yet)."""
    try:
        return user.profile  # type: ignore[union-attr]
    except Profile.DoesNotExist:
        profile, _ = Profile.objects.get_or_create(user=user)
        user.profile = profile  # type: ignore[union-attr]
        return profile


def key_part(value: str) -> str:
    """A short, fixed-length throttle-key part for user-chosen strings (usernames, emails)."""
    return hashlib.sha256(value.strip().casefold().encode("utf-8")).hexdigest()[:24]


def is_new_account(user: AbstractBaseUser, *, now: datetime | None = None) -> bool:
    """Younger than COMMENTS_NEW_ACCOUNT_HOURS, or fewer than COMMENTS_TRUSTED_APPROVED approved comments."""
    if user.is_staff:  # type: ignore[attr-defined]
        return False
    now = now or timezone.now()
    young = user.date_joined > now - timedelta(hours=settings.COMMENTS_NEW_ACCOUNT_HOURS)  # type: ignore[attr-defined]
    return young or profile_for(user).approved_comments < settings.COMMENTS_TRUSTED_APPROVED


def user_signup(*, username: str, email: str, password: str) -> AbstractBaseUser:
    with transaction.atomic():
        user = User.objects.create_user(username=username, email=email, password=password)
        Profile.objects.create(user=user)
    verification_send(user=user)
    return user


def verification_token(user: AbstractBaseUser) -> str:
    return signing.dumps({"u": user.pk, "e": user.email.casefold()}, salt=VERIFY_SALT, compress=True)  # type: ignore[attr-defined]


def verification_send(*, user: AbstractBaseUser) -> None:
    link = f"{settings.SITE_URL}/accounts/verify/{verification_token(user)}/"
    context = {
        "user": user,
        "link": link,
        "site_name": settings.SITE_NAME,
        "days": settings.ACCOUNTS_VERIFY_EMAIL_DAYS,
    }
    try:
        send_mail(
            subject=f"Confirm your email address for {settings.SITE_NAME}",
            message=render_to_string("accounts/email/verify.txt", context),
            from_email=None,
            recipient_list=[user.email],  # type: ignore[attr-defined]
        )
    except (OSError, smtplib.SMTPException):
        # The account exists either way; the user can ask for the link again from their settings.
        log.exception("verification email failed user_id=%s", user.pk)


def verification_limit(user: AbstractBaseUser) -> Limit:
    return Limit(f"verify-mail:{user.pk}", 3, 3600, "At most 3 confirmation emails are sent per hour.")


class VerificationError(Exception):
    pass


def email_verify(*, token: str, now: datetime | None = None) -> AbstractBaseUser:
    """Mark the email verified; comments held only for that move on to the moderation queue."""
    from cupure.comments.services import author_verified  # the comments app builds on accounts

    now = now or timezone.now()
    try:
        data = signing.loads(
            token, salt=VERIFY_SALT, max_age=timedelta(days=settings.ACCOUNTS_VERIFY_EMAIL_DAYS)
        )
    except signing.SignatureExpired as exc:
        raise VerificationError("This confirmation link has expired. Sign in and ask for a new one.") from exc
    except signing.BadSignature as exc:
        raise VerificationError("This confirmation link is not valid.") from exc
    user = User.objects.filter(pk=data.get("u")).first()
    if user is None or user.email.casefold() != data.get("e"):
        raise VerificationError("This confirmation link is not valid for any account.")
    with transaction.atomic():
        profile = profile_for(user)
        if profile.email_verified_at is None:
            Profile.objects.filter(pk=profile.pk, email_verified_at__isnull=True).update(
                email_verified_at=now
            )
            profile.email_verified_at = now
            author_verified(user=user)
    return user


def user_ban(
    *, user: AbstractBaseUser, moderator: AbstractBaseUser, reason: str, now: datetime | None = None
) -> None:
    from cupure.comments.services import comments_of_banned_user

    now = now or timezone.now()
    with transaction.atomic():
        profile = profile_for(user)
        Profile.objects.filter(pk=profile.pk).update(
            banned_at=now, ban_reason=reason[:500], banned_by=moderator
        )
        comments_of_banned_user(user=user, moderator=moderator, now=now)
    log.info("user banned user_id=%s by=%s", user.pk, moderator.pk)


def user_unban(*, user: AbstractBaseUser) -> None:
    Profile.objects.filter(user=user).update(banned_at=None, ban_reason="", banned_by=None)


def account_delete(*, user: AbstractBaseUser, remove_comments: bool, now: datetime | None = None) -> None:
    """Delete the account. Its comments stay as "deleted user" or are removed (the thread keeps its shape).

    Votes and flags go with the account, and the scores and flag counts they moved are moved back.
    """
    from cupure.comments.services import comments_of_deleted_user

    now = now or timezone.now()
    with transaction.atomic():
        comments_of_deleted_user(user=user, remove=remove_comments, now=now)
        user.delete()
    log.info("account deleted remove_comments=%s", remove_comments)


def approved_add(*, user_id: int) -> None:
    Profile.objects.filter(user_id=user_id).update(approved_comments=F("approved_comments") + 1)
