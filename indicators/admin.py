from django.contrib import admin

from .benchmarks import admin as benchmarks_admin  # noqa: F401 - registers the LAIT models
from .models import (
    AnnualFigure,
    Benchmark,
    Commentary,
    Indicator,
    Milestone,
    MilestoneUpdate,
    Population,
    Priority,
    PriorityIndicator,
    ReportSection,
    Target,
    Value,
)


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
        "active",
    ]
    list_filter = ["unit", "polarity", "measure_basis", "active", "priorities"]
    search_fields = ["reference", "description"]
    autocomplete_fields = ["rate_of", "category_of", "lait_measure"]
    inlines = [TargetInline, BenchmarkInline, AnnualFigureInline]


@admin.register(Value)
class ValueAdmin(admin.ModelAdmin):
    list_display = ["indicator", "period", "value", "status", "synthetic", "entered_by"]
    list_filter = ["status", "synthetic", "period"]
    search_fields = ["indicator__reference", "indicator__description"]
    list_select_related = ["indicator", "entered_by"]
    autocomplete_fields = ["indicator"]


@admin.register(Commentary)
class CommentaryAdmin(admin.ModelAdmin):
    list_display = ["indicator", "period", "author", "updated_at"]
    list_select_related = ["indicator", "author"]
    search_fields = ["indicator__reference", "text"]
    autocomplete_fields = ["indicator"]


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


admin.site.register(Target)
admin.site.register(Benchmark)
admin.site.register(Population)
admin.site.register(Milestone)
admin.site.site_header = "Scorecard administration"
