"""A headline measure judged for a month: its figures, the target in force, RAG, direction
of travel and SPC, and what a viewer may see of each figure and of its DfE benchmarks. Pure:
the caller loads the figures (``Value.objects...figures_by_indicator()``), targets and
comparators into a ``MonthLoaded``; nothing here queries.

``judge_rows`` is the one place a ``Row`` is built: the scorecard pages, the pack, the
exports and the entry grid all take their rows from it, so a figure is judged the same way
wherever it is shown, and a new judgement is added once. A row is frozen: what is judged
from its fields (RAG, direction, SPC, what is shown as ``x``) is worked out from them on
first reading and cannot be set afterwards.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property, partial
from typing import TYPE_CHECKING

from django.utils import timezone

from indicators import rules, spc, units
from indicators.dfe import shown
from indicators.events import EventMark, marks_between, rebase_indexes
from indicators.figures import Figure, Revision
from indicators.periods import MONTH_NAMES, Month
from indicators.quarter_figures import YEAR_TO_DATE, population_for
from indicators.spc import XmR

if TYPE_CHECKING:
    from indicators.models import Indicator, Population

# The SPC window: the months to the scorecard's month that the XmR limits are worked out from.
# The priority page and the pack load this many months of history, so their tables and the
# indicator page's chart see the same figures.
SPC_MONTHS = 24

# A history entry: a month, its figure and the target in force then.
HistoryEntry = tuple[Month, Figure, rules.TargetSpan | None]


@dataclass(frozen=True)
class MonthLoaded:
    """What a page (or the entry grid) loaded for ``month``, for ``judge_rows``.

    ``indicators`` are the rows to judge, in the table's order, each as (the number of the
    priority it sits under, 0 for none; the indicator). ``figures`` and ``target_spans`` are
    by indicator id, as loaded (for a viewer, of published months only: who may see drafts
    is settled by what was loaded); ``commentary`` the month's comment by indicator id.
    ``suppress`` shows small counts as "x" (a viewer's, published or exported view).
    ``benchmarks`` are the DfE comparators by indicator id, where the page asked for them
    (``scorecard.dfe_queries``); ``every_benchmark_year`` off keeps the latest year only (a
    table's row). ``rows_from``: the first month a row holds, when earlier figures were
    loaded only because the DfE year shown describes them (whether the council's own DfE
    figure may be shown beside ours depends on them)."""

    month: Month
    shown_months: tuple[Month, ...]
    indicators: tuple[tuple[int, "Indicator"], ...]
    figures: Mapping[int, Mapping[Month, Figure]]
    target_spans: Mapping[int, Sequence[rules.TargetSpan]]
    commentary: Mapping[int, str] = field(default_factory=dict)
    populations: tuple["Population", ...] = ()
    suppress: bool = False
    benchmarks: Mapping[int, shown.LoadedBenchmarks] = field(default_factory=dict)
    every_benchmark_year: bool = True
    rows_from: Month | None = None
    # The events on each indicator's charts (``indicators.events``) by indicator id, oldest
    # first, as this viewer may see them: drawn on the charts, and those that changed the
    # process start new SPC limits.
    events: Mapping[int, Sequence[EventMark]] = field(default_factory=dict)


def judge_rows(loaded: MonthLoaded) -> tuple["Row", ...]:
    """The finished rows of ``loaded.indicators``, in their order, judged for its month."""
    month, populations = loaded.month, loaded.populations
    rows = []
    for priority_number, indicator in loaded.indicators:
        figures = {m: f for m, f in loaded.figures.get(indicator.id, {}).items() if m <= month}
        spans = tuple(loaded.target_spans.get(indicator.id, ()))
        benchmarks = loaded.benchmarks.get(indicator.id)
        benchmark = None
        if benchmarks is not None:
            # Over every month loaded, not only the row's: the DfE year shown may describe
            # months before the row's first.
            hidden = (
                months_shown_as_x(indicator, figures, populations)
                if loaded.suppress
                else frozenset()
            )
            benchmark = shown.shown_benchmarks(
                benchmarks,
                month,
                indicator.unit,
                indicator.decimal_places,
                hidden,
                population_at=partial(population_in, indicator, populations),
                every_year=loaded.every_benchmark_year,
            )
        if loaded.rows_from is not None:
            figures = {m: f for m, f in figures.items() if m >= loaded.rows_from}
        rows.append(
            Row(
                priority_number=priority_number,
                indicator=indicator,
                figures=figures,
                shown_months=loaded.shown_months,
                month=month,
                target=rules.target_for(month, spans),
                target_spans=spans,
                commentary=loaded.commentary.get(indicator.id, ""),
                suppress=loaded.suppress,
                populations=populations,
                benchmark=benchmark,
                events=tuple(m for m in loaded.events.get(indicator.id, ()) if m.month <= month),
            )
        )
    return tuple(rows)


def population_in(
    indicator: "Indicator", populations: Sequence["Population"], month: Month
) -> int | None:
    """The number of children the indicator's rate is per 10,000 (or 1,000) of in
    ``month``; None for an indicator that is not a rate, or with no population loaded."""
    if not units.get(indicator.unit).is_rate:
        return None
    age_from, age_to = indicator.population_age_from, indicator.population_age_to
    if age_from is None or age_to is None:
        age_from, age_to = 0, 17  # "per 10,000 children": children aged 0 to 17
    population = population_for(populations, age_from, age_to, month)
    return population.value if population is not None else None


def denominator_in_force(figures: Mapping[Month, Figure], month: Month) -> Decimal | None:
    """For a percentage entered without its parts, the nearest month's denominator (the
    latest at or before ``month``, else the first after): what a reader would take it to
    be, and so what its implied count is reckoned from."""
    with_parts = sorted(m for m, f in figures.items() if f.denominator)
    before = [m for m in with_parts if m <= month]
    nearest = before[-1] if before else (with_parts[0] if with_parts else None)
    return figures[nearest].denominator if nearest else None


def months_shown_as_x(
    indicator: "Indicator", figures: Mapping[Month, Figure], populations: Sequence["Population"]
) -> frozenset[Month]:
    """The months of ``figures`` a viewer who is shown small counts as "x" sees as "x"."""
    unit = indicator.unit
    hidden = {
        month
        for month, figure in figures.items()
        if figure.status == rules.SUPPRESSED
        or rules.is_suppressed(
            figure.value,
            unit,
            figure.numerator,
            figure.denominator,
            denominator_in_force=denominator_in_force(figures, month),
            population=population_in(indicator, populations, month),
        )
    }
    if unit == units.COUNT and indicator.measure_basis == YEAR_TO_DATE:
        months = sorted(figures)
        marks = rules.year_to_date_suppressed(
            [figures[month].value for month in months],
            [month.financial_year for month in months],
        )
        hidden |= {month for month, mark in zip(months, marks, strict=True) if mark}
    return frozenset(hidden)


@dataclass(frozen=True)
class Row:
    """One indicator under one priority, judged for the scorecard's month (``judge_rows``)."""

    priority_number: int
    indicator: "Indicator"
    figures: Mapping[Month, Figure]
    shown_months: tuple[Month, ...]
    month: Month
    target: rules.TargetSpan | None
    target_spans: tuple[rules.TargetSpan, ...]
    commentary: str = ""
    # Published and exported views show counts below five as "x" (rules.suppression).
    suppress: bool = False
    # The population denominators: a rate entered without its count is suppressed by the
    # count it implies.
    populations: tuple["Population", ...] = ()
    # The DfE benchmarks as this row's viewer may see them, when the page loaded them and
    # the indicator is linked to a LAIT measure.
    benchmark: shown.ShownBenchmarks | None = None
    # The events up to the row's month, oldest first (``MonthLoaded.events``).
    events: tuple[EventMark, ...] = ()

    @cached_property
    def _judged_in_month(self) -> tuple[rules.Rag, str, rules.Direction]:
        return self.judged(self.month, self.target)

    @property
    def rag(self) -> rules.Rag:
        return self._judged_in_month[0]

    @property
    def rag_name(self) -> str:
        """The RAG's accessible name: "Amber: within 15% of target"."""
        return self._judged_in_month[1]

    @property
    def direction(self) -> rules.Direction:
        return self._judged_in_month[2]

    def figure(self, month: Month) -> Figure | None:
        return self.figures.get(month)

    def is_suppressed(self, month: Month) -> bool:
        return month in self._hidden_months

    @cached_property
    def _hidden_months(self) -> frozenset[Month]:
        """The months a viewer sees as "x" (none when the row is not suppressed)."""
        if not self.suppress:
            return frozenset()
        return months_shown_as_x(self.indicator, self.figures, self.populations)

    def population_in(self, month: Month) -> int | None:
        """The number of children the indicator's rate is per 10,000 (or 1,000) of."""
        return population_in(self.indicator, self.populations, month)

    def possible_values(self, month: Month) -> Sequence[Decimal | None] | None:
        """What a viewer must reckon the month's figure could be: the figure itself when it
        is shown; the values an "x" could stand for when it is not; None when those cannot
        be listed. [None] when there is no figure."""
        figure = self.figures.get(month)
        if figure is None:
            return [None]
        if not self.is_suppressed(month):
            return [figure.value]
        if figure.status != rules.SUPPRESSED and self.indicator.measure_basis == YEAR_TO_DATE:
            return None  # a year-to-date "x" stands for the shown month before plus 1 to 4
        return rules.possible_values(
            self.indicator.unit,
            denominator=figure.denominator or denominator_in_force(self.figures, month),
            population=self.population_in(month),
        )

    def judged(
        self, month: Month, span: rules.TargetSpan | None
    ) -> tuple[rules.Rag, str, rules.Direction]:
        """(RAG, its accessible name, direction of travel) for ``month`` against ``span``,
        as a viewer may see them: beside an "x", only what every value the "x" could stand
        for shares (rules.same_for_every); otherwise "Suppressed"."""
        indicator = self.indicator
        current = self.possible_values(month)
        rag = rules.same_for_every(
            lambda value: rules.rag_for_target(value, span, indicator.polarity),
            [current],
            rules.Rag.SUPPRESSED,
        )
        direction = rules.same_for_every(
            lambda now, before: rules.direction_of_travel(
                now, before, indicator.polarity, indicator.decimal_places
            ),
            [current, self.possible_values(month.previous())],
            rules.SUPPRESSED_DIRECTION,
        )
        return rag, rules.rag_accessible_name(rag, span), direction

    def value(self, month: Month) -> Decimal | None:
        figure = self.figures.get(month)
        return figure.value if figure else None

    def display(self, month: Month) -> str:
        figure = self.figures.get(month)
        if figure is None:
            return "No data"
        if self.is_suppressed(month):
            return rules.SUPPRESSED_MARK
        return rules.format_value(
            figure.value,
            self.indicator.unit,
            self.indicator.decimal_places,
            figure.status,
        )

    def revision(self, month: Month) -> Revision | None:
        """The month's figure's latest revision after publication (``figures.Revision``), or
        None. Loaded with the figures, so marking revisions costs no query."""
        figure = self.figures.get(month)
        return figure.revision if figure is not None else None

    def revision_text(self, month: Month) -> str:
        """``Revised on 3 Nov 2023 from 57.0%: <reason>``, the previous figure shown as a
        viewer may see it (``x`` for a small count); "" when it was not revised."""
        revision = self.revision(month)
        if revision is None:
            return ""
        previous = revision.previous
        if previous is None:
            was = "no figure"
        elif self.suppress and self._previous_would_disclose(month, previous):
            was = rules.SUPPRESSED_MARK
        else:
            was = rules.format_value(
                previous.value, self.indicator.unit, self.indicator.decimal_places, previous.status
            )
        return f"Revised on {revision_date(revision)} from {was}: {revision.reason}"

    def _previous_would_disclose(self, month: Month, previous: Figure) -> bool:
        """A revised figure's previous value is an "x" when it is a small count itself (by
        the same rule as every figure), when the figure now is one, or when the two differ by
        a small count (10 revised to 13 says three children were added)."""
        unit = self.indicator.unit
        if previous.status == rules.SUPPRESSED or self.is_suppressed(month):
            return True
        if rules.is_suppressed(
            previous.value,
            unit,
            previous.numerator,
            previous.denominator,
            denominator_in_force=denominator_in_force(self.figures, month),
            population=self.population_in(month),
        ):
            return True
        current = self.figures[month]
        return (
            unit == units.COUNT
            and previous.value is not None
            and current.value is not None
            and rules.is_suppressed(abs(current.value - previous.value), unit)
        )

    @property
    def revised_months(self) -> list[Month]:
        """The shown months whose figure was revised after publication."""
        return [month for month in self.shown_months if self.revision(month) is not None]

    @property
    def shown_figures(self) -> list[tuple[Month, str]]:
        return [(month, self.display(month)) for month in self.shown_months]

    @property
    def current_display(self) -> str:
        return self.display(self.month)

    @property
    def target_display(self) -> str:
        return rules.describe_target(
            self.target, self.indicator.unit, self.indicator.decimal_places
        )

    @property
    def is_exception(self) -> bool:
        """Red, outside its anticipated range, or moved the wrong way since last month: what
        a councillor asks about."""
        outside = self.rag in (rules.Rag.ABOVE_RANGE, rules.Rag.BELOW_RANGE)
        return (
            self.rag is rules.Rag.RED
            or outside
            or self.direction.judgement is rules.Judgement.DECLINE
        )

    @property
    def trajectory(self) -> rules.TargetSpan | None:
        """The trajectory in force in the row's month (a rules.TargetSpan), or None."""
        return self.target if self.target is not None and self.target.is_trajectory else None

    @cached_property
    def trajectory_progress(self) -> rules.TrajectoryProgress | None:
        """Whether the month's figure is on track for the trajectory's goal
        (rules.trajectory_progress), or None with no trajectory in force. Beside an "x" the
        progress is only what every value the "x" could stand for shares."""
        span = self.trajectory
        if span is None:
            return None
        indicator = self.indicator
        progress = rules.same_for_every(
            lambda value: rules.trajectory_progress(
                value,
                self.month,
                span,
                indicator.polarity,
                indicator.unit,
                indicator.decimal_places,
            ),
            [self.possible_values(self.month)],
            None,
        )
        if progress is None:
            return rules.TrajectoryProgress(
                None, "Suppressed", "Not judged against the trajectory beside an x."
            )
        return progress

    @property
    def synthetic_months(self) -> tuple[Month, Month] | None:
        """(first, last) month of the loaded figures flagged synthetic (demonstration
        history), or None when there are none."""
        months = sorted(month for month, figure in self.figures.items() if figure.synthetic)
        return (months[0], months[-1]) if months else None

    @cached_property
    def spc(self) -> XmR | None:
        """The XmR analysis (``indicators.spc``) of the ``SPC_MONTHS`` months to the row's
        month, or None with fewer than 12 figures. The headline table's variation and
        assurance (on the page and in the pack) and the indicator page's XmR chart all read
        this one result over the same window, whatever else each page loaded, so they always
        agree. Suppressed figures are left out (a point would give the count away); the
        synthetic demonstration history is in, as it is in the charts."""
        history = self.spc_history()
        values = [None if self.is_suppressed(m) else f.value for m, f, _ in history]
        return spc.xmr(
            values,
            polarity=self.indicator.polarity,
            target=self.target.value if self.target else None,
            baseline_start=self._spc_baseline_start(history),
            rebases=rebase_indexes([m for m, _, _ in history], self.events),
        )

    def spc_history(self) -> list[HistoryEntry]:
        """The months the SPC result covers, oldest first (``spc.Point.index`` counts them)."""
        first = self.month.plus(-(SPC_MONTHS - 1))
        return [entry for entry in self.history() if first <= entry[0] <= self.month]

    @property
    def spc_rebase_month(self) -> Month | None:
        """The month the SPC limits are recalculated from, if it falls inside the window: the
        latest event that changed the process, else the indicator's baseline."""
        history = self.spc_history()
        result = self.spc
        if result is not None and result.rebased:
            return history[result.segments[-1].start][0]
        start = self._spc_baseline_start(history)
        return history[start][0] if start else None

    def chart_events(self, first: Month | None = None) -> list[EventMark]:
        """The events a chart of the row's figures from ``first`` (default: the first
        loaded) to the row's month draws, oldest first."""
        months = sorted(self.figures)
        start = first or (months[0] if months else self.month)
        return marks_between(self.events, start, self.month)

    def _spc_baseline_start(self, history: Sequence[HistoryEntry]) -> int:
        # A rebase before the window changes nothing; one after the row's month has not
        # happened yet as far as that month is concerned.
        rebase = self.indicator.spc_baseline_from
        if rebase is None:
            return 0
        start = Month.from_date(rebase)
        return next((i for i, (month, _, _) in enumerate(history) if month >= start), 0)

    def history(self) -> list[HistoryEntry]:
        """Every loaded figure, oldest first, with the target in force that month."""
        months = sorted(self.figures)
        return [
            (month, self.figures[month], rules.target_for(month, self.target_spans))
            for month in months
        ]


def revision_date(revision: Revision) -> str:
    """The day a revision was made, in the council's time zone: ``3 Nov 2023``."""
    day = timezone.localtime(revision.at) if timezone.is_aware(revision.at) else revision.at
    return f"{day.day} {MONTH_NAMES[day.month - 1][:3]} {day.year}"
