"""A platform administrator's command (issue 23): a new council on this deployment, reached at
its own host name, with its first administrator, whose password is made here and printed
once. ``manage.py create_council devon --name "Devon County Council" --host
devon.scorecard.example --administrator devon-admin``."""

import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from indicators import roles
from indicators.models import Council
from indicators.tenancy import council_scope


class Command(BaseCommand):
    help = (
        "Create a council (its short name, name and host name) and its first administrator, "
        "with a new password printed once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="Its short name: letters, digits and hyphens.")
        parser.add_argument("--name", required=True, help="Its name, as pages print it.")
        parser.add_argument(
            "--host", help="The host name its people use (needed once there are two councils)."
        )
        parser.add_argument("--administrator", required=True, metavar="USERNAME")

    def handle(
        self, *args: Any, slug: str, name: str, host: str | None, administrator: str, **_: Any
    ) -> None:
        if Council.objects.filter(slug=slug).exists():
            raise CommandError(f"A council called {slug!r} exists already.")
        council = Council(slug=slug, name=name, host=(host or "").lower() or None)
        try:
            council.full_clean()
        except ValidationError as error:
            problems = "; ".join(
                f"{field}: {' '.join(words)}" for field, words in error.message_dict.items()
            )
            raise CommandError(f"The council was not created: {problems}") from error
        User = get_user_model()
        password = None
        with transaction.atomic():
            council.save()
            user = User.objects.filter(username=administrator).first()
            if user is None:
                password = secrets.token_urlsafe(12)
                user = User.objects.create_user(username=administrator, password=password)
            user.is_staff = True
            user.save(update_fields=["is_staff"])
            with council_scope(council):
                roles.grant(user, roles.ADMINISTRATOR)
        self.stdout.write(f"Council {council.slug}: {council.name} (host {council.host or 'any'})")
        if password is None:
            self.stdout.write(
                f"Administrator {administrator}: an existing user, now its administrator "
                "(their password is unchanged)."
            )
        else:
            self.stdout.write(f"Administrator  username: {administrator}  password: {password}")
            self.stdout.write("Keep the password: it is not shown again.")
