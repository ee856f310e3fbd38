"""Consortia in the admin (issue 23, part 4).

A platform superuser makes a consortium, adds its member councils (and when they joined), its
own measure codes and its analysts. A council's administrator sees the consortia their
council belongs to (read only, without the analysts) and makes their own council's choices
of what it shares: only their council's indicators (the scoped manager), only with a
consortium it belongs to, under one of that consortium's codes or the indicator's LAIT
measure.
"""

from typing import Any

from django.contrib import admin
from django.db.models import ForeignKey, QuerySet
from django.forms import ModelChoiceField
from django.http import HttpRequest

from indicators.models import (
    Consortium,
    ConsortiumAnalyst,
    ConsortiumMeasure,
    ConsortiumMember,
    SharedIndicator,
)
from indicators.tenancy import CouncilChoices, active_council_id


def _platform(request: HttpRequest) -> bool:
    return bool(getattr(request.user, "is_superuser", False))


class PlatformOnly:
    """Only a platform superuser adds, changes or deletes; others may at most look."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _platform(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _platform(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _platform(request)


class MemberInline(PlatformOnly, admin.TabularInline):
    model = ConsortiumMember
    extra = 0


class MeasureInline(PlatformOnly, admin.TabularInline):
    model = ConsortiumMeasure
    extra = 0


class AnalystInline(PlatformOnly, admin.TabularInline):
    model = ConsortiumAnalyst
    extra = 0


@admin.register(Consortium)
class ConsortiumAdmin(PlatformOnly, admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Consortium]:
        found = super().get_queryset(request)
        if _platform(request):
            return found
        return found.filter(members__council_id=active_council_id() or 0)

    def get_inlines(self, request: HttpRequest, obj: Consortium | None) -> list[type]:
        if _platform(request):
            return [MemberInline, MeasureInline, AnalystInline]
        return [MemberInline, MeasureInline]


class SharedIndicatorForm(CouncilChoices):
    class Meta:
        model = SharedIndicator
        fields = ["consortium", "indicator", "measure", "from_month", "share_commentary"]


@admin.register(SharedIndicator)
class SharedIndicatorAdmin(admin.ModelAdmin):
    form = SharedIndicatorForm
    list_display = ["indicator", "consortium", "measure", "from_month", "share_commentary"]
    list_filter = ["consortium"]

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        # Only the consortia the council belongs to, and their codes.
        council = active_council_id() or 0
        if db_field.name == "consortium":
            kwargs["queryset"] = Consortium.objects.filter(members__council_id=council)
        elif db_field.name == "measure":
            kwargs["queryset"] = ConsortiumMeasure.objects.filter(
                consortium__members__council_id=council
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
