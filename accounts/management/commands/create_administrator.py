"""One administrator for a council that starts empty (scripts/start_empty.sh): a user in the
administrator role who may use the admin, with a password made here and printed once."""

import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandParser

from indicators import roles
from indicators.tenancy import CouncilCommand


class Command(CouncilCommand):
    help = (
        "Create an administrator (the administrator role, admin access) with a new password, "
        "printed once; an existing user of that name is left as it is."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="admin")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is not None:
            self.stdout.write(
                f"The user {username} already exists; its password is unchanged "
                f"(manage.py changepassword {username} sets a new one)."
            )
            return
        password = secrets.token_urlsafe(12)
        user = User.objects.create_user(username=username, password=password, is_staff=True)
        roles.grant(user, roles.ADMINISTRATOR)
        self.stdout.write(f"Administrator  username: {username}  password: {password}")
        self.stdout.write("Keep the password: it is not shown again.")
