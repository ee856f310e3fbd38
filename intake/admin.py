from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.http import HttpRequest

from indicators import roles
from indicators.figures import Figure
from indicators.models import (
    FIGURE_FIELDS,
    REVISION_FIELDS,
    AnnualFigure,
    Benchmark,
    Commentary,
    CommitteeMeeting,
    Council,
    Event,
    Indicator,
    Milestone,
    MilestoneUpdate,
    OutboxEmail,
    Population,
    Priority,
    PriorityEditor,
    PriorityIndicator,
    PublishedMonth,
    Question,
    ReportSection,
    SentReminder,
    Target,
    Value,
)
from indicators.tenancy import CouncilChoices
from intake import consortium_admin  # noqa: F401 - registers the consortia
from intake.lait import admin as lait_admin  # noqa: F401 - registers the LAIT models


class PriorityIndicatorInline(admin.TabularInline):
    model = PriorityIndicator
    extra = 0
    autocomplete_fields = ["indicator"]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(Priority)
class PriorityAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "lead_officer", "display_order"]
    inlines = [PriorityIndicatorInline, MilestoneInline]


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0


class BenchmarkInline(admin.TabularInline):
    model = Benchmark
    extra = 0


class AnnualFigureInline(admin.TabularInline):
    """The yearly actuals the quarterly report prints beside the current quarter."""

    model = AnnualFigure
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = [
        "reference",
        "description",
        "unit",
        "polarity",
        "measure_basis",
        "owner",
        "lead_officer",
        "active",
    ]
    list_filter = ["unit", "polarity", "measure_basis", "active", "priorities", "owner"]
    list_select_related = ["owner"]
    search_fields = ["reference", "description", "lead_officer"]
    autocomplete_fields = ["rate_of", "category_of", "lait_measure"]
    inlines = [TargetInline, BenchmarkInline, AnnualFigureInline]

    def formfield_for_foreignkey(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField | None:
        if db_field.name == "owner":
            # A data owner enters figures: an editor or an administrator.
            kwargs["queryset"] = (
                get_user_model()
                .objects.filter(roles.holding(roles.EDITOR, roles.ADMINISTRATOR), is_active=True)
                .distinct()
                .order_by("username")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(PriorityEditor)
class PriorityEditorAdmin(admin.ModelAdmin):
    """Editors limited to some priorities (also set on each user's page)."""

    list_display = ["user", "priority"]
    list_filter = ["priority"]
    list_select_related = ["user", "priority"]


class ValueForm(CouncilChoices):
    """A figure in the admin: changing one of a published month is a revision, as in the
    grid, so it needs a reason and is marked."""

    revision = forms.CharField(
        label="Reason for the revision",
        required=False,
        max_length=500,
        help_text="Needed when the month is published: councillors see it beside the figure.",
    )

    class Meta:
        model = Value
        fields = ["indicator", "period", *FIGURE_FIELDS, "entered_by"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None  # a model form's clean returns its cleaned data
        period = cleaned.get("period")
        changed = {"value", "numerator", "denominator", "status", "period"} & set(self.changed_data)
        self.revises = bool(
            period and changed and PublishedMonth.objects.filter(period=period).exists()
        )
        if self.revises and not cleaned.get("revision", "").strip():
            self.add_error(
                "revision",
                f"{period:%B %Y} is published, so this change is a revision: give the reason.",
            )
        return cleaned


@admin.register(Value)
class ValueAdmin(admin.ModelAdmin):
    form = ValueForm
    list_display = ["indicator", "period", "value", "status", "synthetic", "entered_by"]
    list_filter = ["status", "synthetic", "period"]
    search_fields = ["indicator__reference", "indicator__description"]
    list_select_related = ["indicator", "entered_by"]
    autocomplete_fields = ["indicator"]
    readonly_fields = [*REVISION_FIELDS]

    def save_model(self, request: HttpRequest, obj: Value, form: ValueForm, change: bool) -> None:
        if form.revises:
            before = Value.objects.filter(pk=obj.pk).first() if change else None
            previous = None
            if before is not None:
                previous = Figure(before.value, before.numerator, None, before.status)
            obj.mark_revised(previous, form.cleaned_data["revision"].strip())
            obj._change_reason = f"revision of a published month: {obj.revision_reason}"
        super().save_model(request, obj, form, change)


@admin.register(Commentary)
class CommentaryAdmin(admin.ModelAdmin):
    list_display = ["indicator", "period", "author", "updated_at", "approved_by", "approved_at"]
    list_select_related = ["indicator", "author", "approved_by"]
    search_fields = ["indicator__reference", "text"]
    autocomplete_fields = ["indicator"]
    # Approval is given on the publishing checklist's sign-off page, where it is recorded.
    readonly_fields = ["approved_by", "approved_at"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """Events on the charts, for an administrator to correct; editors record them from the
    indicator page (its "Events on the charts" link)."""

    list_display = ["period", "label", "indicator", "priority", "changed_process"]
    list_filter = ["changed_process", "priority"]
    list_select_related = ["indicator", "priority"]
    search_fields = ["label", "indicator__reference"]
    autocomplete_fields = ["indicator"]
    raw_id_fields = ["recorded_by"]


@admin.register(MilestoneUpdate)
class MilestoneUpdateAdmin(admin.ModelAdmin):
    list_display = ["milestone", "period", "status", "direction"]
    list_filter = ["period", "status"]
    list_select_related = ["milestone"]


@admin.register(AnnualFigure)
class AnnualFigureAdmin(admin.ModelAdmin):
    list_display = ["indicator", "year_label", "value", "note", "status", "suppressed"]
    list_filter = ["year_label", "status", "suppressed"]
    list_select_related = ["indicator"]
    search_fields = ["indicator__reference", "indicator__description"]
    autocomplete_fields = ["indicator"]


@admin.register(ReportSection)
class ReportSectionAdmin(admin.ModelAdmin):
    """A quarterly report table with columns of its own (the education tables)."""

    list_display = ["quarter", "title", "current_label"]
    list_filter = ["quarter"]


class CommitteeMeetingForm(CouncilChoices):
    """The month reviewed is typed as a month ("2023-09"); the committee starts as the
    council's."""

    reviews = forms.DateField(
        required=False,
        label="Month reviewed",
        input_formats=["%Y-%m", "%Y-%m-%d"],
        help_text="The month whose figures the meeting reviews, as 2023-09 (optional).",
    )

    class Meta:
        model = CommitteeMeeting
        fields = ["committee", "date", "reviews"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.pk and not self.initial.get("committee"):
            self.initial["committee"] = Council.current().committee_name
        if self.instance.reviews:
            self.initial["reviews"] = self.instance.reviews.strftime("%Y-%m")

    def clean_reviews(self) -> Any:
        month = self.cleaned_data["reviews"]
        return month.replace(day=1) if month else None


@admin.register(CommitteeMeeting)
class CommitteeMeetingAdmin(admin.ModelAdmin):
    """The committee's calendar: the pack's cover is filled in from the next meeting."""

    form = CommitteeMeetingForm
    list_display = ["date", "committee", "reviews"]
    date_hierarchy = "date"


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    """Councillors' questions and committee actions, for an administrator to correct; they are
    raised, assigned, answered and closed on the questions pages."""

    list_display = ["id", "kind", "status", "indicator", "priority", "meeting", "assigned_to"]
    list_filter = ["status", "kind", "meeting"]
    list_select_related = ["indicator", "priority", "meeting", "assigned_to"]
    raw_id_fields = ["raised_by", "assigned_to", "answered_by"]


admin.site.register(Target)
admin.site.register(Benchmark)
admin.site.register(Population)
admin.site.register(Milestone)
admin.site.site_header = "Scorecard administration"


# Emails: looked at, never edited (a failed email is retried by send_emails) ------------------
class ReadOnlyModelAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(OutboxEmail)
class OutboxEmailAdmin(ReadOnlyModelAdmin):
    """Every email written to the outbox: sent, pending, or failed with the error kept."""

    list_display = ["created_at", "kind", "to", "subject", "status", "attempts", "last_error"]
    list_filter = ["kind", ("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["to", "subject"]
    date_hierarchy = "created_at"
    fields = readonly_fields = (
        "kind",
        "to",
        "subject",
        "status",
        "created_at",
        "attempts",
        "last_error",
        "sent_at",
        "dedupe_key",
        "text",
    )

    @admin.display(description="status")
    def status(self, email: OutboxEmail) -> str:
        return email.status


@admin.register(SentReminder)
class SentReminderAdmin(ReadOnlyModelAdmin):
    """Who was reminded of which month on which day (once a day at most)."""

    list_display = ["day", "period", "owner", "missing", "email_status"]
    list_filter = ["period", "day"]
    list_select_related = ["owner", "email"]

    @admin.display(description="email")
    def email_status(self, reminder: SentReminder) -> str:
        return reminder.email.status
