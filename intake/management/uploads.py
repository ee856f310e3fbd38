"""What the commands that read a file (``import_figures``, ``import_setup``) check before
reading it, in the words the upload pages use: the file is there and within the upload limit,
and the user named for the change history exists; and their refusals, as command errors."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.management.base import CommandError

from intake.figure_import.sheets import MAX_UPLOAD_BYTES, UploadRefused
from intake.kept_uploads import ConfirmRefused


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
