"""What a consortium's comparison page reads across its member councils (issue 23, part 4).

``load_comparison`` is the one function of the product that reads several councils' figures
in one request, and so the only place ``every_council`` is used for a page. Every rule of
what a council shares is applied here, in the queries themselves, before anything is
judged: only indicators a member chose to share with this consortium, only from the month it
chose, only months that member published (its own ``PublishedMonth``), never a draft;
commentary only where the member chose to share it; figures judged with suppression on
(``judge_rows``: a small count is "x" and nothing beside it narrows it). Members' indicators
are matched by their shared definition (``indicators.consortium``), never by name.

Queries (whatever the number of members, indicators or months): 1. the members (with their
councils), 2. the shared choices (with their indicators, LAIT measures and the consortium's
codes), 3. the figures, 4. the targets, 5. the shared commentary of the month, 6. the
members' populations, 7. the months any member published and shared; and, when a shared
definition is a LAIT measure, 8. DfE's England figures.
"""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q

from indicators import consortium as rules_of_consortia
from indicators import rules
from indicators.consortium import Choice, Definition, Spread
from indicators.dfe.comparators import ENGLAND
from indicators.dfe.years import year_order
from indicators.figures import Figure
from indicators.judgement import MonthLoaded, Row, judge_rows
from indicators.models import (
    Commentary,
    Consortium,
    ConsortiumMember,
    Council,
    LaitValue,
    Population,
    PublishedMonth,
    SharedIndicator,
    Target,
    Value,
)
from indicators.periods import Month
from indicators.tenancy import every_council

# The charts' months: two years to the month compared.
HISTORY_MONTHS = 24


@dataclass(frozen=True)
class MemberFigure:
    """One member's figure for a shared definition in the month: its judged row (None when
    the member does not share an indicator under it, or not yet in this month), its rank
    among the figures shown and whether it is in the definition's unit (else not ranked)."""

    council: Council
    row: Row | None
    rank: int | None = None
    comparable: bool = True

    @property
    def shown_value(self) -> Decimal | None:
        """The month's figure as a number, when a viewer is shown it (not an "x")."""
        row = self.row
        if row is None or not self.comparable or row.is_suppressed(row.month):
            return None
        figure = row.figure(row.month)
        if figure is None or figure.status in (rules.NOT_AVAILABLE, rules.SUPPRESSED):
            return None
        return figure.value


@dataclass(frozen=True)
class EnglandFigure:
    year: str
    text: str


@dataclass
class ComparedMeasure:
    """A shared definition: every member's figure, in the members' order, and the spread."""

    definition: Definition
    decimal_places: int
    figures: list[MemberFigure]
    spread: Spread
    england: EnglandFigure | None = None

    @property
    def ranked(self) -> int:
        return sum(1 for figure in self.figures if figure.rank is not None)

    def spread_text(self, value: Decimal | None) -> str:
        if value is None:
            return "No data"
        return rules.format_value(value, self.definition.unit, self.decimal_places)

    @property
    def not_sharing(self) -> list[Council]:
        """The members with no indicator shared under this definition."""
        return [figure.council for figure in self.figures if figure.row is None]

    @property
    def median_text(self) -> str:
        """ "20.5% (of 4 figures shown)"."""
        spread = self.spread
        if spread.median is None:
            return "No figure shown"
        shown = "figure" if spread.count == 1 else "figures"
        return f"{self.spread_text(spread.median)} (of {spread.count} {shown} shown)"

    @property
    def quartiles_text(self) -> str:
        """ "Lower 18.0%, upper 23.1%"."""
        spread = self.spread
        if spread.lower_quartile is None:
            return "No figure shown"
        if spread.count < 2:
            return "Not worked out from one figure"
        lower = self.spread_text(spread.lower_quartile)
        return f"Lower {lower}, upper {self.spread_text(spread.upper_quartile)}"


@dataclass
class Comparison:
    consortium: Consortium
    month: Month
    members: list[Council]
    measures: list[ComparedMeasure] = field(default_factory=list)
    months: list[Month] = field(default_factory=list)  # with shared figures, newest first


def _choices(consortium: Consortium, council_ids: Sequence[int]) -> list[SharedIndicator]:
    return list(
        SharedIndicator.objects.filter(consortium=consortium, indicator__council_id__in=council_ids)
        # A choice is matched by the consortium's code or, without one, the LAIT measure.
        .filter(Q(measure__isnull=False) | Q(indicator__lait_measure__isnull=False))
        .select_related("indicator", "indicator__lait_measure", "measure")
    )


def _definition(shared: SharedIndicator) -> Definition:
    indicator = shared.indicator
    if shared.measure is not None:
        measure = shared.measure
        return Definition(
            rules_of_consortia.CODE, measure.code, measure.name, measure.unit, measure.polarity
        )
    lait = indicator.lait_measure
    assert lait is not None  # SharedIndicator.clean: a choice without a code has a measure
    return Definition(rules_of_consortia.LAIT, lait.code, lait.title, "", lait.polarity)


def _published_and_shared(consortium, queryset):
    """Figures (or commentary) of months their council published, from the month its
    council chose to share the indicator with ``consortium``."""
    published = PublishedMonth.objects.filter(
        council_id=OuterRef("indicator__council_id"), period=OuterRef("period")
    )
    shared = SharedIndicator.objects.filter(
        consortium=consortium,
        indicator_id=OuterRef("indicator_id"),
        from_month__lte=OuterRef("period"),
    )
    return queryset.filter(Exists(published), Exists(shared))


