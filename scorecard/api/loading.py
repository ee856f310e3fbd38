"""What the API's lists read, each in a fixed number of queries whatever the data's size,
then judged by ``indicators.judgement.judge_rows`` as the pages are: figures in long form a
page at a time, and the DfE benchmarks of every linked indicator. (The scorecard of a month
and the quarterly report are loaded by ``scorecard.queries``, as their pages load them.)

The API is sent out, like the exports: small numbers are shown as ``x`` (null, with
``suppressed`` true) for everyone, editors too; editors also see draft months, marked."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from indicators.judgement import MonthLoaded, Row, judge_rows
from indicators.models import Indicator, Population, Priority, Value, ValueQuerySet
from indicators.periods import Month
from indicators.published import published_months
from scorecard.api.records import Record, figure_record
from scorecard.dfe_queries import benchmarks_for_loaded


@dataclass(frozen=True)
class Filters:
    """The lists' filters, checked (``serializers``): None where not given."""

    indicator: Indicator | None = None
    priority: Priority | None = None
    first: Month | None = None
    last: Month | None = None


def _visible(values: ValueQuerySet, published_only: bool) -> ValueQuerySet:
    return values.published() if published_only else values


def of_indicators[Q: QuerySet[Any]](rows: Q, filters: Filters, prefix: str) -> Q:
    """``rows`` (indicators, or what belongs to one through ``prefix``) of the filters'
    indicator and priority."""
    if filters.indicator is not None:
        rows = rows.filter(**{f"{prefix}pk": filters.indicator.pk})
    if filters.priority is not None:
        rows = rows.filter(**{f"{prefix}priorityindicator__priority": filters.priority})
    return rows


def figure_values(filters: Filters, published_only: bool) -> ValueQuerySet:
    """The figures asked for, in a stable order (indicator reference, month), for paging:
    a viewer's of published months only."""
    values = of_indicators(Value.objects.all(), filters, "indicator__")
    if filters.first is not None:
        values = values.filter(period__gte=filters.first.first_day)
    if filters.last is not None:
        values = values.filter(period__lte=filters.last.first_day)
    values = _visible(values, published_only).select_related("indicator")
    return values.order_by("indicator__reference", "period", "pk")


def judged_rows(
    indicators: Sequence[Indicator], published_only: bool, benchmarks: bool = False
) -> dict[int, Row]:
    """{indicator id: its judged row} over every figure of ``indicators`` the user may
    see (the indicator page's view, so a figure is an ``x`` exactly where that page shows
    one), small numbers suppressed. Queries: the figures, the populations; with
    ``benchmarks``, when one is linked, the council and its comparators."""
    if not indicators:
        return {}
    figures = _visible(
        Value.objects.filter(indicator__in=[indicator.pk for indicator in indicators]),
        published_only,
    ).figures_by_indicator()
    lait = benchmarks_for_loaded(indicators) if benchmarks else {}
    months = [month for by_month in figures.values() for month in by_month]
    rows = judge_rows(
        MonthLoaded(
            month=max([*months, Month.current()]),
            shown_months=(),
            indicators=tuple((0, indicator) for indicator in indicators),
            figures=figures,
            target_spans={},
            populations=tuple(Population.objects.all()),
            suppress=True,
            benchmarks=lait,
        )
    )
    return {row.indicator.pk: row for row in rows}


def figure_records(values: Sequence[Value], published_only: bool) -> list[Record]:
    """A page of figures as records. Queries: the page's indicators' figures, the
    populations, and for an editor the published months (the draft marks)."""
    indicators = list({value.indicator_id: value.indicator for value in values}.values())
    rows = judged_rows(indicators, published_only)
    published = None if published_only or not values else published_months()
    records = []
    for value in values:
        month = Month.from_date(value.period)
        is_published = published is None or month in published
        records.append(figure_record(rows[value.indicator_id], month, is_published))
    return records


def linked_indicators(filters: Filters) -> list[Indicator]:
    """The indicators linked to a DfE LAIT measure, by reference: one query."""
    indicators = of_indicators(Indicator.objects.exclude(lait_measure=None), filters, "")
    return list(indicators.order_by("reference"))
