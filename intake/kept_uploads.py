"""Upload, preview, confirm: one way of keeping an upload between its preview and its confirm,
for every kind of upload (the figures import, the set-up workbook, and whatever comes next).

The file is read and checked once, when it is uploaded, and its plan (what confirming would
add and change, and the problems found) kept with it as JSON; the preview shows the kept plan
and never reads the file again (only "read it again", ``replan``, does). The confirm is a
compare-and-set in one transaction: refused when the upload was already confirmed or
cancelled, when the plan is not the one previewed (its digest), or when what is stored
changed since the plan was made (each kind's ``apply`` compares what it plans over); then
everything is written, or nothing.

A kind supplies only what differs: how to read and plan a file, how to keep a plan as JSON
and load it back (its ``kept_plan`` module), and how to apply a plan (the compare-and-set of
what is stored); see ``UploadKind``. A plan's rows each add something or change it
(``PlannedRows``), and the preview lists the two apart.
"""

from abc import ABC, abstractmethod
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, ClassVar, Protocol

from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from indicators.models import KeptUpload
from indicators.periods import Month
from indicators.roles import ADMINISTRATOR, has_role
from intake.figure_import.sheets import MAX_UPLOAD_BYTES, UploadRefused

#: A plan as kept in ``KeptUpload.plan``.
Kept = dict[str, Any]
#: Who uploads or confirms: the page's signed-in user (``uploader``), or whoever a command
#: names (or nobody).
Uploader = User | None


class ConfirmRefused(Exception):
    """A confirm that wrote nothing; the message says why, in the user's words."""


class Plan(Protocol):
    """What every kind's plan offers: its problems and a digest of what confirming would
    write (the preview posts it back, so a confirm applies exactly what was previewed)."""

    @property
    def problems(self) -> Sequence[object]: ...

    def digest(self) -> str: ...


class PlanKeeper[PlanT](Protocol):
    """How a kind keeps its plan as JSON and loads it back: its ``kept_plan`` module."""

    def dump(self, plan: PlanT, /) -> Kept:
        """The plan as JSON, with what it was made over, for ``load``."""

    def load(self, kept: Kept, /) -> PlanT:
        """The plan ``dump`` kept."""


#: What a plan does with a row of its upload: add something not stored yet, or change it.
ADD = "add"
CHANGE = "change"


class PlannedRow(Protocol):
    """A row of an upload as its plan would write it."""

    @property
    def action(self) -> str:
        """``ADD`` or ``CHANGE``."""


class PlannedRows[RowT: PlannedRow]:
    """A plan's rows, each an addition or a change, which its preview and its command list
    apart. A plan says which rows it holds (``planned_rows``)."""

    def planned_rows(self) -> Sequence[RowT]:
        raise NotImplementedError

    @property
    def added(self) -> list[RowT]:
        return [row for row in self.planned_rows() if row.action == ADD]

    @property
    def changed(self) -> list[RowT]:
        return [row for row in self.planned_rows() if row.action == CHANGE]


class UploadKind[UploadT: KeptUpload, PlanT: Plan, ChoicesT, ResultT](ABC):
    """One kind of upload. A subclass names its model, its words and its ``kept_plan``, and
    supplies ``read``, ``apply`` and ``summary``; the rest (keep, preview, read again, cancel,
    confirm) is the same for every kind."""

    model: type[UploadT]
    #: How the kind's plan is kept with its upload and loaded back.
    kept_plan: PlanKeeper[PlanT]
    #: The kind's own refusal (a ConfirmRefused), so callers can catch just theirs.
    refused: type[ConfirmRefused]
    #: The confirm of an upload already confirmed or cancelled.
    already_done: ClassVar[str]
    #: The confirm of a plan that is not the one previewed (it was read again since).
    not_the_preview: ClassVar[str]

    @abstractmethod
    def read(self, data: bytes, filename: str) -> PlanT:
        """Read and check the file and plan it against what is stored. Raises
        ``UploadRefused`` for a file that cannot be read."""

    @abstractmethod
    def apply(self, plan: PlanT, user: Uploader, choices: ChoicesT) -> ResultT:
        """Write the plan, in the caller's transaction, refusing (``refused``) when what it
        was made over changed since or the user's choices do not allow it."""

    @abstractmethod
    def summary(self, plan: PlanT, result: ResultT) -> str:
        """What the confirm did, as the list of recent uploads shows it."""

    # The same for every kind -----------------------------------------------------------------
    def keep(self, data: bytes, filename: str, user: Uploader) -> UploadT:
        """Read the file once and keep it with its plan. Raises ``UploadRefused`` for a file
        that cannot be read, before anything is kept."""
        plan = self.read(data, filename)
        return self.model._default_manager.create(
            filename=filename[:255], content=data, uploaded_by=user, plan=self.kept_plan.dump(plan)
        )

    def preview(self, upload: UploadT) -> PlanT:
        """The upload's kept plan (no reading of the file). One kept before plans were kept
        with their uploads is read as it was then, at each preview."""
        if upload.plan is None:
            return self.read(bytes(upload.content), upload.filename)
        return self.kept_plan.load(upload.plan)

    def replan(self, upload: UploadT) -> PlanT:
        """Read the kept file again, against what is stored now, and keep the new plan (only
        while it is a preview: a confirm meanwhile keeps the plan it applied)."""
        content = self.model._default_manager.values_list("content", flat=True).get(pk=upload.pk)
        plan = self.read(bytes(content), upload.filename)
        upload.plan = self.kept_plan.dump(plan)
        previewed = self.model._default_manager.filter(pk=upload.pk, status=KeptUpload.PREVIEWED)
        previewed.update(plan=upload.plan)
        return plan

    def cancel(self, upload: UploadT) -> None:
        """Cancel a previewed upload (refused, with ``already_done``, once it is not)."""
        previewed = self.model._default_manager.filter(pk=upload.pk, status=KeptUpload.PREVIEWED)
        if not previewed.update(status=KeptUpload.CANCELLED):
            raise self.refused(self.already_done)

    @transaction.atomic
    def confirm(
        self, upload: UploadT, user: Uploader, *, digest: str, choices: ChoicesT
    ) -> tuple[PlanT, ResultT]:
        """Apply the previewed plan: all of it or nothing, and only once."""
        locked = self.model._default_manager.select_for_update().get(pk=upload.pk)
        if locked.status != KeptUpload.PREVIEWED:
            raise self.refused(self.already_done)
        plan = self.preview(locked)
        if plan.digest() != digest:
            raise self.refused(self.not_the_preview)
        result = self.apply(plan, user, choices)
        locked.status = KeptUpload.APPLIED
        locked.applied_at = timezone.now()
        locked.applied_by = user
        locked.summary = self.summary(plan, result)[:300]
        locked.save(update_fields=["status", "applied_at", "applied_by", "summary"])
        return plan, result


