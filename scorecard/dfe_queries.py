"""What the read side loads of the benchmarks, in a fixed number of queries whatever the number
of indicators, measures or years. Nothing here writes.

The figures come as ``Decimal`` (from the stored double's shortest decimal form: 9.37, not
9.3699999999999992), so the read side formats them with the indicator's unit like any other
figure (``rules.format_value``).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from indicators.dfe.comparators import ENGLAND
from indicators.dfe.years import benchmark_year
from indicators.models import (
    Council,
    Indicator,
    LaitComparator,
    LaitValue,
    StatisticalNeighbour,
)


def _decimal(value):
    return None if value is None else Decimal(repr(value))


@dataclass(frozen=True)
class YearComparators:
    """The council's comparators for one year of a measure.

    ``year`` is the year as DfE writes it (``2022``); ``label`` as the committee papers
    write it for the indicator's alignment (``2021/22``), ``status`` DfE's qualifier in words
    (``revised``, ``provisional``, or blank) and ``first_day``/``last_day`` the dates it
    describes (None when the alignment gives none). Figures are ``Decimal`` or None (not
    available): ``area_value`` the council's, ``england``, ``region`` (``region_name``, e.g.
    "South West"), ``statistical_neighbours`` (the mean of ``neighbours_with_value`` of the
    ten); ``quartile`` "A" (best) to "D", or "" (no band); ``rank`` 1 (best) to
    ``authorities`` (the number of authorities with a value), or None.
    """

    year: str
    label: str
    status: str
    first_day: date | None
    last_day: date | None
    area_value: Decimal | None
    england: Decimal | None
    region: Decimal | None
    region_name: str
    statistical_neighbours: Decimal | None
    neighbours_with_value: int
    quartile: str
    rank: int | None
    authorities: int


@dataclass(frozen=True)
class IndicatorBenchmarks:
    """An indicator's LAIT benchmarks: its measure (``measure_code``, ``measure_title``), the
    council and list they are worked out for (``authority_number``, ``neighbour_list``, e.g.
    "April 2021"), every year oldest first (``years``, a tuple of ``YearComparators``) and
    the latest of them (``latest``; None when there are no years)."""

    indicator_id: int
    measure_code: str
    measure_title: str
    authority_number: int
    neighbour_list: str
    years: tuple[YearComparators, ...]
    latest: YearComparators | None


def benchmarks_for_indicators(indicator_ids: Iterable[int]) -> dict[int, IndicatorBenchmarks]:
    """``{indicator id: IndicatorBenchmarks}`` for those of ``indicator_ids`` linked to a
    LAIT measure that has stored comparators for the council as it is set now; indicators
    with no link, or no comparators, are left out. Three queries, whatever the number of
    indicators or years: the council, the indicators with their measures, the comparators.
    """
    council = Council.current()  # 1: the council and its list in force
    indicators = list(
        Indicator.objects.filter(pk__in=list(indicator_ids), lait_measure__isnull=False).only(
            "pk", "lait_years", "lait_measure"
        )
    )  # 2
    return benchmarks_for_loaded(indicators, council=council)  # 3


def benchmarks_for_loaded(
    indicators: Iterable[Indicator], council: Council | None = None
) -> dict[int, IndicatorBenchmarks]:
    """``benchmarks_for_indicators`` for indicators a page has already loaded (their
    ``lait_measure_id``, which is the measure's code, and ``lait_years``). No query when none
    of them is linked to a measure; otherwise the council (unless ``council`` is given) and
    the comparators with their measures' titles: two at most, whatever the number of
    indicators or years."""
    linked = {indicator.pk: indicator for indicator in indicators if indicator.lait_measure_id}
    if not linked:
        return {}
    council = council or Council.current()
    codes = {indicator.lait_measure_id for indicator in linked.values()}
    rows = list(
        LaitComparator.objects.filter(
            measure__code__in=codes,
            # A council with no authority number matches none (Django reads None as IS NULL).
            authority_number=council.authority_number,  # type: ignore[misc]
            neighbour_list_id=council.neighbour_list_id,
        )
        .select_related("measure")
        .only(*_COMPARATOR_FIELDS, "measure__code", "measure__title")
        .order_by("measure__code", "year_order", "year")
    )
    by_code: dict[str, list[LaitComparator]] = {}
    titles: dict[str, str] = {}
    for row in rows:
        by_code.setdefault(row.measure.code, []).append(row)
        titles[row.measure.code] = row.measure.title
    list_name = council.neighbour_list.name if council.neighbour_list is not None else ""
    result: dict[int, IndicatorBenchmarks] = {}
    for indicator in linked.values():
        code = indicator.lait_measure_id
        assert code is not None  # only the linked ones
        years = tuple(_year(row, indicator.lait_years) for row in by_code.get(code, ()))
        if not years:
            continue
        assert council.authority_number is not None  # comparators were found for it
        result[indicator.pk] = IndicatorBenchmarks(
            indicator_id=indicator.pk,
            measure_code=code,
            measure_title=titles[code],
            authority_number=council.authority_number,
            neighbour_list=list_name,
            years=years,
            latest=years[-1],
        )
    return result


_COMPARATOR_FIELDS = [
    "year",
    "year_order",
    "area_value",
    "england",
    "region",
    "region_name",
    "statistical_neighbours",
    "neighbours_with_value",
    "quartile",
    "rank",
    "authorities",
]


def _year(row, alignment):
    read = benchmark_year(row.year, alignment)
    return YearComparators(
        year=row.year,
        label=read.label,
        status=read.status,
        first_day=read.first_day,
        last_day=read.last_day,
        area_value=_decimal(row.area_value),
        england=_decimal(row.england),
        region=_decimal(row.region),
        region_name=row.region_name,
        statistical_neighbours=_decimal(row.statistical_neighbours),
        neighbours_with_value=row.neighbours_with_value,
        quartile=row.quartile,
        rank=row.rank,
        authorities=row.authorities,
    )


@dataclass(frozen=True)
class AuthorityValue:
    """One authority's published value: DfE's ``code`` (879), ``name``, ``region`` and
    ``value`` (``Decimal``); ``is_council`` and ``is_neighbour`` (in the council's list in
    force) mark the ones a chart picks out."""

    code: int
    name: str
    region: str
    value: Decimal
    is_council: bool
    is_neighbour: bool


@dataclass(frozen=True)
class Distribution:
    """Every authority's value for a measure and year, for a chart of where the council
    sits: ``authorities`` (a tuple of ``AuthorityValue``, lowest value first, authorities
    with no value left out), England's value, the statistical-neighbour mean and the
    council's band and rank (as stored), each None when not available."""

    measure_code: str
    year: str
    authorities: tuple[AuthorityValue, ...]
    england: Decimal | None
    statistical_neighbours: Decimal | None
    quartile: str
    rank: int | None


def authority_values(measure_code: str, year: str, council: Council | None = None) -> Distribution:
    """The ``Distribution`` of ``measure_code`` in ``year`` (as DfE writes it). Four queries:
    the council (none when ``council`` is given), its neighbours in the list in force, the
    measure-year's values, its stored comparators."""
    council = council or Council.current()  # 1
    neighbours = set(
        StatisticalNeighbour.objects.filter(
            neighbour_list_id=council.neighbour_list_id,
            # A council with no authority number matches none (Django reads None as IS NULL).
            authority_code=council.authority_number,  # type: ignore[misc]
        ).values_list("neighbour_code", flat=True)
    )  # 2
    rows = LaitValue.objects.filter(
        measure__code=measure_code, year=year, value__isnull=False
    ).values_list("area_code", "area_name", "region", "value")  # 3
    authorities: list[AuthorityValue] = []
    england: Decimal | None = None
    for code, name, region, value in rows:
        if code == ENGLAND:
            england = _decimal(value)
        elif region:
            authorities.append(
                AuthorityValue(
                    code=code,
                    name=name,
                    region=region,
                    value=_decimal(value),
                    is_council=code == council.authority_number,
                    is_neighbour=code in neighbours,
                )
            )
    authorities.sort(key=lambda authority: (authority.value, authority.name))
    stored = (
        LaitComparator.objects.filter(
            measure__code=measure_code,
            year=year,
            authority_number=council.authority_number,  # type: ignore[misc]
            neighbour_list_id=council.neighbour_list_id,
        )
        .only("statistical_neighbours", "quartile", "rank")
        .first()
    )  # 4
    return Distribution(
        measure_code=measure_code,
        year=year,
        authorities=tuple(authorities),
        england=england,
        statistical_neighbours=_decimal(stored.statistical_neighbours) if stored else None,
        quartile=stored.quartile if stored else "",
        rank=stored.rank if stored else None,
    )
