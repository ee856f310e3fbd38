"""The data side's pages: monthly entry grid, milestone updates, publishing and imports.
Every view here is for editors and administrators only."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from . import publishing
from .entry import ConflictError, MonthEntryForm, entry_groups, save_changes
from .imports.plan import ImportRefused, confirm_batch, plan_import, preview_batch
from .imports.sheets import MAX_UPLOAD_BYTES, UploadRefused
from .milestones import MilestoneUpdatesForm, save_milestone_updates
from .models import ImportBatch, Priority, PublicationEvent, Value
from .periods import Month
from .roles import editors


def _month(period):
    try:
        month = Month.parse(period)
    except ValueError:
        raise Http404("That is not a month in the form YYYY-MM.") from None
    if month > Month.current():
        raise Http404("Figures cannot be entered for a month that has not happened.")
    return month


@editors
def entry_index(request):
    """Choose a month: the months with figures, and the current month."""
    if request.GET.get("period"):
        return redirect("entry_month", period=request.GET["period"])
    months = sorted(set(Value.objects.months()) | {Month.current()}, reverse=True)
    published = publishing.published_months()
    return render(
        request,
        "entry/index.html",
        {
            "months": [(m, m in published) for m in months],
            "events": PublicationEvent.objects.select_related("user")[:20],
        },
    )


@editors
def entry_month(request, period):
    month = _month(period)
    groups = entry_groups(month)
    entries = [entry for _, group in groups for entry in group]
    form = MonthEntryForm(request.POST or None, entries=entries)
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        try:
            saved = save_changes(month, changes, request.user)
        except ConflictError as conflict:
            for item in conflict.conflicts:
                field = (
                    f"value_{item.indicator.id}"
                    if item.what == "figure"
                    else (f"commentary_{item.indicator.id}")
                )
                form.add_error(field, item.message)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"Saved {saved} change{'s' if saved != 1 else ''} for {month.long_label}."
                if saved
                else f"No changes to save for {month.long_label}.",
            )
            return redirect("entry_month", period=month.iso)
    rows = [
        (priority, [(entry, _bound_fields(form, entry)) for entry in group])
        for priority, group in groups
    ]
    return render(
        request,
        "entry/month.html",
        {
            "month": month,
            "form": form,
            "groups": rows,
            "is_published": publishing.is_published(month),
            "previous_month": month.previous(),
        },
    )


def _bound_fields(form, entry):
    key = entry.key
    return {
        name: form[f"{name}_{key}"]
        for name in (
            "value",
            "numerator",
            "denominator",
            "status",
            "commentary",
            "seen",
            "seen_commentary",
        )
    }


@editors
def milestones_month(request, period, number):
    month = _month(period)
    priority = get_object_or_404(Priority, number=number)
    form = MilestoneUpdatesForm(request.POST or None, priority=priority, month=month)
    if request.method == "POST" and form.is_valid():
        saved = save_milestone_updates(form, request.user)
        messages.success(request, f"Saved {saved} milestone updates for {month.long_label}.")
        return redirect(reverse("milestones_month", args=[month.iso, priority.number]))
    return render(
        request,
        "entry/milestones.html",
        {
            "month": month,
            "priority": priority,
            "form": form,
            "priorities": Priority.objects.all(),
        },
    )


@editors
def publish_month(request, period):
    month = _month(period)
    if request.method != "POST":
        return redirect("entry_month", period=month.iso)
    if request.POST.get("action") == "unpublish":
        try:
            publishing.unpublish(month, request.user, request.POST.get("reason", ""))
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request, f"{month.long_label} is unpublished: viewers no longer see it."
            )
    else:
        publishing.publish(month, request.user)
        messages.success(request, f"{month.long_label} is published: viewers can now see it.")
    return redirect("entry_month", period=month.iso)


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Spreadsheet (CSV or Excel .xlsx)",
        help_text="Either laid out like the report (ID, Description, one column per month, "
        "Target) or one row per figure (reference, month, value, and optionally numerator, "
        "denominator, status, commentary).",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / 1024 / 1024:.1f} MB; the limit is "
                f"{MAX_UPLOAD_BYTES // 1024 // 1024} MB. Split it into smaller files."
            )
        return upload


@editors
def import_upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read(MAX_UPLOAD_BYTES + 1)
        try:
            # Read once now, so a file that cannot be read is refused before it is kept.
            plan_import(data, upload.name)
        except UploadRefused as refused:
            form.add_error("file", refused.message)
        else:
            batch = ImportBatch.objects.create(
                filename=upload.name[:255], content=data, uploaded_by=request.user
            )
            return redirect("import_preview", pk=batch.pk)
    return render(
        request,
        "entry/import_upload.html",
        {
            "form": form,
            "recent": ImportBatch.objects.select_related("uploaded_by").defer("content")[:10],
        },
    )


@editors
def import_preview(request, pk):
    batch = get_object_or_404(ImportBatch, pk=pk)
    if request.method == "POST":
        if request.POST.get("action") == "cancel":
            batch.status = ImportBatch.Status.CANCELLED
            batch.save(update_fields=["status"])
            messages.success(
                request, f"Cancelled the import of {batch.filename}: nothing was saved."
            )
            return redirect("import_upload")
        try:
            plan, (added, changed, comments) = confirm_batch(
                batch,
                request.user,
                digest=request.POST.get("digest", ""),
                accept_valid_rows=request.POST.get("accept_valid_rows") == "yes",
            )
        except ImportRefused as refused:
            messages.error(request, str(refused))
            return redirect("import_preview", pk=batch.pk)
        messages.success(
            request,
            f"Imported {batch.filename}: {added} figures added, {changed} changed, "
            f"{plan.unchanged} unchanged, {comments} comments. The months stay draft until "
            "published.",
        )
        return redirect("entry_index")
    plan = preview_batch(batch) if batch.status == ImportBatch.Status.PREVIEWED else None
    return render(request, "entry/import_preview.html", {"batch": batch, "plan": plan})
