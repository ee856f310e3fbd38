"""A headline measure judged for a month: its figures, the target in force, RAG, direction
of travel and SPC, and what a viewer may see of each figure. Pure: the caller loads the
figures (``Value.objects...figures_by_indicator()``) and targets; nothing here queries.

The scorecard pages, the pack, the exports and the entry grid all judge through this one
``Row``, so a figure is judged the same way wherever it is shown.
"""

from dataclasses import dataclass
from functools import cached_property

from django.utils import timezone

from . import rules, spc
from .periods import MONTH_NAMES, Month

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
    # Published and exported views show counts below five as "x".
    suppress: bool = False

    def figure(self, month):
        return self.figures.get(month)

    def is_suppressed(self, month):
        figure = self.figures.get(month)
        return bool(
            self.suppress
            and figure is not None
            and rules.is_suppressed(figure.value, self.indicator.unit, figure.numerator)
        )

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
        elif self.suppress and rules.is_suppressed(
            previous.value, self.indicator.unit, previous.numerator
        ):
            was = rules.SUPPRESSED_MARK
        else:
            was = rules.format_value(
                previous.value, self.indicator.unit, self.indicator.decimal_places, previous.status
            )
        return f"Revised on {revision_date(revision)} from {was}: {revision.reason}"

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
        if self.target is None:
            return "Monitor"
        return rules.format_target(
            self.target.value,
            self.indicator.unit,
            self.indicator.decimal_places,
            self.target.label,
        )

    @property
    def is_exception(self):
        """Red, or moved the wrong way since last month: what a councillor asks about."""
        return self.rag is rules.Rag.RED or self.direction.judgement is rules.Judgement.DECLINE

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
    indicator = row.indicator
    current, previous = row.figure(row.month), row.figure(row.month.previous())
    row.rag = rules.rag_for_target(
        current.value if current else None, row.target, indicator.polarity
    )
    row.rag_name = rules.rag_accessible_name(row.rag, row.target)
    row.direction = rules.direction_of_travel(
        current.value if current else None,
        previous.value if previous else None,
        indicator.polarity,
        indicator.decimal_places,
    )
