from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.utils import timezone

from cupure.accounts.models import Profile
from cupure.accounts.services import verification_token
from cupure.accounts.tests.helpers import PASSWORD, client_for, make_article, make_user
from cupure.comments.models import Comment

pytestmark = pytest.mark.django_db
User = get_user_model()
NEW_PASSWORD = "another long passphrase 42"


def signup(client: Client, username: str = "newreader", **extra):
    data = {
        "username": username,
        "email": f"{username}@example.test",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **extra,
    }
    return client.post("/accounts/signup/", data)


def login(client: Client, username: str, password: str = PASSWORD, **kwargs):
    return client.post("/accounts/login/", {"username": username, "password": password}, **kwargs)


def test_sign_up_creates_an_unverified_account_signs_in_and_mails_a_link(settings) -> None:
    settings.SITE_URL = "https://news.example.org"
    client = Client()
    response = signup(client, next="/a/1/")
    assert response.status_code == 302 and response["Location"] == "/a/1/"
    user = User.objects.get(username="newreader")
    assert not user.profile.email_verified and user.password.startswith("md5$")  # fast hasher in tests
    assert client.get("/accounts/settings/").status_code == 200
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["newreader@example.test"]
    link = re.search(r"https://news\.example\.org/accounts/verify/\S+/", mail.outbox[0].body).group(0)
    confirmed = client.get(link.removeprefix("https://news.example.org"))
    assert confirmed.status_code == 200 and "Email confirmed" in confirmed.content.decode()
    user.profile.refresh_from_db()
    assert user.profile.email_verified


def test_production_hashers_put_argon2_first() -> None:
    from cupure import settings as project

    source = open(project.__file__, encoding="utf-8").read()
    assert source.index("Argon2PasswordHasher") < source.index(
        '"django.contrib.auth.hashers.PBKDF2PasswordHasher"'
    )


