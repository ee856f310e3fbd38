"""Pruning what ``stored_prints`` keeps (``manage.py prune_prints``): stored PDFs named at a
data version that is no longer their council's current one and older than a number of days,
prints that failed or were left half-written as long ago, and the "asked for" rows that have lapsed.

Only the folders ``stored_prints.PRINTERS`` names are read or deleted from: anything else in
storage (an issued meeting pack under ``issued-packs/``, say) is never touched. A print of the
current data version is kept however old it is: it is still what its page downloads.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.core.files.storage import FileSystemStorage, default_storage
from django.utils import timezone

from indicators.changes import data_version
from scorecard.models import PrintSlot
from scorecard.stored_prints import PRINTERS


@dataclass
class Pruned:
    """What was deleted, and what was kept (stored prints of the current data version)."""

    deleted: list[str]
    kept: int
    lapsed_rows: int


def _files(folder: str) -> list[str]:
    """Every file under ``folder`` in storage (a stored print's folder has one level below)."""
    directories, files = default_storage.listdir(folder)
    found = [f"{folder}/{name}" for name in files]
    for directory in directories:
        found += _files(f"{folder}/{directory}")
    return found


def _newest(files: list[str]) -> datetime:
    return max(default_storage.get_modified_time(path) for path in files)


def _is_current(where: str, current: dict[str, str]) -> bool:
    """Whether print ``where`` was named at its council's current data version (its ``done``
    names the version and, since versions became per council, the council)."""
    if not default_storage.exists(f"{where}/done"):
        return False
    with default_storage.open(f"{where}/done", "rb") as file:
        lines = [*file.read().decode().split("\n"), "", "", ""]
    version, council = lines[2], lines[3]
    if council not in current:
        current[council] = str(data_version(int(council) if council else None))
    return version == current[council]


def _remove_empty_folders(folder: str) -> None:
    """Local files only: the emptied folders too (an object store has no folders)."""
    if not isinstance(default_storage, FileSystemStorage):
        return
    root = default_storage.path(folder)
    folders = sorted((p for p in Path(root).rglob("*") if p.is_dir()), key=lambda p: -len(p.parts))
    for path in folders:
        if not any(path.iterdir()):
            path.rmdir()


def prune_prints(older_than: timedelta) -> Pruned:
    """Delete the stored prints not of the current data version whose newest file is older
    than ``older_than``, and the lapsed "asked for" rows."""
    cutoff = timezone.now() - older_than
    current: dict[str, str] = {}  # each council's version, read once
    pruned = Pruned(deleted=[], kept=0, lapsed_rows=0)
    for folder in PRINTERS:
        try:  # an object store has no folders to ask about: the listing is empty
            names, _ = default_storage.listdir(folder)
        except FileNotFoundError:
            continue
        for name in names:
            where = f"{folder}/{name}"
            files = _files(where)
            if not files:
                continue
            if _is_current(where, current):
                pruned.kept += 1
            elif _newest(files) < cutoff:
                for path in files:
                    default_storage.delete(path)
                pruned.deleted.append(where)
        _remove_empty_folders(folder)
    lapsed = PrintSlot.objects.filter(key__startswith="asked:", held_until__lt=timezone.now())
    pruned.lapsed_rows, _ = lapsed.delete()
    return pruned
