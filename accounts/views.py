"""Passwords: Django's own views, in the product's GOV.UK templates; the account page."""

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.http.request import validate_host
from django.shortcuts import redirect, render

from accounts.councils import NewCouncilForm
from accounts.forms import EmailChoicesForm
from accounts.preferences import set_digest, wants_digest
from accounts.reset import council_address, email_configured, issue_reset
from indicators import roles
from indicators.models import Council


class ResetPasswordView(auth_views.PasswordResetConfirmView):
    """Django's one-time link. Choosing a new password through it also lifts a lockout of
    that username: the link came from an administrator, who would otherwise be asked to
    unlock it too."""

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        axes_reset(username=form.user.get_username())
        return response


@roles.readers
def account(request: HttpRequest) -> HttpResponse:
    """The user's account: who they are, the emails they choose, a link to the password."""
    user = request.user
    assert isinstance(user, User)  # a role needs a signed-in user
    # An unticked box posts nothing of its own: a POST is bound however empty.
    data = request.POST if request.method == "POST" else None
    form = EmailChoicesForm(data, initial={"digest": wants_digest(user)})
    if form.is_valid():
        set_digest(user, form.cleaned_data["digest"])
        chosen = "will" if form.cleaned_data["digest"] else "will not"
        messages.success(request, f"Saved: you {chosen} be emailed a digest of each month.")
        return redirect("account")
    return render(
        request,
        "accounts/account.html",
        {"form": form, "nav_section": "account", "has_email": bool(user.email)},
    )


def new_council(request: HttpRequest) -> HttpResponse:
    """A platform administrator (a superuser) creates a council and invites its first
    administrator, as ``manage.py create_council`` does (``accounts.councils``); the link to
    choose a password is at the new council's address. Anyone else: 403."""
    if not request.user.is_superuser:
        raise PermissionDenied("Only a platform administrator may create a council.")
    form = NewCouncilForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = form.create()
        except ValidationError as error:
            form.add_error(None, error)
        else:
            council, user = created.council, created.administrator
            issued = None
            if created.new_account:
                issued = issue_reset(request, user, council, invitation=True)
            return render(
                request,
                "accounts/council_created.html",
                {
                    "created_council": council,
                    "administrator": user,
                    "new_account": created.new_account,
                    "issued": issued,
                    "email_configured": email_configured(),
                    "reset_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
                    "address": council_address(request, council),
                    "setup_address": council_address(request, council, "/setup/"),
                    "served": not council.host
                    or validate_host(council.host, settings.ALLOWED_HOSTS),
                },
            )
    councils = list(Council.objects.order_by("name"))
    # A council with no host name is served at any address only while it is the only one.
    hostless = [council for council in councils if not council.host]
    return render(
        request,
        "accounts/new_council.html",
        {"form": form, "councils": councils, "hostless": hostless},
    )
