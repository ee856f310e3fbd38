"""Passwords: Django's own views, in the product's GOV.UK templates; the account page."""

from axes.utils import reset as axes_reset
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accounts.forms import EmailChoicesForm
from accounts.preferences import set_digest, wants_digest
from indicators import roles


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
