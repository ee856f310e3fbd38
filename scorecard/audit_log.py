"""The audit page: every recorded change across the product, newest first, filterable by
month, person and indicator (django-filter), in a paged django-tables2 table.

Changes come from the django-simple-history tables of every model that feeds a figure (figures,
targets, commentary, indicator definitions, priorities, benchmarks, yearly figures,
populations, report sections, milestone updates), of questions and actions, and from the
publishing log. A page is read in a fixed number of queries whatever the history's size: the
count and the page's keys from one UNION ALL over the tables, then, for each kind on the page,
its records and the record before each (for the old values).
"""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import django_filters
import django_tables2 as tables
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import F, Model, QuerySet
from django.db.models import Value as Constant
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe
from django_tables2.data import TableData

from indicators import rules, tenancy
from indicators.figures import FigureLike
from indicators.models import (
    AnnualFigure,
    Benchmark,
    Commentary,
    Indicator,
    MilestoneUpdate,
    Population,
    Priority,
    PublicationEvent,
    Question,
    ReportSection,
    Target,
    Value,
)
from indicators.periods import Month, parse_in_range
from scorecard.models import IssuedPack

PER_PAGE = 50
#: Fields every change touches, or that say who rather than what: not listed as changes.
NOISE = {"entered_at", "updated_at", "entered_by", "author", "updated_by", "id", "synthetic"}
NOISE |= {"raised_at", "answered_at"}  # a question's: the change's own time says when
# An issued pack's stored file and its checksum: written once, shown on the meeting's page
# (the checksum, 64 characters unbroken, would stretch the table past the page).
NOISE |= {"path", "sha256"}


@dataclass(frozen=True)
class Kind:
    label: str
    model: type[Model]
    indicator: str | None = None  # the field holding the indicator's id
    period: str | None = None  # the field holding the month the change is about
    related: tuple[str, ...] = ()  # select_related for the description

    @property
    def history(self) -> Any:
        # django-simple-history adds ``history`` to each model it records and builds the
        # historical model at run time: neither has a static type.
        return self.model.history.model  # type: ignore[attr-defined]

    def of_the_council(self) -> QuerySet[Any]:
        """This kind's history rows of the council in force. History tables are not scoped
        managers: a row with its own council is filtered by it; a figure, target or
        commentary by its indicator (a scoped subquery, no query of its own)."""
        rows = self.history.objects.all()
        council = tenancy.active_council_id()
        if council is None:
            return rows
        if any(field.name == "council" for field in self.model._meta.fields):
            return rows.filter(council_id=council)
        # The first step of the model's way to its council: a figure's indicator, an
        # issued pack's meeting; the parent's scoped manager does the rest.
        parent = self.model.council_path.split("__")[0]  # type: ignore[attr-defined]
        owner = self.model._meta.get_field(parent).related_model
        assert isinstance(owner, type)  # a foreign key's model, never a lazy name by now
        return rows.filter(**{f"{parent}_id__in": owner._default_manager.values("pk")})


KINDS = [
    Kind("Figure", Value, "indicator_id", "period", ("indicator",)),
    Kind("Target", Target, "indicator_id", "valid_from", ("indicator",)),
    Kind("Commentary", Commentary, "indicator_id", "period", ("indicator",)),
    Kind("Indicator", Indicator, "id"),
    Kind("Benchmark", Benchmark, "indicator_id", None, ("indicator",)),
    Kind("Yearly figure", AnnualFigure, "indicator_id", None, ("indicator",)),
    Kind("Milestone update", MilestoneUpdate, None, "period", ("milestone",)),
    Kind("Priority", Priority),
    Kind("Population", Population),
    Kind("Report section", ReportSection),
    # Councillors' questions and committee actions: raised, assigned, answered, closed.
    Kind("Question or action", Question, "indicator_id"),
    # The packs issued for committee meetings (scorecard.issued_packs): who issued which.
    Kind("Issued pack", IssuedPack, None, "month", ("meeting",)),
]
PUBLICATION = "Publication"


def _validate_month(text):
    try:
        parse_in_range(text)
    except ValueError as error:
        raise forms.ValidationError(str(error)) from None


MONTH_INPUT = forms.TextInput(
    attrs={"class": "govuk-input govuk-input--width-10", "placeholder": "2023-09"}
)
SELECT = forms.Select(attrs={"class": "govuk-select"})


def _indicators(request: HttpRequest | None) -> "QuerySet[Indicator]":
    # Read when the filter is made, in the request's council.
    return Indicator.objects.order_by("reference")


