"""A user's personal API tokens (``indicators.models.ApiToken``): made and named on their
account page, the token shown once; revoked there. A token carries its user's role."""

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from indicators.models import TOKEN_DAYS, TOKEN_MAX_DAYS, ApiToken
from indicators.roles import readers

if TYPE_CHECKING:  # settings.AUTH_USER_MODEL: Django's own user
    from django.contrib.auth.models import User


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        label="Name",
        help_text="What it is for, so you know which to revoke: 'Power BI performance board'.",
        error_messages={"required": "Enter a name for the token"},
    )
    days = forms.IntegerField(
        min_value=1,
        max_value=TOKEN_MAX_DAYS,
        initial=TOKEN_DAYS,
        label="Days until it expires",
        error_messages={
            "required": "Enter the number of days until the token expires",
            "invalid": "Enter the number of days as a whole number, like 90",
            "min_value": "A token lasts at least 1 day",
            "max_value": f"A token lasts at most {TOKEN_MAX_DAYS} days",
        },
    )


def _signed_in(request: HttpRequest) -> "User":
    """The user of a view behind ``readers``: signed in, with a role."""
    return cast("User", request.user)


def _own_tokens(request: HttpRequest) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=_signed_in(request))


def _page(request: HttpRequest, form: TokenForm, **context: Any) -> HttpResponse:
    tokens = _own_tokens(request).order_by("-created_at", "-pk")
    return render(
        request,
        "accounts/tokens.html",
        {"form": form, "tokens": tokens, "nav_section": "account", **context},
    )


@readers
def tokens(request: HttpRequest) -> HttpResponse:
    """The user's tokens and a form to make one. The new token is in this one response
    only: it is not stored, and the page is not cached."""
    if request.method != "POST":
        return _page(request, TokenForm())
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _page(request, form)
    token, secret = ApiToken.issue(
        _signed_in(request),
        form.cleaned_data["name"],
        form.cleaned_data["days"],
    )
    response = _page(request, TokenForm(), new_token=token, secret=secret)
    response["Cache-Control"] = "no-store"
    return response


@readers
@require_POST
def revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    """Revoke one of the user's own tokens (another user's is not found)."""
    token = _own_tokens(request).filter(pk=token_id).first()
    if token is None:
        raise Http404("You have no such token.")
    token.revoke()
    messages.success(request, f"The token {token.name} was revoked: it no longer works.")
    return redirect("api_tokens")
