from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm

User = get_user_model()


class SignupForm(UserCreationForm):
    email = forms.EmailField(
        max_length=254, help_text="We send a confirmation link; your comments go public after you confirm."
    )
    website = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                "An account already uses this email address. Try resetting its password."
            )
        return email


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "That username and password do not match an account.",
        "inactive": "That username and password do not match an account.",
    }


class DeleteAccountForm(forms.Form):
    password = forms.CharField(widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    comments = forms.ChoiceField(
        choices=[
            ("keep", 'Keep my comments, shown as written by "deleted user"'),
            ("remove", "Remove the text of all my comments"),
        ],
        widget=forms.RadioSelect,
        initial="keep",
    )

    def __init__(self, user, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your current password.")
        return password