def load_comparison(consortium: Consortium, month: Month | None = None) -> Comparison:
    """The comparison of ``consortium``'s members for ``month`` (None: the latest month with
    a shared figure), as anyone allowed to see it is shown it (the module's docstring lists
    the rules and the queries)."""
    with every_council():
        members = list(
            ConsortiumMember.objects.filter(consortium=consortium)
            .select_related("council")
            .order_by("council__name", "council__slug")
        )
        councils = [member.council for member in members]
        ids = [council.pk for council in councils]
        shared = _choices(consortium, ids)
        indicator_ids = [choice.indicator_id for choice in shared]
        months = _months(consortium, indicator_ids)
        if month is None:
            month = months[0] if months else Month.current()
        first = month.plus(-(HISTORY_MONTHS - 1))
        figures = _published_and_shared(
            consortium,
            Value.objects.filter(indicator_id__in=indicator_ids).between(first, month),
        ).figures_by_indicator()
        spans = Target.objects.filter(indicator_id__in=indicator_ids).spans_by_indicator()
        commentary = dict(
            _published_and_shared(
                consortium,
                Commentary.objects.filter(
                    indicator_id__in=[c.indicator_id for c in shared if c.share_commentary]
                ).in_month(month),
            ).values_list("indicator_id", "text")
        )
        populations: dict[int, list[Population]] = defaultdict(list)
        for population in Population.objects.filter(council_id__in=ids):
            populations[int(population.council_id or 0)].append(population)
    comparison = Comparison(consortium, month, councils, months=months)
    rows = _judged(shared, month, figures, spans, commentary, populations)
    comparison.measures = _measures(shared, councils, rows)
    _add_england(comparison.measures)
    return comparison


def _months(consortium: Consortium, indicator_ids: Sequence[int]) -> list[Month]:
    """The months, newest first, with a figure some member published and shared."""
    figures = _published_and_shared(
        consortium, Value.objects.filter(indicator_id__in=indicator_ids)
    )
    dates = figures.order_by("-period").values_list("period", flat=True).distinct()
    return [Month.from_date(date) for date in dates]


def _judged(
    shared: Sequence[SharedIndicator],
    month: Month,
    figures: Mapping[int, Mapping[Month, Figure]],
    spans: Mapping[int, Sequence[rules.TargetSpan]],
    commentary: Mapping[int, str],
    populations: Mapping[int, Sequence[Population]],
) -> dict[int, Row]:
    """{indicator id: its row}, each judged with its own council's targets and populations,
    small counts suppressed."""
    by_council: dict[int, list[SharedIndicator]] = defaultdict(list)
    for choice in shared:
        by_council[int(choice.indicator.council_id or 0)].append(choice)
    rows: dict[int, Row] = {}
    for council_id, choices in by_council.items():
        loaded = MonthLoaded(
            month=month,
            shown_months=tuple(month.months_back(HISTORY_MONTHS)),
            indicators=tuple((0, choice.indicator) for choice in choices),
            figures={c.indicator_id: figures.get(c.indicator_id, {}) for c in choices},
            target_spans=spans,
            commentary=commentary,
            populations=tuple(populations.get(council_id, ())),
            suppress=True,
        )
        rows.update({row.indicator.id: row for row in judge_rows(loaded)})
    return rows


def _measures(
    shared: Sequence[SharedIndicator], councils: Sequence[Council], rows: Mapping[int, Row]
) -> list[ComparedMeasure]:
    choices = [
        Choice(int(choice.indicator.council_id or 0), choice.indicator_id, _definition(choice))
        for choice in shared
    ]
    measures = []
    for by_council in _by_name(rules_of_consortia.matched(choices)):
        picked = sorted(by_council.values(), key=lambda c: c.indicator_id)
        indicators = [rows[choice.indicator_id].indicator for choice in picked]
        declared = picked[0].definition
        unit = declared.unit or indicators[0].unit
        polarity = rules_of_consortia.agreed_polarity(
            declared.polarity, [indicator.polarity for indicator in indicators]
        )
        definition = Definition(declared.kind, declared.code, declared.name, unit, polarity)
        member_figures = []
        for council in councils:
            choice = by_council.get(council.pk)
            row = rows.get(choice.indicator_id) if choice is not None else None
            comparable = row is None or row.indicator.unit == unit
            member_figures.append(MemberFigure(council, row, comparable=comparable))
        values = [figure.shown_value for figure in member_figures]
        ranked = rules_of_consortia.ranks(values, polarity)
        measures.append(
            ComparedMeasure(
                definition,
                max(indicator.decimal_places for indicator in indicators),
                [
                    MemberFigure(f.council, f.row, rank, f.comparable)
                    for f, rank in zip(member_figures, ranked, strict=True)
                ],
                rules_of_consortia.spread(values),
            )
        )
    return measures


def _by_name(matched):
    """The matched definitions in the order of their names (a reader looks for a name)."""
    return [
        found
        for _, found in sorted(
            matched.items(),
            key=lambda item: (next(iter(item[1].values())).definition.name.lower(), item[0]),
        )
    ]


def _add_england(measures: Sequence[ComparedMeasure]) -> None:
    """DfE's England figure, its latest year, for each measure matched by a LAIT measure."""
    codes = [m.definition.code for m in measures if m.definition.kind == rules_of_consortia.LAIT]
    if not codes:
        return
    latest: dict[str, tuple[str, float | None]] = {}
    england = LaitValue.objects.filter(measure__code__in=codes, area_code=ENGLAND).exclude(
        value__isnull=True
    )
    for code, year, value in england.values_list("measure__code", "year", "value"):
        if code not in latest or year_order(year) > year_order(latest[code][0]):
            latest[code] = (year, value)
    for measure in measures:
        found = latest.get(measure.definition.code)
        if measure.definition.kind == rules_of_consortia.LAIT and found and found[1] is not None:
            year, value = found
            text = rules.format_value(
                Decimal(repr(value)), measure.definition.unit, measure.decimal_places
            )
            measure.england = EnglandFigure(year, text)
