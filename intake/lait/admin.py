"""The admin for the DfE LAIT benchmarks: the imported data (read only: the import is the one
way in), the council setting, the import page and "add as indicators" from the catalogue.

Registered from ``intake/admin.py``. The import page and the catalogue form are for
administrators only: anyone else gets 403, even with staff access to the admin.
"""

import io
from collections.abc import Callable
from typing import Any, TypedDict

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse

from accounts.councils import checked_host
from indicators import roles
from indicators.models import (
    Council,
    Indicator,
    LaitComparator,
    LaitMeasure,
    LaitValue,
    LaitYears,
    Priority,
    PriorityIndicator,
    StatisticalNeighbour,
    StatisticalNeighbourList,
)
from intake.lait import catalogue
from intake.lait.file_reading import LaitFileError
from intake.lait.files import LaitFile
from intake.lait.lait_import import import_lait
from intake.lait.stored_comparators import recompute_comparators

MAX_UPLOAD_BYTES = 200 * 1024 * 1024


def administrators_only(
    admin_site: admin.AdminSite, view: Callable[..., HttpResponse]
) -> Callable[..., HttpResponse]:
    """The view, for administrators; 403 for anyone else (the admin itself only asks for
    staff status)."""

    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not roles.has_role(request.user, roles.ADMINISTRATOR):
            raise PermissionDenied("Only administrators may import or add from the catalogue.")
        return admin_site.admin_view(view)(request, *args, **kwargs)

    return wrapped


class ReadOnlyAdmin(admin.ModelAdmin):
    """Imported from DfE's files: looked at here, changed only by a new import."""

    def has_add_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False


# The import page -------------------------------------------------------------------------
class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(file, initial) for file in files]


def _checked_upload(file):
    if file.size > MAX_UPLOAD_BYTES:
        raise ValidationError(f"{file.name} is larger than {MAX_UPLOAD_BYTES // 2**20} MB.")
    if not file.name.lower().endswith((".parquet", ".csv", ".xlsx")):
        raise ValidationError(f"{file.name} is not a .parquet, .csv or .xlsx file.")
    return file


class FilesToImport(TypedDict):
    """The import form's files, as ``import_lait`` takes them."""

    data: LaitFile
    dictionary: LaitFile | None
    neighbour_lists: list[LaitFile]


class LaitImportForm(forms.Form):
    # The form's metaclass moves declared fields into base_fields, so this field does not
    # shadow BaseForm.data at run time; the stubs see a class attribute of another type.
    data = forms.FileField(  # type: ignore[assignment]
        label="LAIT data",
        help_text="LAIT's long layout (lait_bds_long): .parquet, .csv or .xlsx.",
    )
    dictionary = forms.FileField(
        label="Data dictionary",
        required=False,
        help_text="lait_data_dictionary.csv. Needed for measures not imported before.",
    )
    neighbour_lists = MultipleFileField(
        label="Statistical-neighbour lists",
        required=False,
        help_text="DfE's workbooks, e.g. sn_april_2021.xlsx and sn_may_2025.xlsx (named from "
        "the file: 'April 2021').",
    )
    authority_number = forms.IntegerField(
        label="The council's DfE authority number",
        required=False,
        min_value=100,
        max_value=969,
        help_text="DfE's three-digit LA number. Blank keeps the council setting.",
    )
    list_in_force = forms.CharField(
        label="Statistical-neighbour list in force",
        required=False,
        help_text="e.g. 'April 2021'. Blank keeps the council's (or, if it has none, takes "
        "the first list uploaded).",
    )

    def clean_data(self) -> UploadedFile:
        return _checked_upload(self.cleaned_data["data"])

    def clean_dictionary(self) -> UploadedFile | None:
        file = self.cleaned_data["dictionary"]
        return _checked_upload(file) if file else None

    def clean_neighbour_lists(self) -> list[UploadedFile]:
        return [_checked_upload(file) for file in self.cleaned_data["neighbour_lists"]]

    def files_to_import(self) -> FilesToImport:
        def read(file: UploadedFile) -> LaitFile:
            assert file.name is not None  # a file the form took has its name
            return LaitFile(io.BytesIO(file.read()), file.name)

        data = self.cleaned_data
        return {
            "data": read(data["data"]),
            "dictionary": read(data["dictionary"]) if data["dictionary"] else None,
            "neighbour_lists": [read(file) for file in data["neighbour_lists"]],
        }


