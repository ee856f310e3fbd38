"""Passwords: Django's own views, in the product's GOV.UK templates."""

from axes.utils import reset as axes_reset
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpResponse


class ResetPasswordView(auth_views.PasswordResetConfirmView):
    """Django's one-time link. Choosing a new password through it also lifts a lockout of
    that username: the link came from an administrator, who would otherwise be asked to
    unlock it too."""

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        axes_reset(username=form.user.get_username())
        return response
