from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path

from accounts import tokens, views

urlpatterns = [
    path("accounts/", views.account, name="account"),
    # A platform administrator's page (superusers only): a new council (accounts/councils.py).
    path("councils/new/", views.new_council, name="new_council"),
    path("accounts/tokens/", tokens.tokens, name="api_tokens"),
    path("accounts/tokens/<id:token_id>/revoke/", tokens.revoke, name="api_token_revoke"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # The one-time link an administrator sends or passes on (accounts/reset.py).
    path(
        "accounts/reset/<uidb64>/<token>/",
        login_not_required(views.ResetPasswordView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        login_not_required(auth_views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
]
