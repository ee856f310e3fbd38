"""The quarterly report's cells and headings in words: how a figure, a benchmark and a
column heading are printed, and how benchmark periods are ordered. Pure helpers of
``quarterly_report``; the report prints rates bare ("599.0") and points with their word
("48.5 points"), as the paper does.
"""

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING

from indicators import rules, units
from indicators.figures import FigureLike
from indicators.models import Benchmark, Indicator
from indicators.numbers import format_number

if TYPE_CHECKING:
    from scorecard.quarterly_report import PublishedBenchmark

NOT_BENCHMARKED = "Not benchmarked"
# The comparators every table has a column for; a region gets a column (headed by its name,
# e.g. "South West") in a table where a row has one.
FIXED_COMPARATORS = [
    (Benchmark.Comparator.ENGLAND, "England"),
    (Benchmark.Comparator.STATISTICAL_NEIGHBOURS, "Statistical Neighbours"),
]
COMPARATOR_HEADINGS: dict[str, str] = dict(FIXED_COMPARATORS)

# A comparator column's key: the comparator, and for a region its name too.
ComparatorKey = str | tuple[str, str]


def period_key(label: str) -> int:
    """Order benchmark periods: '2021/22', 'Q4 2022/23', 'Sept 2023', '22/23 prov.'."""
    match = re.search(r"(\d{4})/\d{2}", label)
    if match:
        return int(match.group(1))
    match = re.search(r"\b(\d{2})/\d{2}\b", label)
    if match:
        return 2000 + int(match.group(1))
    match = re.search(r"\b(\d{4})\b", label)
    return int(match.group(1)) if match else 0


def ref_label(reference: str) -> str:
    """The seed's Ref column: Q5a -> '5', E3 -> '3'; shown on the first row of a run only."""
    match = re.match(r"^[QE]?(\d+)", reference)
    return match.group(1) if match else reference


def report_figure_text(datum: FigureLike, unit: str, places: int) -> str:
    """A figure as the quarterly report prints it (rates bare, points named)."""
    if datum.status == rules.NOT_AVAILABLE:
        return "Not available"
    if datum.value is None:
        return "No data"
    if unit in units.RATES:
        # The report prints rates bare ("599.0"), not with the scorecard's "r".
        text = format_number(datum.value, places)
    else:
        text = rules.format_value(datum.value, unit, places, datum.status)
        if unit == units.POINTS and datum.status != rules.SUPPRESSED:
            text += " points"  # the report prints "48.5 points"
    if datum.numerator is not None and datum.denominator is not None:
        text += f" ({format_number(datum.numerator, 0)}/{format_number(datum.denominator, 0)})"
    elif datum.numerator is not None and unit not in units.RATES:
        text += f" ({format_number(datum.numerator, 0)})"
    return text


def benchmark_text(
    benchmark: "Benchmark | PublishedBenchmark | None",
    indicator: Indicator,
    with_period: bool = True,
    missing: str = NOT_BENCHMARKED,
) -> str:
    if benchmark is None:
        return missing
    text = report_figure_text(_Value(benchmark.value), indicator.unit, indicator.decimal_places)
    return f"{text} ({benchmark.period_label})" if with_period else text


def comparator_key(comparator: str, name: str = "") -> ComparatorKey:
    if comparator == Benchmark.Comparator.REGION:
        return (comparator, name or "Region")
    return comparator


def comparator_heading(column: Mapping[str, str]) -> str:
    """A ReportSection comparator's heading: 'South West', 'England (Autumn ... 2022/23)'."""
    heading = column.get("name") or COMPARATOR_HEADINGS.get(column["comparator"], "Region")
    return f"{heading} ({column['period']})" if column.get("period") else heading


def layout_benchmark(
    column: Mapping[str, str],
    own: Iterable[Benchmark],
    latest: Mapping[ComparatorKey, Benchmark],
) -> Benchmark | None:
    """A ReportSection comparator column's benchmark: the one for its named period, or the
    latest (``latest``, per comparator key) when the column names none."""
    key = comparator_key(column["comparator"], column.get("name", ""))
    period = column.get("period")
    if not period:
        return latest.get(key)
    for benchmark in own:
        same = comparator_key(benchmark.comparator, benchmark.comparator_name) == key
        if same and benchmark.period_label == period:
            return benchmark
    return None


class _Value:
    """A benchmark's figure as ``report_figure_text`` reads one (a bare value, actual)."""

    def __init__(self, value: Decimal | None) -> None:

        self.value = value
        self.numerator = self.denominator = None
        self.status = rules.ACTUAL