def test_sign_up_refuses_weak_passwords_and_taken_names_and_emails() -> None:
    make_user("taken")
    weak = Client().post(
        "/accounts/signup/",
        {"username": "weakling", "email": "w@example.test", "password1": "password", "password2": "password"},
    )
    assert weak.status_code == 400 and not User.objects.filter(username="weakling").exists()
    assert signup(Client(), "TAKEN").status_code == 400
    dup_email = Client().post(
        "/accounts/signup/",
        {"username": "other", "email": "Taken@example.test", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert dup_email.status_code == 400 and "already uses" in dup_email.content.decode()


def test_sign_up_honeypot_stores_nothing() -> None:
    response = signup(Client(), "botty", website="http://spam.example")
    assert response.status_code == 200 and not User.objects.filter(username="botty").exists()


def test_sign_ups_are_limited_per_address() -> None:
    codes = [signup(Client(), f"user{i}").status_code for i in range(6)]
    assert codes == [302] * 5 + [429]
    assert User.objects.count() == 5


def test_a_verification_link_that_is_forged_or_expired_is_refused(settings) -> None:
    user = make_user(verified=False)
    token = verification_token(user)
    assert Client().get(f"/accounts/verify/{token[:-3]}xyz/").status_code == 400
    with time_machine.travel(timezone.now() + timedelta(days=settings.ACCOUNTS_VERIFY_EMAIL_DAYS + 1)):
        assert Client().get(f"/accounts/verify/{token}/").status_code == 400
    # A link for an old email address does not confirm a new one.
    User.objects.filter(pk=user.pk).update(email="changed@example.test")
    assert Client().get(f"/accounts/verify/{token}/").status_code == 400
    assert not Profile.objects.get(user=user).email_verified


def test_resending_the_confirmation_is_limited_to_three_an_hour() -> None:
    client = client_for(make_user(verified=False))
    for _ in range(4):
        client.post("/accounts/verify/resend/")
    assert len(mail.outbox) == 3


def test_login_rotates_the_session_key_and_the_old_key_no_longer_authenticates() -> None:
    user = make_user()
    client = Client()
    client.get("/accounts/login/")
    session = client.session
    session["planted"] = "by attacker"
    session.save()
    before = session.session_key
    client.cookies["sessionid"] = before
    assert login(client, user.username).status_code == 302
    after = client.cookies["sessionid"].value
    assert after != before
    attacker = Client()
    attacker.cookies["sessionid"] = before
    assert attacker.get("/accounts/settings/").status_code == 302


def test_password_change_signs_out_other_sessions_and_keeps_this_one() -> None:
    user = make_user()
    session_a, session_b = Client(), Client()
    login(session_a, user.username)
    login(session_b, user.username)
    response = session_a.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert session_a.get("/accounts/settings/").status_code == 200
    assert session_b.get("/accounts/settings/").status_code == 302


def test_password_reset_mails_a_link_on_the_configured_site_only(settings) -> None:
    settings.SITE_URL = "https://news.example.org"
    user = make_user()
    response = Client().post(
        "/accounts/password/reset/", {"email": user.email}, headers={"host": "localhost"}
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    link = re.search(r"https://news\.example\.org(/accounts/password/reset/\S+/)", body).group(1)
    client = Client()
    form = client.get(link, follow=True)
    assert form.status_code == 200 and "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done.status_code == 302
    assert login(Client(), user.username, NEW_PASSWORD).status_code == 302


def test_a_poisoned_host_header_is_refused() -> None:
    assert (
        Client()
        .post("/accounts/password/reset/", {"email": "x@example.test"}, HTTP_HOST="evil.example")
        .status_code
        == 400
    )


def test_password_reset_answers_the_same_for_unknown_addresses() -> None:
    make_user("known")
    known = Client().post("/accounts/password/reset/", {"email": "known@example.test"})
    unknown = Client().post("/accounts/password/reset/", {"email": "nobody@example.test"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(mail.outbox) == 1


def test_login_errors_are_the_same_for_unknown_users_and_wrong_passwords() -> None:
    make_user("existing")
    wrong = login(Client(), "existing", "not the password")
    unknown = login(Client(), "nobody-here", "not the password")
    assert wrong.status_code == unknown.status_code == 400
    assert "do not match" in wrong.content.decode() and "do not match" in unknown.content.decode()


def test_login_is_locked_per_account_and_address_and_spoofed_forwarded_for_is_ignored() -> None:
    victim = make_user("victim")
    codes = [
        login(
            Client(),
            "victim",
            "wrong guess",
            REMOTE_ADDR="203.0.113.9",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{i}",
        ).status_code
        for i in range(20)
    ]
    assert codes == [400] * 5 + [429] * 15
    locked = login(Client(), "victim", REMOTE_ADDR="203.0.113.9")
    assert locked.status_code == 429 and "try again in" in locked.content.decode()
    assert int(locked["Retry-After"]) > 0
    # The real owner elsewhere is not locked out.
    assert login(Client(), "victim", REMOTE_ADDR="192.0.2.44").status_code == 302
    assert victim.pk


def test_a_trusted_proxy_forwards_the_client_address(settings) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    make_user("proxied")
    for i in range(5):
        login(
            Client(),
            "proxied",
            "nope",
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"1.2.3.4, 198.51.100.{i}",
        )
    # Each forwarded address has its own budget: the sixth address is still allowed to try.
    assert (
        login(
            Client(), "proxied", "nope", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.77"
        ).status_code
        == 400
    )
    # One address behind the proxy is locked after five.
    codes = [
        login(
            Client(), "proxied", "nope", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.200"
        ).status_code
        for _ in range(6)
    ]
    assert codes[-1] == 429


def test_a_successful_login_resets_the_failures_of_that_account_and_address() -> None:
    make_user("forgetful")
    for _ in range(4):
        login(Client(), "forgetful", "oops", REMOTE_ADDR="192.0.2.7")
    assert login(Client(), "forgetful", REMOTE_ADDR="192.0.2.7").status_code == 302
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        codes = [login(Client(), "forgetful", "oops", REMOTE_ADDR="192.0.2.7").status_code for _ in range(5)]
    assert codes == [400] * 5


@pytest.mark.parametrize(
    "target",
    [
        "//evil.com",
        "/\\evil.com",
        "\\/\\/evil.com",
        "https:evil.com",
        "/\t/evil.com",
        "javascript:alert(1)",
        "https://evil.com@cupure.test",
        "https://evil.com/",
    ],
)
def test_next_never_leaves_the_site(target: str) -> None:
    make_user("wanderer")
    response = Client().post(
        "/accounts/login/", {"username": "wanderer", "password": PASSWORD, "next": target}
    )
    assert response.status_code == 302 and response["Location"] == "/"


def test_an_encoded_tab_stays_a_path_on_this_site() -> None:
    make_user("tabby")
    response = Client().post(
        "/accounts/login/", {"username": "tabby", "password": PASSWORD, "next": "/%09/evil.com"}
    )
    assert response["Location"] == "/%09/evil.com"  # a path here; browsers do not decode %09 into a scheme


def test_next_on_the_site_is_followed() -> None:
    make_user("homebody")
    response = Client().post(
        "/accounts/login/", {"username": "homebody", "password": PASSWORD, "next": "/a/5/x/"}
    )
    assert response["Location"] == "/a/5/x/"


def test_login_logout_and_signup_need_a_csrf_token() -> None:
    user = make_user()
    strict = Client(enforce_csrf_checks=True)
    assert (
        strict.post("/accounts/login/", {"username": user.username, "password": PASSWORD}).status_code == 403
    )
    assert signup(strict, "csrfless").status_code == 403
    strict.force_login(user)
    assert strict.post("/accounts/logout/").status_code == 403
    assert strict.post("/accounts/password/", {"old_password": PASSWORD}).status_code == 403
    assert strict.post("/accounts/delete/", {"password": PASSWORD, "comments": "keep"}).status_code == 403
    cross = strict.post("/accounts/logout/", headers={"Origin": "https://evil.example"})
    assert cross.status_code == 403
    assert strict.get("/accounts/settings/").status_code == 200


def test_logout_is_post_only_and_ends_the_session() -> None:
    client = client_for(make_user())
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/accounts/settings/").status_code == 302


def test_the_state_fragment_shows_the_user_and_a_sign_out_form_and_is_never_cached() -> None:
    user = make_user("navigator", staff=True)
    anonymous = Client().get("/accounts/state/?next=/a/3/")
    assert "Sign in" in anonymous.content.decode() and "next=/a/3/" in anonymous.content.decode()
    assert "no-store" in anonymous["Cache-Control"]
    mine = client_for(user).get("/accounts/state/?next=//evil.example").content.decode()
    assert "navigator" in mine and 'action="/accounts/logout/"' in mine and "csrfmiddlewaretoken" in mine
    assert "Moderation" in mine and "evil.example" not in mine


def test_cached_article_pages_carry_no_user_data_or_csrf_token() -> None:
    article, user = make_article(), make_user("cachedreader")
    anonymous = Client().get(article.get_absolute_url())
    assert anonymous.status_code == 200
    signed_in = client_for(user).get(article.get_absolute_url())
    for response in (anonymous, signed_in):
        html = response.content.decode()
        assert "csrfmiddlewaretoken" not in html and "cachedreader" not in html
        assert f'data-src="/comments/article/{article.pk}/"' in html
    assert "public" in anonymous["Cache-Control"] and not anonymous.cookies


def test_the_profile_lists_public_comments_and_the_owner_sees_held_ones() -> None:
    article, user = make_article(), make_user("profiled")
    Comment.objects.create(
        article=article, user=user, body="shown", body_html="<p>shown</p>", created_at=timezone.now()
    )
    Comment.objects.create(
        article=article,
        user=user,
        body="held",
        body_html="<p>waiting here</p>",
        status="held",
        created_at=timezone.now(),
    )
    public = Client().get("/accounts/u/profiled/").content.decode()
    assert "shown" in public and "waiting here" not in public
    assert "waiting here" in client_for(user).get("/accounts/u/profiled/").content.decode()
    assert Client().get("/accounts/u/nobody/").status_code == 404


def test_account_deletion_needs_the_password_and_signs_out() -> None:
    user = make_user("leaving")
    client = client_for(user)
    assert client.post("/accounts/delete/", {"password": "wrong", "comments": "keep"}).status_code == 400
    assert User.objects.filter(pk=user.pk).exists()
    assert client.post("/accounts/delete/", {"password": PASSWORD, "comments": "remove"}).status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
    assert client.get("/accounts/settings/").status_code == 302


def test_staff_reach_the_django_admin_and_readers_do_not() -> None:
    assert client_for(make_user(staff=True)).get("/admin/comments/comment/").status_code in (200, 403)
    superuser = User.objects.create_superuser("root", "root@example.test", PASSWORD)
    assert client_for(superuser).get("/admin/comments/comment/").status_code == 200
    assert client_for(superuser).get(f"/admin/auth/user/{superuser.pk}/change/").status_code == 200
    assert client_for(make_user()).get("/admin/").status_code == 302
