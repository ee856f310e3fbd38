"""Build the scorecard for a month in a fixed number of queries.

The read side loads every figure it needs in one go, then asks ``indicators.rules`` for RAG
and direction; the same ``Scorecard`` feeds the HTML pages and the CSV export.
Queries (whatever the number of indicators or months):
  1. the headline measures (PriorityIndicator joined to Priority and Indicator)
  2. the figures for the months shown (and the charts' history, when asked for)
  3. the targets of those indicators
  4. the commentary for the month
"""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from indicators import rules, spc
from indicators.models import (
    Commentary,
    MilestoneUpdate,
    PriorityIndicator,
    PublishedMonth,
    Target,
    Value,
)
from indicators.periods import Month

# The SPC window: the months to the scorecard's month that the XmR limits are worked out from.
# The priority page and the pack load this many months of history (CHART_HISTORY_MONTHS,
# PACK_CHART_MONTHS), so their tables and the indicator page's chart see the same figures.
SPC_MONTHS = 24


@dataclass
class Figure:
    month: Month
    value: object  # Decimal or None
    status: str
    numerator: object = None
    denominator: object = None
    synthetic: bool = False


@dataclass
class Row:
    """One indicator under one priority, judged for the scorecard's month."""

    priority_number: int
    indicator: object
    figures: dict  # Month -> Figure
    shown_months: list
    month: Month
    target: rules.TargetSpan | None
    target_spans: list
    commentary: str = ""
    rag: rules.Rag = rules.Rag.NO_DATA
    rag_name: str = ""
    direction: rules.Direction = None
    # Published and exported views show counts below five as "x" (SPEC: suppression).
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


@dataclass
class PrioritySummary:
    priority: object
    rows: list = field(default_factory=list)

    def count(self, rag):
        return sum(1 for row in self.rows if row.rag is rag)

    @property
    def counts(self):
        """{"red": 3, "amber": 1, "green": 2, "monitor": 4, "no_data": 0}"""
        return {rag.value.replace(" ", "_"): self.count(rag) for rag in rules.Rag}

    @property
    def exceptions(self):
        return [row for row in self.rows if row.is_exception]


@dataclass
class Scorecard:
    month: Month
    shown_months: list
    priorities: list  # of PrioritySummary, in display order

    @property
    def rows(self):
        return [row for summary in self.priorities for row in summary.rows]


def load_scorecard(
    month,
    *,
    months_shown=3,
    history_months=0,
    priority=None,
    published_only=True,
    suppress=None,
):
    """The scorecard for ``month``: every active headline measure with its last
    ``months_shown`` figures, target, RAG, direction and the month's commentary.

    ``history_months`` loads that many months (ending at ``month``) for charts.
    ``priority`` limits it to one priority's table. ``published_only`` (what a viewer gets)
    leaves out every figure and comment of a month that is not published. ``suppress``
    (default: as ``published_only``) shows small counts as "x".
    """
    suppress = published_only if suppress is None else suppress
    shown_months = month.months_back(months_shown)
    loaded_from = month.plus(-(max(history_months, months_shown + 1) - 1))
    # The month before the first shown one is needed for the first direction of travel.
    loaded_from = min(loaded_from, shown_months[0].previous())

    links = PriorityIndicator.objects.filter(indicator__active=True).select_related(
        "priority", "indicator"
    )
    if priority is not None:
        links = links.filter(priority=priority)
    links = list(links.order_by("priority__display_order", "priority__number", "display_order"))

    figures = _figures_by_indicator(loaded_from, month, priority, published_only)
    spans = _target_spans_by_indicator(priority)
    commentary = _commentary_by_indicator(month, priority, published_only)

    summaries = {}
    for link in links:
        indicator = link.indicator
        summary = summaries.setdefault(link.priority_id, PrioritySummary(link.priority))
        indicator_spans = spans.get(indicator.id, [])
        row = Row(
            priority_number=link.priority.number,
            indicator=indicator,
            figures=figures.get(indicator.id, {}),
            shown_months=shown_months,
            month=month,
            target=rules.target_for(month, indicator_spans),
            target_spans=indicator_spans,
            commentary=commentary.get(indicator.id, ""),
            suppress=suppress,
        )
        judge(row)
        summary.rows.append(row)
    return Scorecard(month, shown_months, list(summaries.values()))


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


def _scoped(queryset, priority):
    # One priority: filter by join, so the SQL does not carry a list of ids that grows.
    if priority is not None:
        return queryset.filter(indicator__priorityindicator__priority=priority)
    return queryset.filter(indicator__active=True)


def _published(queryset, published_only):
    # A subquery, not a list of months: still one query, whatever the number of months.
    if published_only:
        return queryset.filter(period__in=PublishedMonth.objects.values("period"))
    return queryset


