"""A large figures import applied by a task (issue 24, part 2): confirming a file of more
than ``SCORECARD_IMPORT_TASK_ROWS`` figures and comments (2,000 by default) enqueues
``apply_import`` for the task worker, and the request returns at once to a page that says so
and refreshes itself (202) until the import is done; then it is the result, as a smaller
import's confirm gives it: what was written, or why nothing was (row, column and reason).

The task confirms the kept upload exactly as the page does (``confirm_batch``: one
transaction, all of it or nothing, refused when anything changed since the preview), so a
worker stopped half-way leaves nothing half-saved. With the immediate task backend (the
one-process demonstration) the import is applied in the request, as before, whatever its size.

A worker killed mid-import leaves its task marked as running (``manage.py task_worker``
puts it back in the queue when that worker starts again): after ``LOST_AFTER`` the page says
the import stopped (its transaction was rolled back) and it may be confirmed again.

Which task is the user's is kept in their session, by upload: only the person who confirmed
waits on its page; anyone else sees the upload's preview, and a second confirm of an upload
already imported is refused as always.
"""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.tasks import TaskResult, TaskResultStatus, task
from django.tasks.backends.immediate import ImmediateBackend
from django.tasks.exceptions import TaskResultDoesNotExist
from django.utils import timezone

from indicators import tenancy
from indicators.models import ImportBatch
from intake.figure_import.plan import ImportRefused, confirm_batch
from intake.kept_uploads import uploader

WAITING = {TaskResultStatus.READY, TaskResultStatus.RUNNING}
#: How long an import may be running before it is taken as lost with its worker: 10,000
#: figures are applied in seconds. django-tasks-db leaves the task of a killed worker marked
#: as running; the user is told it stopped and may confirm again.
LOST_AFTER = timedelta(minutes=30)
STOPPED = (
    "The import stopped with an error before it finished, so nothing was saved. Try again; "
    "if it stops again, tell your administrator."
)


def planned_rows(batch: ImportBatch) -> int:
    """How many figures and comments the upload's kept plan would write (0 for an upload
    kept before plans were kept with it: it is applied in the request)."""
    plan = batch.plan or {}
    return len(plan.get("changes", ())) + len(plan.get("commentary", ()))


def runs_as_task(batch: ImportBatch) -> bool:
    """True when confirming ``batch`` is left to the task worker: over the size limit, and a
    task backend that does not run tasks in the request."""
    over = planned_rows(batch) > settings.SCORECARD_IMPORT_TASK_ROWS
    return over and not isinstance(apply_import.get_backend(), ImmediateBackend)


@task
def apply_import(
    batch_id: int,
    user_id: int,
    digest: str,
    accept_valid_rows: bool,
    acknowledged: list[str],
    revision_reason: str,
    council_id: int | None = None,
) -> dict[str, str]:
    """Confirm the upload as its page would, in the council it was uploaded to;
    ``{"message": ...}`` saying what was written, or ``{"refused": ...}`` saying why nothing
    was."""
    with tenancy.council_by_id(council_id):
        batch = ImportBatch.objects.defer("content").get(pk=batch_id)
        user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
        if user is None:  # removed or deactivated since: nobody may import in their name
            return {"refused": "Nothing was imported: the account that confirmed it is not active."}
        try:
            plan, result = confirm_batch(
                batch,
                user,
                digest=digest,
                accept_valid_rows=accept_valid_rows,
                acknowledged=acknowledged,
                revision_reason=revision_reason,
            )
        except ImportRefused as refused:
            return {"refused": str(refused)}
        return {"message": result.message(batch.filename, plan.unchanged)}


def _lost(result: TaskResult[Any, Any]) -> bool:
    """A task still running ``LOST_AFTER`` after it started was lost with its worker (killed
    mid-import: its transaction was rolled back, so nothing was saved)."""
    started = result.started_at
    running = result.status == TaskResultStatus.RUNNING
    return running and started is not None and timezone.now() - started > LOST_AFTER


def _session_key(batch: ImportBatch) -> str:
    return f"scorecard-import-task-{batch.pk}"


def enqueue(request: HttpRequest, batch: ImportBatch) -> HttpResponse:
    """Leave the confirm posted on ``batch``'s preview to the task worker (once: a second
    post while it waits enqueues nothing more), and answer with its progress page."""
    if _session_key(batch) not in request.session:
        result = apply_import.enqueue(
            batch.pk,
            uploader(request).pk,
            request.POST.get("digest", ""),
            request.POST.get("accept_valid_rows") == "yes",
            request.POST.getlist("acknowledge"),
            request.POST.get("revision_reason", ""),
            tenancy.active_council_id(),
        )
        request.session[_session_key(batch)] = result.id
    return redirect("import_preview", pk=batch.pk)


def progress(request: HttpRequest, batch: ImportBatch) -> HttpResponse | None:
    """While the user's task for ``batch`` waits or runs, its progress page (202, refreshing
    itself); once it has finished, the result, as the confirm in the request would give it;
    None when the user has no task for ``batch`` (the page shows the upload as usual)."""
    key = _session_key(batch)
    result_id = request.session.get(key)
    if result_id is None:
        return None
    try:
        result = apply_import.get_result(result_id)
    except TaskResultDoesNotExist:  # pruned, or kept by another backend
        del request.session[key]
        return None
    if result.status in WAITING and not _lost(result):
        context = {"batch": batch, "rows": planned_rows(batch)}
        return render(request, "entry/import_progress.html", context, status=202)
    del request.session[key]
    outcome: dict[str, Any] = (
        result.return_value if result.status == TaskResultStatus.SUCCESSFUL else {}
    )
    if "message" in outcome:
        messages.success(request, outcome["message"])
        return redirect("entry_index")
    messages.error(request, outcome.get("refused", STOPPED))
    return redirect("import_preview", pk=batch.pk)
