"""Password resets issued by an administrator: Django's one-time link (its token generator
and PasswordResetConfirmView), emailed when email is set up, otherwise shown to the
administrator to pass on. A new council's first administrator is invited the same way
(``invitation``): the link is at the new council's address and the email says so."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.http import HttpRequest
from django.http.request import split_domain_port
from django.template import loader
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from indicators.models import Council


@dataclass
class IssuedReset:
    link: str
    emailed: bool
    email_error: str = ""

    @property
    def how(self) -> str:
        return "link emailed" if self.emailed else "link shown to the administrator"


def email_configured() -> bool:
    """Email is sent only when a mail server is named (EMAIL_HOST in the environment: see
    ``mailers_from_environment`` in the settings)."""
    return settings.PASSWORD_RESET_BY_EMAIL


def council_address(request: HttpRequest, council: Council, path: str = "/") -> str:
    """``path`` at ``council``'s address, as this request reached the server (its scheme and
    port): the council's session and roles are those of its own host name."""
    host, port = split_domain_port(request.get_host())
    if not council.host or council.host == host:
        return request.build_absolute_uri(path)
    return f"{request.scheme}://{council.host}{f':{port}' if port else ''}{path}"


def reset_link(request: HttpRequest, user: User, council: Council | None = None) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    if council is None:  # the request's own council: its own address
        return request.build_absolute_uri(path)
    return council_address(request, council, path)


def issue_reset(
    request: HttpRequest, user: User, council: Council | None = None, invitation: bool = False
) -> IssuedReset:
    """The link for ``user`` to choose a password at ``council``'s address (the request's
    council unless given), emailed if email is set up and they have an address: a reset, or
    with ``invitation`` a new account's first password."""
    link = reset_link(request, user, council)
    council = council or Council.current()
    if not (email_configured() and user.email):
        return IssuedReset(link=link, emailed=False)
    context = {
        "user": user,
        "link": link,
        "invitation": invitation,
        "service_name": council.service_name,
        "council_name": council.display_name,
        "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
    }
    try:
        _send(context, user.email)
    except Exception as error:  # the SMTP server refused: the administrator passes it on
        return IssuedReset(link=link, emailed=False, email_error=str(error) or type(error).__name__)
    return IssuedReset(link=link, emailed=True)


def _send(context, to_email):
    """Django's reset email, sent with errors raised (PasswordResetForm.send_mail only logs
    them, and the administrator must know the email did not go)."""
    subject = "".join(
        loader.render_to_string("accounts/password_reset_subject.txt", context).splitlines()
    )
    body = loader.render_to_string("accounts/password_reset_email.txt", context)
    EmailMultiAlternatives(subject, body, None, [to_email]).send()
