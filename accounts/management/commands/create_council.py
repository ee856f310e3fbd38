"""A platform administrator's command (issue 23): a new council on this deployment, reached at
its own host name, with its first administrator, whose password is made here and printed
once. ``manage.py create_council devon --name "Devon County Council" --host
devon.scorecard.example --administrator devon-admin``. The page at /councils/new/ does the
same through the same form (``accounts.councils``), inviting the administrator by a link."""

import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.councils import NewCouncilForm


class Command(BaseCommand):
    help = (
        "Create a council (its short name, name and host name) and its first administrator, "
        "with a new password printed once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="Its short name: lower-case letters, digits and hyphens.")
        parser.add_argument("--name", required=True, help="Its name, as pages print it.")
        parser.add_argument(
            "--host", help="The host name its people use (needed once there are two councils)."
        )
        parser.add_argument("--administrator", required=True, metavar="USERNAME")
        parser.add_argument("--email", default="", help="The administrator's email address.")

    def handle(
        self,
        *args: Any,
        slug: str,
        name: str,
        host: str | None,
        administrator: str,
        email: str,
        **_: Any,
    ) -> None:
        form = NewCouncilForm(
            {
                "slug": slug,
                "name": name,
                "host": host or "",
                "administrator": administrator,
                "email": email,
            }
        )
        if not form.is_valid():
            problems = "; ".join(
                " ".join(str(error) for error in errors) for errors in form.errors.values()
            )
            raise CommandError(f"The council was not created: {problems}")
        password = secrets.token_urlsafe(12)
        try:
            created = form.create(password=password)
        except ValidationError as error:
            raise CommandError(
                f"The council was not created: {' '.join(error.messages)}"
            ) from error
        council = created.council
        self.stdout.write(f"Council {council.slug}: {council.name} (host {council.host or 'any'})")
        if not created.new_account:
            self.stdout.write(
                f"Administrator {administrator}: an existing user, now its administrator "
                "(their password is unchanged)."
            )
        else:
            self.stdout.write(f"Administrator  username: {administrator}  password: {password}")
            self.stdout.write("Keep the password: it is not shown again.")
