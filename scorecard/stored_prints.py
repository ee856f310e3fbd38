"""PDFs printed by a task (issue 24, part 2) and kept in Django's storage: the committee pack
(``scorecard.pack_store``) and the quarterly report (``scorecard.quarterly_store``), each in
its own folder of ``default_storage`` (``PRINTERS``).

A print is named by a digest of what it shows, the data version among it (``print_name``).
The first request for a name enqueues ``print_stored``; the task worker (``manage.py
task_worker``, with ``TASK_BACKEND=database``) prints it and saves it under
``<folder>/<name>/``, so a print asked for again, on any app server, is served from there
without printing. With the immediate backend the task runs inside the request, in a print
slot (``scorecard.print_slots``), as before.

Storage is never given a public address: the views serve the file after deciding what the
user may see, and the name is worked out from that decision (a viewer's print is named apart
from an editor's), so no one is served a PDF that shows more than their page does.

In ``<folder>/<name>/`` the task writes the PDF under ``pdf/``, then ``done`` (the stored
file's name, the name to download it as and the data version it was named at) once the PDF
is whole; or ``failed`` (the
reason) when it could not print. ``stored`` reads ``done`` first, so a half-written file is
never served.

A print is asked for once: a row of the printer's table (``PrintSlot``, key ``asked:<folder>:
<name>``, unique) is inserted before the task is enqueued, and an insert the database refuses
means it was asked for already, by any process on any server (decision 0013). The task deletes
the row once the print is stored (or has failed); a row left by a lost task lapses after
``ASKED_FOR`` seconds, so a print lost with a stopped worker is asked for again.
"""

import hashlib
import logging
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.tasks import TaskResultStatus, task
from django.tasks.backends.immediate import ImmediateBackend
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.module_loading import import_string

from indicators import tenancy
from scorecard.cache import request_version
from scorecard.models import PrintSlot
from scorecard.pdf import PdfUnavailable
from scorecard.print_slots import PrinterBusy, busy_page, print_slot

logger = logging.getLogger(__name__)

#: Each folder of storage this module owns, and the function that prints its PDFs: given the
#: arguments its ``ask_for`` was given, it returns (the PDF's bytes, the name to download it
#: as), or raises ``PdfUnavailable``. Nothing outside these folders is written or pruned here.
PRINTERS = {
    "packs": "scorecard.pack_store.print_document",
    "quarterly": "scorecard.quarterly_store.print_document",
}
#: Seconds a print counts as asked for, so a page refreshing while it waits does not enqueue
#: it again; after that (a lost task, a stopped worker's backlog cleared) it is asked for once
#: more.
ASKED_FOR = 10 * 60

Printer = Callable[[Mapping[str, Any]], tuple[bytes, str]]


def print_name(*parts: object) -> str:
    """A stored print's name: a digest of what it shows (the data version among ``parts``),
    the council in force first: councils share the storage, never a print."""
    what = [f"council {tenancy.active_council_id()}", *map(str, parts)]
    return hashlib.sha256("\n".join(what).encode()).hexdigest()[:32]


@dataclass(frozen=True)
class StoredPrint:
    """Where a print is: ``path`` (in storage) and ``filename`` once printed; ``failure``
    (the reason) when it could not be; neither while it is still to print."""

    path: str | None = None
    filename: str | None = None
    failure: str | None = None


def _read(path: str) -> str:
    with default_storage.open(path, "rb") as file:
        return file.read().decode()


def stored(folder: str, name: str) -> StoredPrint:
    """What storage holds of print ``name`` in ``folder``."""
    where = f"{folder}/{name}"
    if default_storage.exists(f"{where}/done"):
        saved, filename, *_ = [*_read(f"{where}/done").split("\n"), ""]
        if saved and filename:
            return StoredPrint(path=f"{where}/pdf/{saved}", filename=filename)
    if default_storage.exists(f"{where}/failed"):
        return StoredPrint(failure=_read(f"{where}/failed") or "The PDF could not be printed.")
    return StoredPrint()


def _asked_key(folder: str, name: str) -> str:
    return f"asked:{folder}:{name}"


def forget_failure(folder: str, name: str) -> None:
    """Clear a print's failure, once it has been shown: the next request tries again."""
    default_storage.delete(f"{folder}/{name}/failed")
    PrintSlot.objects.filter(key=_asked_key(folder, name)).delete()


def prints_in_request() -> bool:
    """True when the task backend runs the printing inside the request that asks for it (the
    immediate backend): the request then holds a print slot (``scorecard.print_slots``)."""
    return isinstance(print_stored.get_backend(), ImmediateBackend)


