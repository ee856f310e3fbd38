"""The set-up pages, for administrators: download the template or the current set-up, upload
a workbook, see its preview and confirm it. Thin: the work is in planner.py, apply.py and
export.py."""

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header

from indicators.models import SetupUpload
from indicators.roles import administrators
from intake.figure_import.sheets import MAX_UPLOAD_BYTES, UploadRefused
from intake.setup import layout
from intake.setup.apply import SetupRefused, confirm_upload, preview_upload
from intake.setup.export import setup_workbook
from intake.setup.planner import plan_setup

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SetupForm(forms.Form):
    file = forms.FileField(
        label="Set-up workbook (Excel .xlsx)",
        help_text="The set-up template filled in, or a set-up workbook downloaded from here.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / 1024 / 1024:.1f} MB; the limit is "
                f"{MAX_UPLOAD_BYTES // 1024 // 1024} MB."
            )
        return upload


@administrators
def setup_index(request):
    form = SetupForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read(MAX_UPLOAD_BYTES + 1)
        try:
            # Read once now, so a file that cannot be read is refused before it is kept.
            plan_setup(data, upload.name)
        except UploadRefused as refused:
            form.add_error("file", refused.message)
        else:
            kept = SetupUpload.objects.create(
                filename=upload.name[:255], content=data, uploaded_by=request.user
            )
            return redirect("setup_preview", pk=kept.pk)
    return render(
        request,
        "setup/index.html",
        {
            "form": form,
            "sheets": layout.SHEETS,
            "recent": SetupUpload.objects.select_related("uploaded_by").defer("content")[:10],
        },
    )


def _download(data, filename):
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@administrators
def setup_template(request):
    return _download(setup_workbook(blank=True), "scorecard-set-up-template.xlsx")


@administrators
def setup_current(request):
    return _download(setup_workbook(), "scorecard-set-up.xlsx")


@administrators
def setup_preview(request, pk):
    upload = get_object_or_404(SetupUpload.objects.select_related("uploaded_by"), pk=pk)
    if request.method == "POST":
        if request.POST.get("action") == "cancel":
            upload.status = SetupUpload.Status.CANCELLED
            upload.save(update_fields=["status"])
            messages.success(request, f"Cancelled {upload.filename}: nothing was saved.")
            return redirect("setup")
        try:
            plan = confirm_upload(upload, request.user, digest=request.POST.get("digest", ""))
        except SetupRefused as refused:
            messages.error(request, str(refused))
            return redirect("setup_preview", pk=upload.pk)
        messages.success(request, f"Set up from {upload.filename}: {plan.summary()}.")
        return redirect("dashboard")
    plan = preview_upload(upload) if upload.status == SetupUpload.Status.PREVIEWED else None
    return render(request, "setup/preview.html", {"upload": upload, "plan": plan})