def _figures_by_indicator(first, last, priority, published_only):
    values = _published(_scoped(Value.objects.all(), priority), published_only).filter(
        period__gte=first.first_day, period__lte=last.first_day
    )
    result = defaultdict(dict)
    for value in values.values_list(
        "indicator_id",
        "period",
        "value",
        "status",
        "numerator",
        "denominator",
        "synthetic",
    ):
        indicator_id, period, number, status, numerator, denominator, synthetic = value
        month = Month.from_date(period)
        result[indicator_id][month] = Figure(
            month, number, status, numerator, denominator, synthetic
        )
    return result


def _target_spans_by_indicator(priority):
    result = defaultdict(list)
    for target in _scoped(Target.objects.all(), priority).order_by("valid_from"):
        result[target.indicator_id].append(target.as_rule())
    return result


def _commentary_by_indicator(month, priority, published_only):
    comments = _published(_scoped(Commentary.objects.all(), priority), published_only)
    comments = comments.filter(period=month.first_day)
    return dict(comments.values_list("indicator_id", "text"))


def grouped_commentary(rows):
    """The seed writes one comment for several indicators ("34/35; ..."): show it once."""
    grouped = {}
    for row in rows:
        if row.commentary:
            grouped.setdefault(row.commentary, []).append(row.indicator.reference)
    return [{"references": refs, "text": text} for text, refs in grouped.items()]


def available_months(published_only=True):
    """Months that have figures (published ones only, for a viewer), newest first."""
    values = _published(Value.objects.all(), published_only)
    # Periods are stored as the 1st of the month, so DISTINCT on the column is enough;
    # .dates() truncated every row's date first (80 ms at 12,000 figures on SQLite).
    periods = values.order_by("-period").values_list("period", flat=True).distinct()
    return [Month.from_date(d) for d in periods]


def milestone_updates(priority, month, published_only=True):
    updates = MilestoneUpdate.objects.filter(
        milestone__priority=priority, period=month.first_day
    ).select_related("milestone")
    return _published(updates, published_only).order_by("milestone__display_order")


@dataclass
class HistoryRecord:
    """One month of an indicator's history, judged as the scorecard would have judged it."""

    month: Month
    display: str
    fraction: str
    status_label: str
    target_display: str
    rag: rules.Rag
    rag_name: str
    direction: rules.Direction
    synthetic: bool


@dataclass
class IndicatorHistory:
    row: Row
    records: list  # newest first
    commentaries: list  # newest first
    benchmarks: list


def load_indicator_history(indicator, month=None, published_only=True, suppress=None):
    """Everything the indicator page shows, in four queries: figures, targets, commentary
    and benchmarks. ``month`` defaults to the latest month with a figure."""
    suppress = published_only if suppress is None else suppress
    figures = {}
    for value in _published(indicator.values.all(), published_only).order_by("period"):
        figures[Month.from_date(value.period)] = Figure(
            Month.from_date(value.period),
            value.value,
            value.status,
            value.numerator,
            value.denominator,
            value.synthetic,
        )
    spans = [target.as_rule() for target in indicator.targets.order_by("valid_from")]
    if month is None:
        month = max(figures) if figures else Month.current()
    row = Row(
        priority_number=0,
        indicator=indicator,
        figures={m: f for m, f in figures.items() if m <= month},
        shown_months=[month],
        month=month,
        target=rules.target_for(month, spans),
        target_spans=spans,
        suppress=suppress,
    )
    judge(row)
    records = []
    status_labels = dict(Value.Status.choices)
    for each_month, figure, span in reversed(row.history()):
        previous = row.figure(each_month.previous())
        rag = rules.rag_for_target(figure.value, span, indicator.polarity)
        records.append(
            HistoryRecord(
                month=each_month,
                display=row.display(each_month),
                fraction="" if row.is_suppressed(each_month) else _fraction(figure),
                status_label=status_labels.get(figure.status, figure.status)
                + (" (synthetic)" if figure.synthetic else ""),
                target_display=rules.format_target(
                    span.value, indicator.unit, indicator.decimal_places, span.label
                )
                if span
                else "Monitor",
                rag=rag,
                rag_name=rules.rag_accessible_name(rag, span),
                direction=rules.direction_of_travel(
                    figure.value,
                    previous.value if previous else None,
                    indicator.polarity,
                    indicator.decimal_places,
                ),
                synthetic=figure.synthetic,
            )
        )
    commentaries = list(
        _published(indicator.commentaries.all(), published_only).order_by("-period")
    )
    benchmarks = list(indicator.benchmarks.all())
    return IndicatorHistory(row, records, commentaries, benchmarks)


def _fraction(figure):
    if figure.numerator is None or figure.denominator is None:
        return ""
    return (
        f"{rules.format_number(figure.numerator, 0)}/{rules.format_number(figure.denominator, 0)}"
    )
