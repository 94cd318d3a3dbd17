"""Sign-up, sign-in (throttled), sign-out, passwords, email confirmation, profile, deletion, state."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cupure.accounts import services
from cupure.accounts.forms import DeleteAccountForm, LoginForm, SignupForm
from cupure.accounts.throttle import Limit, Refusal, address_key, clear, client_ip, give_back, take, take_all

log = logging.getLogger(__name__)
User = get_user_model()


def _private(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, private=True, no_store=True)
    return response


def safe_next(request: HttpRequest, target: str | None, default: str = "/") -> str:
    """``next`` only when it stays on this site (SECURITY.md E7)."""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _too_many(request: HttpRequest, template: str, context: dict[str, Any], refusal: Refusal) -> HttpResponse:
    response = render(request, template, {**context, "error": refusal.message}, status=429)
    response["Retry-After"] = str(refusal.retry_after)
    return _private(response)


# ---------------------------------------------------------------- sign-up and sign-in


def signup_limits(ip: str) -> list[Limit]:
    addr = address_key(ip)
    return [
        Limit(f"signup:h:{addr}", 5, 3600, "Too many accounts were created from your network recently."),
        Limit(f"signup:d:{addr}", 20, 86400, "Too many accounts were created from your network today."),
    ]


@sensitive_post_parameters("password1", "password2")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.user.is_authenticated:
        return redirect(next_url)
    form = SignupForm(request.POST or None)
    context = {"form": form, "next": next_url}
    if request.method == "POST":
        if form.data.get("website"):
            log.warning("signup honeypot filled ip=%s", client_ip(request))
            return _private(render(request, "accounts/signup_received.html", {}))
        if form.is_valid():
            refusal = take_all(signup_limits(client_ip(request)))
            if refusal is not None:
                return _too_many(request, "accounts/signup.html", context, refusal)
            user = services.user_signup(
                username=form.cleaned_data["username"],
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
            )
            auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                f"Welcome, {user.username}! We sent a confirmation link to {user.email}; "
                "your comments become public after you confirm it.",
            )
            return redirect(next_url)
        return _private(render(request, "accounts/signup.html", context, status=400))
    return _private(render(request, "accounts/signup.html", context))


def login_limits(username: str, ip: str) -> list[Limit]:
    """Account+address: 5 tries per 15 min; address: 6 a minute, 30 an hour; account: 50 an hour."""
    who, addr = services.key_part(username), address_key(ip)
    return [
        Limit(
            f"login:pair:{who}:{addr}",
            5,
            900,
            "Too many sign-in attempts for this account from your network.",
        ),
        Limit(f"login:ip-m:{addr}", 6, 60, "Too many sign-in attempts from your network."),
        Limit(f"login:ip-h:{addr}", 30, 3600, "Too many sign-in attempts from your network."),
        Limit(f"login:acct:{who}", 50, 3600, "Too many sign-in attempts for this account."),
    ]


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    form = LoginForm(request, data=request.POST or None)
    context = {"form": form, "next": next_url}
    if request.method == "POST":
        limits = login_limits(request.POST.get("username", "")[:150], client_ip(request))
        # A slot is taken before the password is checked, so racing guesses cannot exceed the limit.
        refusal = take_all(limits)
        if refusal is not None:
            return _too_many(request, "accounts/login.html", context, refusal)
        if form.is_valid():
            clear(limits[0].key)
            give_back(limits[2])
            give_back(limits[3])
            auth_login(request, form.get_user())  # new session key and CSRF token
            return redirect(next_url)
        return _private(render(request, "accounts/login.html", context, status=400))
    return _private(render(request, "accounts/login.html", context))


@csrf_protect
@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    auth_logout(request)
    return redirect(safe_next(request, request.POST.get("next")))


@never_cache
@require_GET
def state(request: HttpRequest) -> HttpResponse:
    """The account menu for ``#account-nav``: fetched by comments.js because cached pages show none."""
    context: dict[str, Any] = {"next": safe_next(request, request.GET.get("next"))}
    if request.user.is_authenticated and request.user.is_staff:
        from cupure.comments.selectors import queue_size

        context["queue_size"] = queue_size()
    response = render(request, "accounts/_nav.html", context)
    response["Vary"] = "Cookie"
    return _private(response)


# ---------------------------------------------------------------- email confirmation


@require_GET
def verify(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user = services.email_verify(token=token)
    except services.VerificationError as err:
        return _private(render(request, "accounts/verify.html", {"error": str(err)}, status=400))
    return _private(render(request, "accounts/verify.html", {"verified_user": user}))


@login_required
@require_POST
def verify_resend(request: HttpRequest) -> HttpResponse:
    if services.profile_for(request.user).email_verified:
        messages.info(request, "Your email address is already confirmed.")
    elif (retry_at := take(services.verification_limit(request.user))) is not None:
        refusal = Refusal(services.verification_limit(request.user).reason, retry_at, timezone.now())
        messages.error(request, refusal.message)
    else:
        services.verification_send(user=request.user)
        messages.success(request, f"We sent a new confirmation link to {request.user.email}.")
    return redirect("/accounts/settings/")


# ---------------------------------------------------------------- profile, settings, deletion


@require_GET
def profile(request: HttpRequest, username: str) -> HttpResponse:
    from cupure.comments.selectors import user_comments

    member = get_object_or_404(User, username=username, is_active=True)
    comments = Paginator(user_comments(user=member, viewer=request.user), 30).get_page(
        request.GET.get("page")
    )
    context = {"member": member, "comments": comments, "own": request.user.pk == member.pk}
    return _private(render(request, "accounts/profile.html", context))


@login_required
@require_GET
def account_settings(request: HttpRequest) -> HttpResponse:
    return _private(
        render(request, "accounts/settings.html", {"profile": services.profile_for(request.user)})
    )


@sensitive_post_parameters("password")
@login_required
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.account_delete(user=request.user, remove_comments=form.cleaned_data["comments"] == "remove")
        auth_logout(request)
        messages.success(request, "Your account is deleted.")
        return redirect("/")
    status = 400 if request.method == "POST" else 200
    return _private(render(request, "accounts/delete.html", {"form": form}, status=status))


# ---------------------------------------------------------------- passwords (Django's views, our URLs)


class PasswordChange(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:settings")

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        response = super().form_valid(form)  # keeps this session; every other session is signed out
        messages.success(self.request, "Your password is changed. Your other sessions are signed out.")
        return response


class PasswordReset(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        addr = address_key(client_ip(self.request))
        limit = Limit(f"reset:ip:{addr}", 5, 3600, "Too many password reset requests from your network.")
        if (retry_at := take(limit)) is not None:
            refusal = Refusal(limit.reason, retry_at, timezone.now())
            return _too_many(self.request, self.template_name, self.get_context_data(form=form), refusal)
        email = form.cleaned_data["email"]
        per_email = Limit(f"reset:mail:{services.key_part(email)}", 3, 3600, "")
        if take(per_email) is None:  # past the limit: answer the same, send nothing
            site = settings.SITE_URL
            form.save(
                domain_override=site.split("://", 1)[-1],
                use_https=site.startswith("https://"),
                email_template_name=self.email_template_name,
                subject_template_name=self.subject_template_name,
                request=self.request,
                token_generator=self.token_generator,
                extra_email_context={"site_name": settings.SITE_NAME},
            )
        return redirect(self.success_url)


class PasswordResetDone(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetComplete(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