def import_view(request: HttpRequest, admin_site: admin.AdminSite) -> HttpResponse:
    form = LaitImportForm(request.POST or None, request.FILES or None)
    if not request.POST:
        council = Council.current()
        form.initial = {
            "authority_number": council.authority_number,
            "list_in_force": council.neighbour_list.name if council.neighbour_list else "",
        }
    summary = problems = None
    if request.method == "POST" and form.is_valid():
        try:
            summary = import_lait(
                **form.files_to_import(),
                authority_number=form.cleaned_data["authority_number"],
                list_in_force=form.cleaned_data["list_in_force"] or None,
            )
        except LaitFileError as error:
            problems = [str(problem) for problem in error.problems]
    context = {
        **admin_site.each_context(request),
        "title": "Import DfE LAIT data",
        "form": form,
        "summary": summary,
        "problems": problems,
        "opts": LaitMeasure._meta,
    }
    return TemplateResponse(request, "admin/lait/import.html", context)


# Add indicators from the catalogue -------------------------------------------------------
FREQUENCY_CHOICES = [("", "Choose how often"), *Indicator.Frequency.choices]


class IndicatorFromMeasureForm(forms.Form):
    measure = forms.ModelChoiceField(
        queryset=LaitMeasure.objects.all(), to_field_name="code", widget=forms.HiddenInput
    )
    reference = forms.CharField(max_length=20)
    description = forms.CharField(max_length=500, widget=forms.TextInput(attrs={"size": 60}))
    unit = forms.ChoiceField(choices=Indicator.Unit.choices)
    polarity = forms.ChoiceField(choices=Indicator.Polarity.choices)
    decimal_places = forms.IntegerField(min_value=0, max_value=6)
    measure_basis = forms.ChoiceField(choices=Indicator.MeasureBasis.choices)
    lait_years = forms.ChoiceField(label="LAIT years", choices=LaitYears.choices)
    # Asked, never assumed (issue 22: every measure used to become "Annual" under no priority,
    # and so appeared on no page).
    frequency = forms.ChoiceField(
        choices=FREQUENCY_CHOICES,
        help_text="How often the council reports it (DfE publishes most measures yearly).",
    )
    priorities = forms.TypedMultipleChoiceField(
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text="The priority (or priorities) whose table shows it. An indicator under no "
        "priority appears on no page.",
    )

    def __init__(self, *args: Any, priority_choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["priorities"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = priority_choices
        # Before any priority is set up there is none to choose: the set-up page lists the
        # indicator as under no priority until it is put under one.
        field.required = bool(priority_choices)

    def indicator(self) -> Indicator:
        """The unsaved indicator, checked as the model checks it."""
        data = self.cleaned_data
        measure = data["measure"]
        fields = catalogue.indicator_fields(measure)
        indicator = Indicator(
            reference=data["reference"],
            description=data["description"],
            definition=fields["definition"],
            unit=data["unit"],
            polarity=data["polarity"],
            frequency=data["frequency"],
            measure_basis=data["measure_basis"],
            decimal_places=data["decimal_places"],
            lait_measure=measure,
            lait_years=data["lait_years"],
        )
        indicator.full_clean()
        return indicator

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        if not self.errors:
            try:
                self.indicator()
            except ValidationError as error:
                raise ValidationError(error.messages) from None
        return cleaned


class BaseIndicatorFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        references = [form.cleaned_data["reference"] for form in self.forms]
        twice = sorted({ref for ref in references if references.count(ref) > 1})
        if twice:
            raise ValidationError(
                f"Each new indicator needs its own reference: {', '.join(twice)}."
            )


IndicatorFormSet = forms.formset_factory(
    IndicatorFromMeasureForm, formset=BaseIndicatorFormSet, extra=0
)


def _place(indicator: Indicator, numbers: list[int], priorities: dict[int, Priority]) -> None:
    """Put a new indicator last in each chosen priority's headline measures."""
    for number in numbers:
        priority = priorities[number]
        placed = PriorityIndicator.objects.filter(priority=priority)
        last = placed.aggregate(last=models.Max("display_order"))["last"]
        PriorityIndicator.objects.create(
            priority=priority, indicator=indicator, display_order=0 if last is None else last + 1
        )


def _added_message(created: list[tuple[Indicator, list[int]]]) -> str:
    references = ", ".join(indicator.reference for indicator, _ in created)
    message = (
        f"Added {len(created)} indicator{'s' if len(created) != 1 else ''} from the DfE "
        f"catalogue: {references}."
    )
    unplaced = [indicator.reference for indicator, numbers in created if not numbers]
    if unplaced:
        message += (
            f" Under no priority: {', '.join(unplaced)}. They appear on no page until they "
            "are put under a priority (the Set up page lists them)."
        )
    return message


def add_indicators_view(request: HttpRequest, admin_site: admin.AdminSite) -> HttpResponse:
    codes = [code for code in request.GET.get("measures", "").split(",") if code]
    measures = {measure.code: measure for measure in LaitMeasure.objects.filter(code__in=codes)}
    ordered = [measures[code] for code in codes if code in measures]
    priorities = {priority.number: priority for priority in Priority.objects.all()}
    choices = {"priority_choices": [(n, str(p)) for n, p in priorities.items()]}
    if request.method == "POST":
        formset = IndicatorFormSet(request.POST, form_kwargs=choices)
        if formset.is_valid():
            created = [(form.indicator(), form.cleaned_data["priorities"]) for form in formset]
            with transaction.atomic():
                for indicator, numbers in created:
                    indicator.save()  # one by one: each gets its change history
                    _place(indicator, numbers, priorities)
            messages.success(request, _added_message(created))
            return redirect("admin:indicators_indicator_changelist")
    else:
        taken = set(Indicator.objects.values_list("reference", flat=True))
        initial = []
        for measure in ordered:
            fields = catalogue.indicator_fields(measure)
            reference = catalogue.suggested_reference(measure, taken)
            taken.add(reference)
            initial.append(
                {
                    "measure": measure.code,
                    "reference": reference,
                    **{
                        name: fields[name]
                        for name in IndicatorFromMeasureForm.base_fields
                        if name in fields
                    },
                }
            )
        formset = IndicatorFormSet(initial=initial, form_kwargs=choices)
    linked = dict(
        Indicator.objects.filter(lait_measure__in=ordered).values_list(
            "lait_measure_id", "reference"
        )
    )
    rows = []
    for form in formset.forms:
        code = form["measure"].value()
        shown = measures.get(code) or LaitMeasure.objects.filter(code=code).first()
        rows.append({"form": form, "measure": shown, "already": linked.get(code)})
    context = {
        **admin_site.each_context(request),
        "title": "Add indicators from the DfE catalogue",
        "formset": formset,
        "rows": rows,
        "no_priorities": not priorities,
        "opts": LaitMeasure._meta,
    }
    return TemplateResponse(request, "admin/lait/add_indicators.html", context)


# The registrations -----------------------------------------------------------------------
@admin.register(LaitMeasure)
class LaitMeasureAdmin(ReadOnlyAdmin):
    list_display = ["code", "title", "polarity", "year_type", "no_quartile", "status"]
    list_filter = ["polarity", "year_type", "no_quartile", "topic"]
    search_fields = ["code", "title", "chart_title"]
    actions = ["add_as_indicators"]
    change_list_template = "admin/lait/measure_change_list.html"

    def get_urls(self) -> list[URLPattern]:
        site = self.admin_site
        return [
            path(
                "import/",
                administrators_only(site, lambda request: import_view(request, site)),
                name="indicators_lait_import",
            ),
            path(
                "add-indicators/",
                administrators_only(site, lambda request: add_indicators_view(request, site)),
                name="indicators_lait_add_indicators",
            ),
            *super().get_urls(),
        ]

    @admin.action(
        description="Add the selected measures as indicators", permissions=["administrator"]
    )
    def add_as_indicators(
        self, request: HttpRequest, queryset: models.QuerySet[LaitMeasure]
    ) -> HttpResponse:
        if not roles.has_role(request.user, roles.ADMINISTRATOR):
            raise PermissionDenied
        codes = ",".join(queryset.order_by("code").values_list("code", flat=True))
        return redirect(f"{reverse('admin:indicators_lait_add_indicators')}?measures={codes}")

    def has_administrator_permission(self, request: HttpRequest) -> bool:
        """The catalogue action is offered to administrators only."""
        return roles.has_role(request.user, roles.ADMINISTRATOR)


@admin.register(LaitValue)
class LaitValueAdmin(ReadOnlyAdmin):
    list_display = ["measure", "area_name", "area_code", "year", "value"]
    list_filter = ["region"]
    search_fields = ["measure__code", "area_name", "=area_code", "=year"]
    list_select_related = ["measure"]
    show_full_result_count = False  # 641,070 rows: counting them for every page is slow


class StatisticalNeighbourInline(admin.TabularInline):
    model = StatisticalNeighbour
    extra = 0
    can_delete = False
    readonly_fields = ["authority_code", "position", "neighbour_code"]

    def has_add_permission(
        self, request: HttpRequest, obj: StatisticalNeighbourList | None = None
    ) -> bool:
        return False


@admin.register(StatisticalNeighbourList)
class StatisticalNeighbourListAdmin(ReadOnlyAdmin):
    list_display = ["name", "source"]
    inlines = [StatisticalNeighbourInline]


class CouncilForm(forms.ModelForm):
    class Meta:
        model = Council
        fields = [
            "name",
            "service_name",
            "committee_name",
            "authority_number",
            "neighbour_list",
            "deadline_working_day",
            "reminder_days_before",
            "commentary_sign_off",
        ]

    def clean_host(self) -> str | None:
        # Only a platform administrator's form has the field (CouncilAdmin.get_form).
        return checked_host(self.cleaned_data.get("host") or "", self.instance)

    def clean_authority_number(self) -> int | None:
        number = self.cleaned_data["authority_number"]
        stored = LaitValue.objects.exclude(region="")
        if number is not None and stored.exists() and not stored.filter(area_code=number).exists():
            raise ValidationError(
                f"{number} is not an authority in the imported LAIT data (DfE's LA numbers)."
            )
        return number


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    """The council of the address: the list goes straight to it, and no other council is
    reachable here (a platform administrator adds councils on the page ``Add`` leads to, or
    with ``create_council``).
    Saving works its comparators out again."""

    form = CouncilForm

    def get_form(
        self, request: HttpRequest, obj: Council | None = None, change: bool = False, **kwargs: Any
    ) -> Any:
        # The address a council is reached at is the platform's to give, not the council's.
        if request.user.is_superuser:
            kwargs["fields"] = [*CouncilForm.Meta.fields, "host"]
        return super().get_form(request, obj, change, **kwargs)

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Council]:
        council = Council.current()
        return super().get_queryset(request).filter(pk=council.pk)

    def has_add_permission(self, request: HttpRequest) -> bool:
        if request.user.is_superuser:
            return True  # the admin's "Add" beside Councils: the page creating a council
        return super().has_add_permission(request) and Council.current().pk is None

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if request.user.is_superuser and Council.current().pk is not None:
            # A platform administrator adds a council with its address and administrator
            # (accounts.councils), not as a bare row.
            return redirect("new_council")
        return super().add_view(request, form_url, extra_context)

    def has_delete_permission(self, request: HttpRequest, obj: Council | None = None) -> bool:
        return False

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if not self.has_view_or_change_permission(request):
            return super().changelist_view(request, extra_context)  # refused as any list is
        council = Council.current()
        if council.pk is not None:
            return redirect("admin:indicators_council_change", council.pk)
        return redirect("admin:indicators_council_add")

    def save_model(self, request: HttpRequest, obj: Council, form: Any, change: Any) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            # The request's council (indicators.tenancy) was read before this change.
            active = Council.current()
            if active.pk == obj.pk:
                active.refresh_from_db()
            counts = recompute_comparators()
        messages.info(request, f"Comparators worked out again: {counts}.")


@admin.register(LaitComparator)
class LaitComparatorAdmin(ReadOnlyAdmin):
    list_display = LaitComparator.READ_FIELDS
    list_filter = ["quartile", "year"]
    search_fields = ["measure__code"]
    list_select_related = ["measure"]