def first_to_ask(folder: str, name: str) -> bool:
    """Mark print ``name`` as asked for; False when it already was, in the last ``ASKED_FOR``
    seconds, by any process (the database refuses a second row with the key)."""
    key, now, token = _asked_key(folder, name), timezone.now(), uuid.uuid4().hex
    PrintSlot.objects.filter(key=key, held_until__lt=now).delete()
    held_until = now + timedelta(seconds=ASKED_FOR)
    slot = PrintSlot(key=key, token=token, held_until=held_until)
    PrintSlot.objects.bulk_create([slot], ignore_conflicts=True)
    return PrintSlot.objects.filter(key=key, token=token).exists()


def ask_for(folder: str, name: str, arguments: Mapping[str, Any], version: int) -> bool:
    """Enqueue the printing of ``name`` (named at data version ``version``) unless it was
    asked for in the last ``ASKED_FOR`` seconds. False when a task run there and then (the
    immediate backend) failed with an unexpected error (it is logged): the print may be
    asked for again."""
    if not first_to_ask(folder, name):
        return True
    # The task carries the council: the worker prints in that council's scope.
    council = {"council_id": tenancy.active_council_id()}
    result = print_stored.enqueue(folder, name, {**arguments, **council}, version)
    if result.status == TaskResultStatus.FAILED:
        PrintSlot.objects.filter(key=_asked_key(folder, name)).delete()
        return False
    return True


@task
def print_stored(folder: str, name: str, arguments: dict[str, Any], version: int = 0) -> str:
    """Print ``name`` with ``folder``'s printer and keep it in storage, noting the data
    version it was named at (for ``prune_prints``); what became of it ("printed", "stored
    already" or "failed")."""
    if stored(folder, name).path:
        return "stored already"
    given = dict(arguments)
    with tenancy.council_by_id(given.pop("council_id", None)):
        return _print(folder, name, given, version)


def _print(folder: str, name: str, arguments: dict[str, Any], version: int) -> str:
    printer: Printer = import_string(PRINTERS[folder])
    where = f"{folder}/{name}"
    try:
        pdf, filename = printer(arguments)
    except PdfUnavailable as error:
        logger.warning("%s/%s not printed: %s", folder, name, error)
        default_storage.delete(f"{where}/failed")
        default_storage.save(f"{where}/failed", ContentFile(str(error).encode()))
        PrintSlot.objects.filter(key=_asked_key(folder, name)).delete()
        return "failed"
    saved = default_storage.save(f"{where}/pdf/{filename}", ContentFile(pdf))
    default_storage.delete(f"{where}/failed")
    default_storage.delete(f"{where}/done")
    # The version is the council's (each council's moves on its own): prune_prints compares
    # it with that council's current one.
    council = tenancy.active_council_id() or ""
    done = f"{saved.rsplit('/', 1)[-1]}\n{filename}\n{version}\n{council}"
    default_storage.save(f"{where}/done", ContentFile(done.encode()))
    # Stored: no longer asked for (its answer is in storage now).
    PrintSlot.objects.filter(key=_asked_key(folder, name)).delete()
    return "printed"


def _ask(request: HttpRequest, folder: str, name: str, arguments: Any) -> StoredPrint:
    """Print ``name`` asked for: printed there and then, in a print slot, with the immediate
    task backend; enqueued for the task worker with the database backend. What is stored."""
    version = request_version(request).number
    if prints_in_request():
        with print_slot(request.user):
            printed = ask_for(folder, name, arguments, version)
        if not printed:
            return StoredPrint(failure="The PDF could not be printed: try again.")
    else:
        ask_for(folder, name, arguments, version)
    return stored(folder, name)


@dataclass(frozen=True)
class PrintPages:
    """How a view answers for one kind of print: the word for it on the busy page, its
    failure page and its progress page (202, refreshing itself), each given ``context``."""

    what: str
    failed: str
    progress: str


def served_print(
    request: HttpRequest,
    pages: PrintPages,
    folder: str,
    name: str,
    arguments: Mapping[str, Any],
    context: dict[str, object],
) -> HttpResponse:
    """The download of print ``name`` when it is stored; otherwise it is asked for and the
    answer is the download (printed in the request), its progress page, the page saying why
    it could not be printed (shown once: asked again, it is printed again) or the busy page."""
    found = stored(folder, name)
    if not (found.path or found.failure):
        try:
            found = _ask(request, folder, name, arguments)
        except PrinterBusy as busy:
            return busy_page(request, busy, pages.what, **context)
    if found.failure:
        forget_failure(folder, name)
        return render(request, pages.failed, {**context, "reason": found.failure}, status=503)
    if found.path and found.filename:
        with default_storage.open(found.path, "rb") as pdf:
            response = HttpResponse(pdf.read(), content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(True, found.filename)
        return response
    return render(request, pages.progress, context, status=202)
