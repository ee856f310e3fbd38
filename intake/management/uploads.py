"""The commands that read a file (``import_figures``, ``import_setup``): what they check
before reading it, in the words the upload pages use (the file is there and within the upload
limit, and the user named for the change history exists), their refusals as command errors,
and the run they share: read, preview, then apply in the same transaction."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.management.base import CommandError, CommandParser
from django.db import transaction

from indicators.tenancy import CouncilCommand
from intake.figure_import.sheets import MAX_UPLOAD_BYTES, UploadRefused
from intake.kept_uploads import ConfirmRefused, Plan, Uploader, UploadKind


def read_file(path: str) -> tuple[str, bytes]:
    """The file's name and bytes, or a CommandError saying why not."""
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"No file at {path}.")
    if file.stat().st_size > MAX_UPLOAD_BYTES:
        raise CommandError(f"{path} is larger than {MAX_UPLOAD_BYTES // 1024 // 1024} MB.")
    return file.name, file.read_bytes()


def named_user(username: str | None) -> User | None:
    """The user called ``username`` (None when no name is given), or a CommandError."""
    if not username:
        return None
    found = get_user_model().objects.filter(username=username).first()
    if found is None:
        raise CommandError(f"No user called {username}.")
    return found


@contextmanager
def refusals_as_command_errors() -> Iterator[None]:
    """A file that cannot be read, or a plan that cannot be applied, ends the command with
    the sentence the upload pages show."""
    try:
        yield
    except UploadRefused as refused:
        raise CommandError(refused.message) from None
    except ConfirmRefused as refused:
        raise CommandError(str(refused)) from None


class UploadCommand[PlanT: Plan, ResultT](CouncilCommand):
    """Reads a file as its upload page does, prints the preview and, unless ``--dry-run``,
    applies it in the same transaction, so nothing changes between the preview and the
    writing. A subclass names its ``uploads`` and says how to preview, apply and report."""

    uploads: UploadKind[Any, PlanT, Any, ResultT]
    user_help: str  # what the --user named is recorded as

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")
        parser.add_argument("--dry-run", action="store_true", help="Print the preview only.")
        self.add_choices(parser)
        parser.add_argument("--user", help=self.user_help)

    def add_choices(self, parser: CommandParser) -> None:
        """The options a subclass's ``apply`` reads."""

    def handle(
        self, *args: Any, path: str, dry_run: bool, user: str | None, **options: Any
    ) -> None:
        name, content = read_file(path)
        named = named_user(user)
        with refusals_as_command_errors(), transaction.atomic():
            plan = self.uploads.read(content, name)
            self.print_plan(plan, options)
            self.stdout.flush()  # the preview is out before anything is written
            if dry_run:
                self.stdout.write("Dry run: nothing was saved.")
                return
            result = self.apply(plan, named, options)
        self.print_result(plan, result)

    def print_plan(self, plan: PlanT, options: dict[str, Any]) -> None:
        raise NotImplementedError

    def apply(self, plan: PlanT, user: Uploader, options: dict[str, Any]) -> ResultT:
        """``uploads.apply`` with the choices the options make, or a CommandError."""
        raise NotImplementedError

    def print_result(self, plan: PlanT, result: ResultT) -> None:
        raise NotImplementedError
