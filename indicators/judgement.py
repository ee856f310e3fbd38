"""A headline measure judged for a month: its figures, the target in force, RAG, direction
of travel and SPC, and what a viewer may see of each figure. Pure: the caller loads the
figures (``Value.objects...figures_by_indicator()``) and targets; nothing here queries.

The scorecard pages, the pack, the exports and the entry grid all judge through this one
``Row``, so a figure is judged the same way wherever it is shown.
"""

from dataclasses import dataclass
from functools import cached_property

from django.utils import timezone

from indicators import rules, spc, units
from indicators.periods import MONTH_NAMES, Month
from indicators.quarter_figures import YEAR_TO_DATE, population_for

# The SPC window: the months to the scorecard's month that the XmR limits are worked out from.
# The priority page and the pack load this many months of history, so their tables and the
# indicator page's chart see the same figures.
SPC_MONTHS = 24


@dataclass
class Row:
    """One indicator under one priority, judged for the scorecard's month."""

    priority_number: int
    indicator: object
    figures: dict  # Month -> figures.Figure
    shown_months: list
    month: Month
    target: rules.TargetSpan | None
    target_spans: list
    commentary: str = ""
    rag: rules.Rag = rules.Rag.NO_DATA
    rag_name: str = ""
    direction: rules.Direction = None
    # Published and exported views show counts below five as "x" (rules.suppression).
    suppress: bool = False
    # The population denominators (any objects with age_from, age_to, valid_from, value):
    # a rate entered without its count is suppressed by the count it implies.
    populations: tuple = ()
    # The DfE benchmarks as this row's viewer may see them (benchmarks.shown.ShownBenchmarks),
    # when the scorecard loaded them and the indicator is linked to a LAIT measure.
    benchmark: object = None

    def figure(self, month):
        return self.figures.get(month)

    def is_suppressed(self, month):
        return month in self._hidden_months

    @cached_property
    def _hidden_months(self):
        """The months a viewer sees as "x" (none when the row is not suppressed)."""
        if not self.suppress:
            return frozenset()
        unit = self.indicator.unit
        hidden = {
            month
            for month, figure in self.figures.items()
            if figure.status == rules.SUPPRESSED
            or rules.is_suppressed(
                figure.value,
                unit,
                figure.numerator,
                figure.denominator,
                denominator_in_force=self._denominator_in_force(month),
                population=self._population(month),
            )
        }
        if unit == units.COUNT and self.indicator.measure_basis == YEAR_TO_DATE:
            months = sorted(self.figures)
            marks = rules.year_to_date_suppressed(
                [self.figures[month].value for month in months],
                [month.financial_year for month in months],
            )
            hidden |= {month for month, mark in zip(months, marks, strict=True) if mark}
        return frozenset(hidden)

    def _population(self, month):
        """The number of children the indicator's rate is per 10,000 (or 1,000) of."""
        if not units.get(self.indicator.unit).is_rate:
            return None
        band = (self.indicator.population_age_from, self.indicator.population_age_to)
        if None in band:
            band = (0, 17)  # "per 10,000 children": children aged 0 to 17
        population = population_for(self.populations, *band, month)
        return population.value if population is not None else None

    def _denominator_in_force(self, month):
        """For a percentage entered without its parts, the nearest month's denominator (the
        latest at or before ``month``, else the first after): what a reader would take it to
        be, and so what its implied count is reckoned from."""
        with_parts = sorted(m for m, f in self.figures.items() if f.denominator)
        before = [m for m in with_parts if m <= month]
        nearest = before[-1] if before else (with_parts[0] if with_parts else None)
        return self.figures[nearest].denominator if nearest else None

    def possible_values(self, month):
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
            denominator=figure.denominator or self._denominator_in_force(month),
            population=self._population(month),
        )

    def judged(self, month, span):
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

    def value(self, month):
        figure = self.figures.get(month)
        return figure.value if figure else None

    def display(self, month):
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

    def revision(self, month):
        """The month's figure's latest revision after publication (``figures.Revision``), or
        None. Loaded with the figures, so marking revisions costs no query."""
        figure = self.figures.get(month)
        return figure.revision if figure is not None else None

    def revision_text(self, month):
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

    def _previous_would_disclose(self, month, previous):
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
            denominator_in_force=self._denominator_in_force(month),
            population=self._population(month),
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
    def revised_months(self):
        """The shown months whose figure was revised after publication."""
        return [month for month in self.shown_months if self.revision(month) is not None]

    @property
    def shown_figures(self):
        return [(month, self.display(month)) for month in self.shown_months]

    @property
    def current_display(self):
        return self.display(self.month)

    @property
    def target_display(self):
        return rules.describe_target(
            self.target, self.indicator.unit, self.indicator.decimal_places
        )

    @property
    def is_exception(self):
        """Red, outside its anticipated range, or moved the wrong way since last month: what
        a councillor asks about."""
        outside = self.rag in (rules.Rag.ABOVE_RANGE, rules.Rag.BELOW_RANGE)
        return (
            self.rag is rules.Rag.RED
            or outside
            or self.direction.judgement is rules.Judgement.DECLINE
        )

    @property
    def trajectory(self):
        """The trajectory in force in the row's month (a rules.TargetSpan), or None."""
        return self.target if self.target is not None and self.target.is_trajectory else None

    @cached_property
    def trajectory_progress(self):
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
    def synthetic_months(self):
        """(first, last) month of the loaded figures flagged synthetic (demonstration
        history), or None when there are none."""
        months = sorted(month for month, figure in self.figures.items() if figure.synthetic)
        return (months[0], months[-1]) if months else None

    @cached_property
    def spc(self):
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
        )

    def spc_history(self):
        """The months the SPC result covers, oldest first (``spc.Point.index`` counts them)."""
        first = self.month.plus(-(SPC_MONTHS - 1))
        return [entry for entry in self.history() if first <= entry[0] <= self.month]

    @property
    def spc_rebase_month(self):
        """The month the SPC limits are recalculated from, if it falls inside the window."""
        history = self.spc_history()
        start = self._spc_baseline_start(history)
        return history[start][0] if start else None

    def _spc_baseline_start(self, history):
        # A rebase before the window changes nothing; one after the row's month has not
        # happened yet as far as that month is concerned.
        rebase = self.indicator.spc_baseline_from
        if rebase is None:
            return 0
        start = Month.from_date(rebase)
        return next((i for i, (month, _, _) in enumerate(history) if month >= start), 0)

    def history(self):
        """Every loaded figure, oldest first, with the target in force that month."""
        months = sorted(self.figures)
        return [
            (month, self.figures[month], rules.target_for(month, self.target_spans))
            for month in months
        ]


def revision_date(revision):
    """The day a revision was made, in the council's time zone: ``3 Nov 2023``."""
    day = timezone.localtime(revision.at) if timezone.is_aware(revision.at) else revision.at
    return f"{day.day} {MONTH_NAMES[day.month - 1][:3]} {day.year}"


def judge(row):
    """Set the row's RAG, its accessible name and its direction of travel for its month."""
    row.rag, row.rag_name, row.direction = row.judged(row.month, row.target)
