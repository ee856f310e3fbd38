"""The data side's pages: monthly entry grid, milestone updates, publishing and imports.
Every view here is for editors and administrators only."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from indicators.addresses import month_or_404
from indicators.models import ImportBatch, Priority, PublicationEvent
from indicators.periods import Month
from indicators.published import is_published, publications, published_months
from indicators.roles import editors
from indicators.scope import Scope, require_every_priority, require_priority, scope_of
from intake import import_task, milestones, month_end, publishing
from intake.entry_months import entry_months
from intake.figure_import import template
from intake.figure_import.plan import (
    ImportRefused,
    confirm_batch,
    figure_uploads,
    outside_scope,
    preview_batch,
)
from intake.grid import MonthEntryForm, entry_groups, fits_one_form
from intake.grid_save import (
    ConflictError,
    PublishedMeanwhile,
    form_after_conflict,
    save_changes,
)
from intake.kept_uploads import KeptFileForm, may_decide, not_yours, uploaded_by_name, uploader


def _month(period):
    month = month_or_404(period)
    if month > Month.current():
        raise Http404("Figures cannot be entered for a month that has not happened.")
    return month


def _priority(request):
    """The priority the grid is limited to (``?priority=3``), or None for all of them."""
    asked = request.GET.get("priority", "")
    if not asked:
        return None
    if not asked.isdigit() or len(asked) > 5:
        raise Http404("There is no such priority.")
    return get_object_or_404(Priority, number=int(asked))


@editors
def entry_index(request: HttpRequest) -> HttpResponse:
    """Choose a month: from the month picker (``entry_months``: months with figures or
    targets, and the next one to enter), or month end's two; the publishing history, newest
    first."""
    if request.GET.get("period"):
        return redirect("entry_month", period=_month(request.GET["period"]).iso)
    published = published_months()
    offered = entry_months(published)
    return render(
        request,
        "entry/index.html",
        {
            "month_end": [(m, m in published) for m in offered.month_end],
            "months": [(m, m in published) for m in offered.months],
            "next_to_enter": offered.next_to_enter,
            # Newest first; events at the same moment (a loader's) latest month first.
            "events": PublicationEvent.objects.select_related("user").order_by(
                "-at", "-period", "-id"
            )[:20],
        },
    )


def _saved_message(month, result, published):
    if not result.saved:
        if result.already:
            return f"Nothing new to save: your changes for {month.long_label} were already saved."
        return f"No changes to save for {month.long_label}."
    saved = f"Saved {result.saved} change{'s' if result.saved != 1 else ''} for {month.long_label}."
    if published:
        return (
            f"{saved} {month.long_label} is published: the changes are live now, marked as "
            "revised for councillors."
        )
    return f"{saved} {month.long_label} is a draft: viewers see it once it is published."


SAVED_AT_THE_SAME_TIME = (
    "Someone else saved figures for this month at the same moment: nothing was saved. Check "
    "the figures below and save again."
)


@editors
def entry_month(request: HttpRequest, period: str) -> HttpResponse:
    month = _month(period)
    priority = _priority(request)
    scope = scope_of(request.user)
    if priority is not None:
        require_priority(request.user, priority)
    published = is_published(month)
    # An editor limited to some priorities is given theirs only: the form has no field for
    # any other indicator, so nothing else can be posted.
    groups = entry_groups(month, priority, scope.priorities)
    entries = [entry for _, group in groups for entry in group]
    if priority is None and groups and not fits_one_form(len(entries)):
        # A grid too large to post at once (Django's DATA_UPLOAD_MAX_NUMBER_FIELDS) is
        # entered and saved a priority at a time, starting with the first.
        first = groups[0][0]
        return redirect(f"{reverse('entry_month', args=[month.iso])}?priority={first.number}")
    form = MonthEntryForm(request.POST or None, entries=entries, month=month, published=published)
    if request.method == "POST" and form.is_valid():
        assert request.user.is_authenticated  # @editors lets only signed-in editors in
        try:
            result = save_changes(month, form.changes(), request.user, published=published)
        except ConflictError as conflict:
            groups, form = form_after_conflict(
                form, conflict.conflicts, priority=priority, within=scope.priorities
            )
        except PublishedMeanwhile as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            form.add_error(None, error.messages[0])
        except IntegrityError:
            # A figure inserted by another writer that takes no lock (the admin).
            form.add_error(None, SAVED_AT_THE_SAME_TIME)
        else:
            messages.success(request, _saved_message(month, result, published))
            if request.POST.get("then") == "publish":
                return redirect("publish_month", period=month.iso)
            return redirect(request.get_full_path())
    acknowledgements = form.acknowledgements() if form.is_bound else {}
    rows = [
        (group_priority, [(entry, _bound_fields(form, entry, acknowledgements)) for entry in group])
        for group_priority, group in groups
    ]
    return render(
        request,
        "entry/month.html",
        {
            "month": month,
            "form": form,
            "groups": rows,
            "is_published": published,
            "previous_month": month.previous(),
            "priority": priority,
            "priorities": _priorities(scope),
            "scope": scope,
        },
    )


def _priorities(scope: Scope) -> QuerySet[Priority]:
    """The priorities a page offers to move between: those the editor may change."""
    if scope.priorities is None:
        return Priority.objects.all()
    return Priority.objects.filter(pk__in=scope.priorities)


def _bound_fields(form, entry, acknowledgements):
    fields = {name: form[f"{name}_{entry.key}"] for name in (
        "value", "numerator", "denominator", "status", "commentary", "seen", "seen_commentary",
        "acknowledge", "reason",
    )}  # fmt: skip
    fields["warnings"] = form.warnings.get(entry.indicator.id, [])
    fields["token"] = acknowledgements.get(entry.indicator.id, "")
    return fields


@editors
def milestones_month(request: HttpRequest, period: str, number: int) -> HttpResponse:
    month = _month(period)
    priority = get_object_or_404(Priority, number=number)
    require_priority(request.user, priority)
    form = milestones.MilestoneUpdatesForm(request.POST or None, priority=priority, month=month)
    if request.method == "POST" and form.is_valid():
        assert request.user.is_authenticated  # @editors lets only signed-in editors in
        try:
            saved = milestones.save_milestone_updates(form, request.user)
        except milestones.MilestoneConflictError as conflict:
            form = milestones.form_after_conflict(form, conflict.conflicts)
        else:
            messages.success(
                request,
                f"Saved {saved} update{'s' if saved != 1 else ''} for {month.long_label}."
                if saved
                else f"No changes to save: the milestone updates for {month.long_label} are as "
                "you left them.",
            )
            return redirect(reverse("milestones_month", args=[month.iso, priority.number]))
    return render(
        request,
        "entry/milestones.html",
        {
            "month": month,
            "priority": priority,
            "form": form,
            "priorities": _priorities(scope_of(request.user)),
        },
    )


@editors
def my_indicators(request: HttpRequest, period: str) -> HttpResponse:
    """The indicators the signed-in editor owns: what is still to enter for the month, each
    linked to its row in the grid, then what is entered."""
    month = _month(period)
    assert request.user.pk is not None  # @editors lets only signed-in editors in
    owned = month_end.owned_by(month, request.user.pk)
    rows = [(item, item.grid_link(month)) for item in owned]
    return render(
        request,
        "entry/mine.html",
        {
            "month": month,
            "missing": [(item, link) for item, link in rows if item.missing],
            "entered": [(item, link) for item, link in rows if not item.missing],
        },
    )


@editors
def publish_month(request: HttpRequest, period: str) -> HttpResponse:
    """What the month lacks, then publish it with a confirmation (or unpublish it)."""
    month = _month(period)
    error = ""
    scope = scope_of(request.user)
    if request.method == "POST":
        assert request.user.is_authenticated  # @editors lets only signed-in editors in
        require_every_priority(request.user, "publish or unpublish a month")
        if request.POST.get("action") == "unpublish":
            try:
                publishing.unpublish(month, request.user, request.POST.get("reason", ""))
            except ValidationError as refused:
                messages.error(request, refused.messages[0])
            else:
                messages.success(
                    request, f"{month.long_label} is unpublished: viewers no longer see it."
                )
            return redirect("publish_month", period=month.iso)
        if request.POST.get("confirm") == "yes":
            try:
                publishing.publish(month, request.user)
            except ValidationError as refused:
                error = refused.messages[0]
            else:
                messages.success(
                    request, f"{month.long_label} is published: viewers can now see it."
                )
                return redirect("entry_month", period=month.iso)
        else:
            error = f"Tick the box to confirm you have seen what {month.long_label} still lacks."
    return render(
        request,
        "entry/publish.html",
        {
            "month": month,
            "checklist": publishing.checklist(month),
            "publication": publications().get(month),
            "error": error,
            "scope": scope,
        },
    )


class UploadForm(KeptFileForm):
    file = forms.FileField(
        label="Spreadsheet (CSV or Excel .xlsx)",
        help_text="Either laid out like the report (ID, Description, one column per month, "
        "Target) or one row per figure (reference, month, value, and optionally numerator, "
        "denominator, status, commentary).",
    )
    too_big = " Split it into smaller files."


@editors
def import_upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if preview := form.kept_for_preview(request, figure_uploads, "import_preview"):
        return preview
    offered = entry_months(published_months())
    return render(
        request,
        "entry/import_upload.html",
        {
            "form": form,
            "recent": ImportBatch.objects.select_related("uploaded_by").defer("content", "plan")[
                :10
            ],
            "template_months": offered.months,
            "next_to_enter": offered.next_to_enter,
        },
    )


@editors
def import_template(request: HttpRequest) -> HttpResponse:
    """The figures template for a month (``?month=2023-10&format=xlsx``), to fill in and
    import as it is."""
    month = _month(request.GET.get("month", ""))
    file_format = request.GET.get("format", template.XLSX)
    if file_format not in template.FORMATS:
        raise Http404("There is no such template: choose CSV or Excel (.xlsx).")
    # An editor limited to some priorities gets their indicators only.
    within = scope_of(request.user).priorities
    response = HttpResponse(
        template.template_file(month, file_format, within),
        content_type=template.CONTENT_TYPES[file_format],
    )
    name = template.file_name(month, file_format)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@editors
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(
        ImportBatch.objects.defer("content").select_related("uploaded_by"), pk=pk
    )
    if request.method == "POST":
        return _import_action(request, batch)
    if waiting := import_task.progress(request, batch):
        return waiting
    plan = preview_batch(batch) if batch.status == ImportBatch.Status.PREVIEWED else None
    assert request.user.is_authenticated  # @editors lets only signed-in editors in
    outside = outside_scope(plan, request.user) if plan else ""
    context = {
        "batch": batch,
        "plan": plan,
        "outside_scope": outside,
        "may_decide": may_decide(batch, request.user),
        "uploaded_by": uploaded_by_name(batch),
    }
    return render(request, "entry/import_preview.html", context)


def _import_action(request: HttpRequest, batch: ImportBatch) -> HttpResponse:
    if refused := not_yours(request, batch, reverse("import_preview", args=[batch.pk])):
        return refused
    action = request.POST.get("action")
    if action == "cancel":
        try:
            figure_uploads.cancel(batch)
        except ImportRefused as refused:
            messages.error(request, str(refused))
            return redirect("import_preview", pk=batch.pk)
        messages.success(request, f"Cancelled the import of {batch.filename}: nothing was saved.")
        return redirect("import_upload")
    if action == "replan" and batch.status == ImportBatch.Status.PREVIEWED:
        figure_uploads.replan(batch)
        messages.success(request, f"Read {batch.filename} again against the figures stored now.")
        return redirect("import_preview", pk=batch.pk)
    if import_task.runs_as_task(batch):
        return import_task.enqueue(request, batch)
    try:
        plan, result = confirm_batch(
            batch,
            uploader(request),
            digest=request.POST.get("digest", ""),
            accept_valid_rows=request.POST.get("accept_valid_rows") == "yes",
            acknowledged=request.POST.getlist("acknowledge"),
            revision_reason=request.POST.get("revision_reason", ""),
        )
    except ImportRefused as refused:
        messages.error(request, str(refused))
        return redirect("import_preview", pk=batch.pk)
    messages.success(request, result.message(batch.filename, plan.unchanged))
    return redirect("entry_index")
