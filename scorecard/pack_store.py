"""Committee packs printed by a task (issue 24, part 2) and kept in Django's storage.

A pack is named by what it shows: its month, its options (committee, meeting date), whether
draft figures are shown and the data version. The first request for a name enqueues
``print_pack``; the task worker (``manage.py task_worker``, with ``TASK_BACKEND=database``)
prints it and saves it under ``packs/<name>/`` in ``default_storage`` (local files under
MEDIA_ROOT by default), so a pack asked for again, on any app server, is served from there
without printing. With the immediate backend the task runs inside the request, as the pack
did before.

Storage is never given a public address: the pack view serves the file after deciding what
the user may see, and the name is worked out from that decision (a viewer's pack is named
apart from an editor's), so no one is served a pack that shows more than their page does.

In ``packs/<name>/`` the task writes the PDF, then ``done`` (the stored file's name and the
name to download it as) once the PDF is whole; or ``failed`` (the reason) when it could not
print. The view reads ``done`` first, so it never serves a half-written file.
"""

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.tasks import TaskResultStatus, task
from django.tasks.backends.immediate import ImmediateBackend

from indicators import tenancy
from indicators.periods import Month
from scorecard.pack import PackOptions, pack_document
from scorecard.pdf import PdfUnavailable

logger = logging.getLogger(__name__)

FOLDER = "packs"
#: Seconds a pack's task counts as asked for, so a page refreshing while it waits does not
#: enqueue it again; after that (a lost task, a stopped worker's backlog cleared) it is asked
#: for once more.
ASKED_FOR = 10 * 60


def pack_name(month: Month, options: PackOptions, version: object) -> str:
    """The stored pack's name: a digest of what it shows, at data version ``version``."""
    meeting = options.meeting_date.isoformat() if options.meeting_date else ""
    # The council first: councils share the storage, never a pack.
    what = "\n".join(
        [
            str(tenancy.active_council_id()),
            month.iso,
            options.committee,
            meeting,
            str(options.published_only),
            str(version),
        ]
    )
    return hashlib.sha256(what.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class StoredPack:
    """Where a pack is: ``path`` (in storage) and ``filename`` once printed; ``failure``
    (the reason) when it could not be; neither while it is still to print."""

    path: str | None = None
    filename: str | None = None
    failure: str | None = None


def _read(path):
    with default_storage.open(path, "rb") as file:
        return file.read().decode()


def stored(name: str) -> StoredPack:
    """What storage holds of pack ``name``."""
    folder = f"{FOLDER}/{name}"
    if default_storage.exists(f"{folder}/done"):
        saved, _, filename = _read(f"{folder}/done").partition("\n")
        if saved and filename:
            return StoredPack(path=f"{folder}/pdf/{saved}", filename=filename)
    if default_storage.exists(f"{folder}/failed"):
        return StoredPack(failure=_read(f"{folder}/failed") or "The pack could not be printed.")
    return StoredPack()


def forget_failure(name: str) -> None:
    """Clear pack ``name``'s failure, once it has been shown: the next request tries again."""
    default_storage.delete(f"{FOLDER}/{name}/failed")
    cache.delete(f"scorecard:pack-asked:{name}")


def prints_in_request() -> bool:
    """True when the task backend runs the printing inside the request that asks for it (the
    immediate backend): the request then holds a print slot (``scorecard.print_slots``)."""
    return isinstance(print_pack.get_backend(), ImmediateBackend)


def ask_for(name: str, month: Month, options: PackOptions) -> bool:
    """Enqueue the printing of pack ``name`` unless it was asked for in the last
    ``ASKED_FOR`` seconds. False when a task run there and then (the immediate backend)
    failed with an unexpected error (it is logged): the pack may be asked for again."""
    if not cache.add(f"scorecard:pack-asked:{name}", True, ASKED_FOR):
        return True
    meeting = options.meeting_date.isoformat() if options.meeting_date else None
    result = print_pack.enqueue(
        tenancy.active_council_id(),
        name,
        month.iso,
        options.committee,
        meeting,
        options.published_only,
    )
    if result.status == TaskResultStatus.FAILED:
        cache.delete(f"scorecard:pack-asked:{name}")
        return False
    return True


@task
def print_pack(
    council_id: int | None,
    name: str,
    month: str,
    committee: str,
    meeting_date: str | None,
    published_only: bool,
) -> str:
    """Print council ``council_id``'s pack and keep it in storage as ``name``; what became of
    it ("printed", "stored already" or "failed")."""
    with tenancy.council_by_id(council_id):
        return _print(name, month, committee, meeting_date, published_only)


def _print(
    name: str, month: str, committee: str, meeting_date: str | None, published_only: bool
) -> str:
    if stored(name).path:
        return "stored already"
    options = PackOptions(
        committee=committee,
        meeting_date=dt.date.fromisoformat(meeting_date) if meeting_date else None,
        published_only=published_only,
    )
    chosen = Month.parse(month)
    folder = f"{FOLDER}/{name}"
    try:
        pdf, draft_months = pack_document(chosen, options)
    except PdfUnavailable as error:
        logger.warning("Pack %s for %s not printed: %s", name, chosen.iso, error)
        default_storage.delete(f"{folder}/failed")
        default_storage.save(f"{folder}/failed", ContentFile(str(error).encode()))
        return "failed"
    filename = f"scorecard-pack-{chosen.iso}{'-DRAFT' if draft_months else ''}.pdf"
    saved = default_storage.save(f"{folder}/pdf/{filename}", ContentFile(pdf))
    default_storage.delete(f"{folder}/failed")
    default_storage.delete(f"{folder}/done")
    done = f"{saved.rsplit('/', 1)[-1]}\n{filename}"
    default_storage.save(f"{folder}/done", ContentFile(done.encode()))
    return "printed"
