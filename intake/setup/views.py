"""The set-up pages, for administrators: download the template or the current set-up, upload
a workbook, see its preview and confirm it. Thin: the work is in planner.py, apply.py and
export.py, and the upload is kept between its preview and confirm by kept_uploads.py."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header

from indicators.models import SetupUpload
from indicators.roles import administrators
from intake.kept_uploads import KeptFileForm, may_decide, not_yours, uploaded_by_name, uploader
from intake.setup import layout
from intake.setup.apply import SetupRefused, setup_uploads
from intake.setup.export import setup_workbook
from intake.setup.steps import DFE_IMPORT_URL, setup_steps, unplaced_indicators

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SetupForm(KeptFileForm):
    file = forms.FileField(
        label="Set-up workbook (Excel .xlsx)",
        help_text="The set-up template filled in, or a set-up workbook downloaded from here.",
    )


@administrators
def setup_index(request: HttpRequest) -> HttpResponse:
    form = SetupForm(request.POST or None, request.FILES or None)
    if preview := form.kept_for_preview(request, setup_uploads, "setup_preview"):
        return preview
    recent = SetupUpload.objects.select_related("uploaded_by").defer("content", "plan")[:10]
    return render(
        request,
        "setup/index.html",
        {
            "form": form,
            "sheets": layout.SHEETS,
            "recent": recent,
            "steps": setup_steps(),
            "unplaced": unplaced_indicators(),
            "dfe_import": DFE_IMPORT_URL,
        },
    )


def _download(data, filename):
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@administrators
def setup_template(request: HttpRequest) -> HttpResponse:
    return _download(setup_workbook(blank=True), "scorecard-set-up-template.xlsx")


@administrators
def setup_current(request: HttpRequest) -> HttpResponse:
    return _download(setup_workbook(), "scorecard-set-up.xlsx")


@administrators
def setup_preview(request: HttpRequest, pk: int) -> HttpResponse:
    upload = get_object_or_404(SetupUpload.objects.select_related("uploaded_by"), pk=pk)
    if request.method == "POST":
        return _setup_action(request, upload)
    previewed = upload.status == SetupUpload.Status.PREVIEWED
    plan = setup_uploads.preview(upload) if previewed else None
    context = {
        "upload": upload,
        "plan": plan,
        "dfe_import": DFE_IMPORT_URL,
        "may_decide": may_decide(upload, uploader(request)),
        "uploaded_by": uploaded_by_name(upload),
    }
    return render(request, "setup/preview.html", context)


def _setup_action(request: HttpRequest, upload: SetupUpload) -> HttpResponse:
    # Only administrators reach these pages, and each may decide: checked all the same, as
    # for every kind of upload.
    if refused := not_yours(request, upload, reverse("setup_preview", args=[upload.pk])):
        return refused
    try:
        if request.POST.get("action") == "cancel":
            setup_uploads.cancel(upload)
            messages.success(request, f"Cancelled {upload.filename}: nothing was saved.")
            return redirect("setup")
        digest = request.POST.get("digest", "")
        plan, _ = setup_uploads.confirm(upload, uploader(request), digest=digest, choices=None)
    except SetupRefused as refused:
        messages.error(request, str(refused))
        if upload.status == SetupUpload.Status.PREVIEWED:
            # The message asks for a look at a new preview: one made against what is stored
            # now (there is no "read it again" button, as there is for figures).
            setup_uploads.replan(upload)
        return redirect("setup_preview", pk=upload.pk)
    messages.success(request, f"Set up from {upload.filename}: {plan.summary()}.")
    return redirect("dashboard")
