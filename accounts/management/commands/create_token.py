"""A personal API token for a user, made by an administrator at the command line and printed
once (``indicators.models.ApiToken``): the token carries the user's role."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser

from indicators.models import TOKEN_DAYS, ApiToken
from indicators.roles import roles_of
from indicators.tenancy import CouncilCommand


class Command(CouncilCommand):
    help = "Make a personal API token for USERNAME and print it once (it is stored hashed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="What the token is for.")
        parser.add_argument("--days", type=int, default=TOKEN_DAYS, help="Days until it expires.")

    def handle(self, *args: Any, username: str, name: str, days: int, **options: Any) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user {username!r}.")
        if not user.is_active:
            raise CommandError(f"The user {username!r} is not active: a token would not work.")
        if not roles_of(user):
            raise CommandError(f"The user {username!r} has no role: a token would be refused.")
        try:
            token, secret = ApiToken.issue(user, name, days)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(secret)
        self.stderr.write(
            f"Token {token.name!r} for {username}, expires {token.expires_at:%Y-%m-%d}. "
            "Keep it: it is not shown again."
        )
