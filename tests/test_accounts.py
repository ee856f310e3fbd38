"""Passwords and lockouts: every signed-in user changes their own password; an administrator
issues Django's one-time reset link (emailed when a mailer is set up, otherwise shown to pass
on); an administrator unlocks a locked-out sign-in from the admin."""

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from indicators import roles
from scorecard.settings import mailers_from_environment

from .support.factories import make_user

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "a-long-test-password"
NEW_PASSWORD = "a-brand-new-password-77"
#: A mail server named (the test run's mailer keeps what is sent in ``mail.outbox``).
WITH_EMAIL = override_settings(PASSWORD_RESET_BY_EMAIL=True)


def sign_in(username, password, address="127.0.0.1"):
    client = Client()
    response = client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )
    return client, response.status_code


def lock_out(username, address="127.0.0.1"):
    for _ in range(5):
        sign_in(username, "wrong-password", address)
    assert sign_in(username, PASSWORD, address)[1] == 429


@pytest.fixture
def councillor(db):
    user = make_user("councillor", roles.VIEWER, PASSWORD)
    user.email = "councillor@example.gov.uk"
    user.first_name = "Chris"
    user.save()
    return user


@pytest.fixture
def admin_client(db):
    user = make_user("admin", roles.ADMINISTRATOR, PASSWORD)
    user.is_staff = True
    user.save()
    client = Client()
    client.force_login(user)
    return client


# Changing one's own password -----------------------------------------------------------------
@pytest.mark.parametrize("role", [roles.VIEWER, roles.EDITOR, roles.ADMINISTRATOR, None])
def test_every_signed_in_user_can_change_their_password(seed, role):
    user = make_user("someone", role, PASSWORD)
    client = Client()
    client.force_login(user)
    if role is not None:
        assert reverse("password_change") in client.get(reverse("dashboard")).text  # header
    page = client.get(reverse("password_change"))
    assert page.status_code == 200
    assert "Change your password" in page.text

    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    assert "Password changed" in client.get(response["Location"]).text
    assert sign_in("someone", NEW_PASSWORD)[1] == 302
    assert sign_in("someone", PASSWORD)[1] == 200  # refused, not yet locked