# The upload pages -------------------------------------------------------------------------
def uploader(request: HttpRequest) -> User:
    """The signed-in user of an upload page (each is for editors or administrators only)."""
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied
    return user


def may_decide(upload: KeptUpload, user: User) -> bool:
    """Whether ``user`` may confirm, cancel or re-read ``upload``: only whoever uploaded it,
    or an administrator (an upload whose uploader is unknown: administrators only). Another
    editor may look at its preview but not act on their colleague's file."""
    mine = upload.uploaded_by_id is not None and upload.uploaded_by_id == user.pk
    return mine or has_role(user, ADMINISTRATOR)


def uploaded_by_name(upload: KeptUpload) -> str:
    """Who uploaded it, as the pages name them."""
    user = upload.uploaded_by
    if user is None:
        return "someone whose account has since been removed"
    return user.get_full_name() or user.get_username()


def not_yours(request: HttpRequest, upload: KeptUpload, preview: str) -> HttpResponse | None:
    """The refusal (403) of an action on ``upload`` by someone who may not decide it, naming
    who may; None when the signed-in user may. Nothing is changed either way."""
    if may_decide(upload, uploader(request)):
        return None
    context = {"upload": upload, "uploaded_by": uploaded_by_name(upload), "preview": preview}
    return render(request, "kept_upload_not_yours.html", context, status=403)


# The upload form ------------------------------------------------------------------------------
class KeptFileForm(forms.Form):
    """A file to read, within the upload limit. A subclass gives the field its label and help,
    and ``too_big`` says what to do about a file over the limit."""

    too_big: ClassVar[str] = ""

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / 1024 / 1024:.1f} MB; the limit is "
                f"{MAX_UPLOAD_BYTES // 1024 // 1024} MB.{self.too_big}"
            )
        return upload

    def kept_for_preview(
        self, request: HttpRequest, kind: UploadKind[Any, Any, Any, Any], preview: str
    ) -> HttpResponse | None:
        """When the form is posted and valid, its file read and kept by ``kind`` and a
        redirect to the kept upload's ``preview`` page; otherwise None and the page shows the
        form again, with the reason for a file that cannot be read (nothing is kept)."""
        if request.method != "POST" or not self.is_valid():
            return None
        upload = self.cleaned_data["file"]
        data = upload.read(MAX_UPLOAD_BYTES + 1)
        try:
            kept = kind.keep(data, upload.name, uploader(request))
        except UploadRefused as refused:
            self.add_error("file", refused.message)
            return None
        return redirect(preview, pk=kept.pk)


# Values in a kept plan ------------------------------------------------------------------------
# The tags of a number and a month: no field of a plan has these names.
DECIMAL = "$decimal"
MONTH = "$month"


def to_json(value: object) -> Any:
    """A plan's value as JSON: numbers as exact decimal text, months as ISO months, lists and
    dicts of them; text (choices included) as plain text."""
    if isinstance(value, Decimal):
        return {DECIMAL: str(value)}
    if isinstance(value, Month):
        return {MONTH: value.iso}
    if isinstance(value, list | tuple):
        return [to_json(item) for item in value]
    if isinstance(value, dict):
        return {str(key): to_json(item) for key, item in value.items()}
    if isinstance(value, str):
        return str(value)
    return value


def from_json(value: Any) -> Any:
    """The value ``to_json`` kept (a tuple comes back as a list)."""
    if isinstance(value, list):
        return [from_json(item) for item in value]
    if isinstance(value, dict):
        if value.keys() == {DECIMAL}:
            return Decimal(value[DECIMAL])
        if value.keys() == {MONTH}:
            return Month.parse(value[MONTH])
        return {key: from_json(item) for key, item in value.items()}
    return value