class AuditFilter(django_filters.FilterSet):
    """The page's filters. Each filter's method narrows one kind's queryset, or empties it
    when the kind has nothing to filter on (a priority has no indicator)."""

    month = django_filters.CharFilter(
        label="Month the figures are for (YYYY-MM)",
        method="filter_month",
        validators=[_validate_month],
        widget=MONTH_INPUT,
    )
    changed_in = django_filters.CharFilter(
        label="Month the change was made (YYYY-MM)",
        method="filter_changed_in",
        validators=[_validate_month],
        widget=MONTH_INPUT,
    )
    person = django_filters.ModelChoiceFilter(
        label="Person",
        queryset=get_user_model().objects.order_by("username"),
        method="filter_person",
        empty_label="Anyone",
        widget=SELECT,
    )
    indicator = django_filters.ModelChoiceFilter(
        label="Indicator",
        queryset=_indicators,  # type: ignore[arg-type]  # django-filter takes a callable
        method="filter_indicator",
        empty_label="Every indicator",
        widget=SELECT,
    )

    def __init__(self, data: QueryDict | None = None, *args: Any, **kwargs: Any) -> None:
        self.kind: Kind | None = None
        super().__init__(data, PublicationEvent.objects.all(), *args, **kwargs)

    def changes_of(self, kind: Kind | None) -> QuerySet[Any]:
        """One kind's records (``kind`` None: the publishing log), filtered as asked; every
        change when the filters do not validate (the page says why)."""
        self.kind = kind
        queryset = kind.of_the_council() if kind else PublicationEvent.objects.all()
        if self.is_bound and self.form.is_valid():
            return self.filter_queryset(queryset)
        return queryset

    @property
    def is_publication(self) -> bool:
        return self.kind is None

    def filter_month(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        period = None if self.kind is None else self.kind.period
        month = parse_in_range(value)
        if self.is_publication:
            return queryset.filter(period=month.first_day)
        return queryset.filter(**{period: month.first_day}) if period else queryset.none()

    def filter_changed_in(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        month = parse_in_range(value)
        start = timezone.make_aware(dt.datetime(month.year, month.month, 1))
        following = month.plus(1)
        end = timezone.make_aware(dt.datetime(following.year, following.month, 1))
        field = "at" if self.is_publication else "history_date"
        return queryset.filter(**{f"{field}__gte": start, f"{field}__lt": end})

    def filter_person(
        self, queryset: QuerySet[Any], name: str, value: AbstractBaseUser
    ) -> QuerySet[Any]:
        field = "user" if self.is_publication else "history_user"
        return queryset.filter(**{field: value})

    def filter_indicator(
        self, queryset: QuerySet[Any], name: str, value: Indicator
    ) -> QuerySet[Any]:
        field = None if self.kind is None else self.kind.indicator
        return queryset.filter(**{field: value.pk}) if field else queryset.none()


def _keys(kind, queryset):
    """One kind's rows as the UNION's columns: kind, record id, when, person."""
    queryset = queryset.order_by()  # a part of a UNION may not be ordered (the UNION is)
    if kind is None:
        return queryset.annotate(
            k_kind=Constant(PUBLICATION), k_id=F("id"), k_when=F("at"), k_user=F("user_id")
        ).values_list("k_kind", "k_id", "k_when", "k_user")
    return queryset.annotate(
        k_kind=Constant(kind.label),
        k_id=F("history_id"),
        k_when=F("history_date"),
        k_user=F("history_user_id"),
    ).values_list("k_kind", "k_id", "k_when", "k_user")


class AuditEntries(TableData):
    """The changes the filters select, read a page at a time (django-tables2 slices it)."""

    def __init__(self, filters: AuditFilter) -> None:
        self.filters = filters
        super().__init__(self._union())
        self._length: int | None = None

    def _union(self):
        parts = []
        for kind in [*KINDS, None]:
            filtered = self.filters.changes_of(kind)
            if not filtered.query.is_empty():
                parts.append(_keys(kind, filtered))
        if not parts:
            return None
        first, *rest = parts
        return first.union(*rest, all=True).order_by("-k_when", "-k_id")

    def __len__(self) -> int:
        if self._length is None:
            self._length = 0 if self.data is None else self.data.count()
        return self._length

    def __iter__(self) -> Iterator["AuditRow"]:
        return iter(self[0 : len(self)])

    def __getitem__(self, key: slice) -> list["AuditRow"]:
        if self.data is None:
            return []
        rows = list(self.data[key])
        return _describe(rows)


@dataclass
class AuditRow:
    when: dt.datetime
    who: str
    kind: str
    what: str
    old: str
    new: str
    reason: str


def _describe(rows):
    """The page's rows in words: per kind on the page, its records and the ones before."""
    by_kind = {}
    for kind_label, record_id, _, _ in rows:
        by_kind.setdefault(kind_label, []).append(record_id)
    described = {}
    for kind in KINDS:
        if kind.label in by_kind:
            described.update(_describe_kind(kind, by_kind[kind.label]))
    if PUBLICATION in by_kind:
        for event in PublicationEvent.objects.filter(id__in=by_kind[PUBLICATION]).select_related(
            "user"
        ):
            described[(PUBLICATION, event.id)] = AuditRow(
                event.at,
                _name(event.user),
                PUBLICATION,
                Month.from_date(event.period).label,
                "",
                event.get_action_display(),
                event.reason,
            )
    return [described[(kind, record_id)] for kind, record_id, _, _ in rows]


def _describe_kind(kind, record_ids):
    history = kind.history
    records = list(
        history.objects.filter(history_id__in=record_ids).select_related(
            "history_user", *kind.related
        )
    )
    # The record before each, for the old values: the same object's latest earlier record.
    before = {}
    earlier = history.objects.filter(
        id__in={record.id for record in records}, history_id__lt=max(record_ids)
    ).order_by("id", "history_id")
    for record in earlier:
        before.setdefault(record.id, []).append(record)
    result = {}
    for record in records:
        previous = next(
            (r for r in reversed(before.get(record.id, [])) if r.history_id < record.history_id),
            None,
        )
        old, new = _changes(kind, record, previous)
        result[(kind.label, record.history_id)] = AuditRow(
            record.history_date,
            _name(record.history_user),
            kind.label,
            _what(kind, record),
            old,
            new,
            record.history_change_reason or "",
        )
    return result


def _name(user):
    if user is None:
        return "the system"
    return user.get_full_name() or user.get_username()


def _what(kind, record):
    """Which thing changed: "ID 7, Sep-23", "Priority 3", "0-17 from Mar-21"."""
    if kind.model is Indicator:
        return f"ID {record.reference}"
    if kind.model is Priority:
        return f"Priority {record.number}"
    if kind.model is Population:
        return f"{record.name} ({record.age_from}-{record.age_to}) from {record.valid_from}"
    if kind.model is ReportSection:
        return f"{record.quarter} {record.title}"
    if kind.model is Question:
        return f"{record.get_kind_display()} {record.id}"
    if kind.model is MilestoneUpdate:
        return f"{record.milestone.workstream}, {Month.from_date(record.period).label}"
    if kind.model is IssuedPack:
        return f"Pack of {Month.from_date(record.month).label} for {record.meeting}"
    what = f"ID {record.indicator.reference}"
    if kind.period:
        what += f", {Month.from_date(getattr(record, kind.period)).label}"
    if kind.model is Benchmark:
        what += f", {record.get_comparator_display()} {record.period_label}"
    if kind.model is AnnualFigure:
        what += f", {record.year_label}"
    return what


def _changes(kind, record, previous):
    """(old, new) in words: the changed fields, "field: value" one per line."""
    if kind.model is Value:
        return _figure_changes(record, previous)
    fields = [
        field
        for field in kind.model._meta.concrete_fields
        if field.name not in NOISE and not field.is_relation
    ]
    if record.history_type == "-":
        return _fields_text(fields, record), "deleted"
    if previous is None or record.history_type == "+":
        return "", _fields_text(fields, record)
    changed = [field for field in fields if _differs(field, record, previous)]
    return _fields_text(changed, previous), _fields_text(changed, record)


def _differs(field, record, previous):
    return getattr(record, field.attname) != getattr(previous, field.attname)


def _fields_text(fields, record):
    return "\n".join(
        f"{field.verbose_name}: {_text(getattr(record, field.attname))}" for field in fields
    )


def _text(value):
    if value is None or value == "":
        return "blank"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    return text if len(text) <= 200 else text[:199] + "…"


def _figure_changes(record, previous):
    indicator = record.indicator

    def shown(figure: FigureLike | None) -> str:
        if figure is None:
            return "no figure"
        text = rules.format_value(
            figure.value, indicator.unit, indicator.decimal_places, figure.status
        )
        if figure.numerator is not None and figure.denominator is not None:
            text += f" ({_text(figure.numerator)}/{_text(figure.denominator)})"
        return text

    if record.history_type == "-":
        return shown(record), "deleted"
    new = shown(record)
    revised = record.revised_at is not None
    if revised and (previous is None or previous.revised_at != record.revised_at):
        new += " (revision of a published month)"
    return ("" if previous is None else shown(previous)), new


class AuditTable(tables.Table):
    when = tables.DateTimeColumn(format="j M Y H:i", orderable=False)
    who = tables.Column(orderable=False)
    kind = tables.Column(verbose_name="What", orderable=False)
    what = tables.Column(verbose_name="Which", orderable=False)
    old = tables.Column(verbose_name="Old", orderable=False, default="")
    new = tables.Column(verbose_name="New", orderable=False, default="")
    reason = tables.Column(orderable=False, default="")

    class Meta:
        attrs = {"class": "govuk-table audit-table", "id": "audit-table"}
        orderable = False
        empty_text = "No changes match these filters."

    def render_old(self, value: str) -> SafeString:
        return _lines(value)

    def render_new(self, value: str) -> SafeString:
        return _lines(value)


def _lines(text: str) -> SafeString:

    return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in text.split("\n")))