def test_a_wrong_current_password_changes_nothing_and_says_why(councillor):
    client = Client()
    client.force_login(councillor)
    response = client.post(
        reverse("password_change"),
        {"old_password": "not-it", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert "Your old password was entered incorrectly" in response.text
    assert 'href="#id_old_password"' in response.text  # the error summary links to the field
    councillor.refresh_from_db()
    assert councillor.check_password(PASSWORD)


def test_the_password_rules_are_explained_on_a_weak_choice(councillor):
    client = Client()
    client.force_login(councillor)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    assert "This password is too common." in response.text
    assert "This password is entirely numeric." in response.text


def test_signing_out_of_nowhere_the_password_page_asks_to_sign_in(db):
    response = Client().get(reverse("password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# Resets issued by an administrator ------------------------------------------------------------
def reset_url(user):
    return reverse("admin:auth_user_reset_password", args=[user.pk])


def link_on(page_text):
    return re.search(r'value="(http://testserver/accounts/reset/[^"]+)"', page_text).group(1)


def use_link(link, password=NEW_PASSWORD):
    """Follow the link as the user (not signed in), choose a password; the final page."""
    client = Client()
    page = client.get(link, follow=True)
    assert "Choose a new password" in page.text, page.text[:500]
    form_url = page.redirect_chain[-1][0]
    done = client.post(
        form_url, {"new_password1": password, "new_password2": password}, follow=True
    )
    return done


@override_settings(PASSWORD_RESET_BY_EMAIL=False)
def test_without_email_the_administrator_is_shown_a_one_time_link(admin_client, councillor):
    page = admin_client.get(reverse("admin:auth_user_change", args=[councillor.pk]))
    assert reset_url(councillor) in page.text
    confirm = admin_client.get(reset_url(councillor))
    assert "Email is not set up on this server" in confirm.text
    assert councillor.check_password(PASSWORD)  # nothing happens on GET

    shown = admin_client.post(reset_url(councillor))
    assert shown.status_code == 200
    link = link_on(shown.text)
    assert not mail.outbox
    councillor.refresh_from_db()
    assert councillor.check_password(PASSWORD)  # the old password works until the link is used

    done = use_link(link)
    assert "Password saved" in done.text
    assert sign_in("councillor", NEW_PASSWORD)[1] == 302
    # Once only.
    again = Client().get(link, follow=True)
    assert "This link has expired" in again.text


@WITH_EMAIL
def test_with_email_the_link_is_sent_to_the_user_and_not_shown(admin_client, councillor):
    confirm = admin_client.get(reset_url(councillor))
    assert "will be emailed to councillor@example.gov.uk" in confirm.text
    response = admin_client.post(reset_url(councillor), follow=True)
    assert "A password-reset link was emailed to councillor@example.gov.uk" in response.text
    assert "/accounts/reset/" not in response.text
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["councillor@example.gov.uk"]
    assert (
        message.subject == "Reset your password for the Children's services performance scorecard"
    )
    assert "Hello Chris," in message.body
    link = re.search(r"http://testserver/accounts/reset/\S+", message.body).group(0)
    assert "Password saved" in use_link(link).text
    assert sign_in("councillor", NEW_PASSWORD)[1] == 302


@WITH_EMAIL
def test_with_email_but_no_address_the_link_is_shown(admin_client, councillor):
    councillor.email = ""
    councillor.save()
    assert "has no email address" in admin_client.get(reset_url(councillor)).text
    link_on(admin_client.post(reset_url(councillor)).text)
    assert not mail.outbox


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_when_the_mail_server_refuses_the_link_is_shown_with_the_reason(admin_client, councillor):
    smtp = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": closed_port(), "timeout": 5},
        }
    }
    with override_settings(MAILERS=smtp, PASSWORD_RESET_BY_EMAIL=True):
        page = admin_client.post(reset_url(councillor))
    assert "could not be sent" in page.text
    assert "Connection refused" in page.text
    assert "Password saved" in use_link(link_on(page.text)).text


def test_only_administrators_issue_resets(councillor):
    editor = make_user("advisor", roles.EDITOR, PASSWORD)
    client = Client()
    client.force_login(editor)
    assert client.post(reset_url(councillor)).status_code == 302  # to the admin's sign-in
    editor.is_staff = True
    editor.save()
    assert client.post(reset_url(councillor)).status_code == 403


def test_a_reset_link_lifts_the_users_lockout(admin_client, councillor):
    lock_out("councillor")
    link = link_on(admin_client.post(reset_url(councillor)).text)
    use_link(link)
    assert sign_in("councillor", NEW_PASSWORD)[1] == 302


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, None),
        ({"EMAIL_HOST": " "}, None),
        (
            {"EMAIL_HOST": "smtp.example.gov.uk"},
            {"host": "smtp.example.gov.uk", "port": 587, "use_tls": True, "use_ssl": False},
        ),
        (
            {"EMAIL_HOST": "smtp.example.gov.uk", "EMAIL_USE_SSL": "1"},
            {"port": 465, "use_tls": False, "use_ssl": True},
        ),
        (
            {"EMAIL_HOST": "relay.internal", "EMAIL_PORT": "25", "EMAIL_USE_TLS": "0"},
            {"port": 25, "use_tls": False, "use_ssl": False},
        ),
        (
            {
                "EMAIL_HOST": "smtp.example.gov.uk",
                "EMAIL_HOST_USER": "u",
                "EMAIL_HOST_PASSWORD": "p",
            },
            {"username": "u", "password": "p"},
        ),
    ],
    ids=["unset", "blank", "host only", "ssl", "plain relay", "credentials"],
)
def test_the_mailer_comes_from_the_email_variables(environ, expected):
    mailers = mailers_from_environment(environ)
    if expected is None:  # Django's old default, for its checks; the app sends nothing
        assert mailers["default"]["OPTIONS"]["host"] == "localhost"
        return
    options = mailers["default"]["OPTIONS"]
    assert {key: options[key] for key in expected} == expected
    assert mailers["default"]["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"


@pytest.mark.parametrize(("host", "by_email"), [("", "False"), ("smtp.example.gov.uk", "True")])
def test_the_settings_send_resets_by_email_only_with_a_host(host, by_email):
    env = {k: v for k, v in os.environ.items() if not k.startswith("EMAIL_")}
    env.update(SECRET_KEY="x", DJANGO_SETTINGS_MODULE="scorecard.settings", EMAIL_HOST=host)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings as s; "
            "print(s.PASSWORD_RESET_BY_EMAIL, s.MAILERS['default']['OPTIONS']['host'])",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == [by_email, host or "localhost"], result.stderr


# Unlocking from the admin ---------------------------------------------------------------------
def test_an_administrator_unlocks_a_locked_out_sign_in_from_the_admin(admin_client, councillor):
    make_user("advisor", roles.EDITOR, PASSWORD)
    lock_out("councillor")
    lock_out("advisor", address="10.0.0.7")
    changelist = reverse("admin:axes_accessattempt_changelist")
    page = admin_client.get(changelist, {"locked_out": "yes"})
    assert page.status_code == 200
    assert "Locked Out" in page.text
    assert '<option value="unlock">Unlock' in page.text

    attempt = AccessAttempt.objects.get(username="councillor")
    response = admin_client.post(
        changelist, {"action": "unlock", "_selected_action": [attempt.pk]}, follow=True
    )
    assert "Unlocked councillor from 127.0.0.1." in response.text
    assert sign_in("councillor", PASSWORD)[1] == 302
    # Only the pair chosen: the other stays locked, and the failures stay on record.
    assert sign_in("advisor", PASSWORD, address="10.0.0.7")[1] == 429
    assert AccessFailureLog.objects.filter(username="councillor").count() >= 5


def test_lockouts_are_per_username_and_address(councillor):
    lock_out("councillor", address="192.0.2.10")
    # The same office address, another user: unaffected. The same user elsewhere: unaffected.
    make_user("advisor", roles.EDITOR, PASSWORD)
    assert sign_in("advisor", PASSWORD, address="192.0.2.10")[1] == 302
    assert sign_in("councillor", PASSWORD, address="198.51.100.4")[1] == 302
    assert sign_in("councillor", PASSWORD, address="192.0.2.10")[1] == 429
