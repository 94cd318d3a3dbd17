"""The comment form: body, reply target, a honeypot and a signed timestamp."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.conf import settings
from django.core import signing
from django.utils import timezone

from cupure.comments.models import Flag
from cupure.comments.services import CommentError

FORM_SALT = "cupure.comments.form"
HONEYPOT = "website"


def form_token(*, user_id: int | None, now: datetime | None = None) -> str:
    now = now or timezone.now()
    return signing.dumps({"u": user_id, "t": int(now.timestamp())}, salt=FORM_SALT)


def form_token_check(token: str, *, user_id: int | None, now: datetime | None = None) -> None:
    """Refuse forms that are forged, belong to someone else, are older than 2 h or were sent within 3 s."""
    now = now or timezone.now()
    try:
        data = signing.loads(token or "", salt=FORM_SALT, max_age=settings.COMMENTS_FORM_MAX_SECONDS)
    except signing.SignatureExpired as exc:
        raise CommentError("This form has expired: reload the page and send your comment again.") from exc
    except signing.BadSignature as exc:
        raise CommentError("This form has expired or is not valid: reload the page and try again.") from exc
    if not isinstance(data, dict) or data.get("u") != user_id or not isinstance(data.get("t"), int):
        raise CommentError("This form was made for another session: reload the page and try again.")
    age = now.timestamp() - data["t"]
    if age < settings.COMMENTS_FORM_MIN_SECONDS:
        wait = max(1, int(settings.COMMENTS_FORM_MIN_SECONDS - age + 0.999))
        raise CommentError(
            f"That was quick: please take a moment before sending. Try again in {wait} seconds.",
            retry_after=wait,
        )


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Your comment",
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5, "required": True}),
        error_messages={"required": "Write something first: the comment is empty."},
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    ts = forms.CharField(required=False, widget=forms.HiddenInput)
    website = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def honeypot_filled(self) -> bool:
        return bool(self.data.get(HONEYPOT, ""))


class EditForm(forms.Form):
    body = CommentForm.base_fields["body"]


class FlagForm(forms.Form):
    reason = forms.ChoiceField(choices=Flag.Reason.choices, widget=forms.RadioSelect)
    note = forms.CharField(required=False, max_length=500, label="Anything the moderators should know?")
