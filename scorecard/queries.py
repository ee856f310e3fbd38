"""Loading what the read side shows, in a fixed number of queries whatever the data's size.

The scorecard of a month, an indicator's history and the quarterly report are each loaded in
a handful of queries built from the models' QuerySet methods (``for_scorecard``,
``published``, ``between``), then judged by ``indicators.judgement.judge_rows`` and built by
pure code (``quarterly_report``). The same loaded objects feed the HTML pages, the pack and
the exports.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TypedDict

from django.db.models import Q, QuerySet

from indicators import rules
from indicators.dfe import shown
from indicators.events import EventMark, letter
from indicators.judgement import MonthLoaded, Row, judge_rows
from indicators.models import (
    AnnualFigure,
    Benchmark,
    Commentary,
    Council,
    Event,
    Indicator,
    MilestoneUpdate,
    Population,
    Priority,
    PriorityIndicator,
    PriorityStatus,
    Progress,
    ReportSection,
    Target,
    Value,
)
from indicators.numbers import format_number
from indicators.periods import Month, Quarter
from indicators.published import published_months
from indicators.rules import TargetSpan
from scorecard import quarterly_report
from scorecard.dfe_queries import Distribution, authority_values, benchmarks_for_loaded
from scorecard.key import KeyEntry, KeySection, key_sections, populations_in_force


def _visible(queryset, published_only):
    return queryset.published() if published_only else queryset


# The scorecard of a month -----------------------------------------------------------------
class CommentGroup(TypedDict):
    """One comment and the references of the indicators it was written for."""

    references: list[str]
    text: str


class RevisionNote(TypedDict):
    """A shown figure revised after its month was published, for the list under a table."""

    reference: str
    month: Month
    text: str


@dataclass
class PrioritySummary:
    priority: Priority
    rows: list[Row] = field(default_factory=list)

    def count(self, rag: rules.Rag) -> int:
        return sum(1 for row in self.rows if row.rag is rag)

    @property
    def counts(self) -> dict[str, int]:
        """{"red": 3, "amber": 1, "green": 2, "monitor": 4, "no_data": 0}, and "suppressed"
        where a row's RAG is not shown beside an "x"."""
        counts = {rag.value.replace(" ", "_"): self.count(rag) for rag in rules.Rag}
        if not counts["suppressed"]:
            del counts["suppressed"]
        # Against an anticipated range: counted where a row has one (partials/rag_counts).
        ranges = [rag.value.replace(" ", "_") for rag in rules.RANGE_RAGS]
        if not any(counts[name] for name in ranges):
            for name in ranges:
                del counts[name]
        return counts

    @property
    def exceptions(self) -> list[Row]:
        return [row for row in self.rows if row.is_exception]

    @property
    def exception_commentary(self) -> list[CommentGroup]:
        """The month's commentary on the exceptions, each comment once (grouped_commentary)."""
        return grouped_commentary(self.exceptions)


@dataclass
class Scorecard:
    month: Month
    shown_months: list[Month]
    priorities: list[PrioritySummary]  # in display order
    populations: list[Population] = field(default_factory=list)
    # The published months, loaded for an editor (who sees drafts); None for a viewer.
    published: set[Month] | None = None

    @property
    def draft_months(self) -> list[Month]:
        """The months shown that are not published (an editor's view only), oldest first."""
        if self.published is None:
            return []
        return [month for month in self.shown_months if month not in self.published]

    @property
    def key(self) -> list[KeySection]:
        key = key_for(self.month, self.populations, [row.target_spans for row in self.rows])
        return key + targets_in_full(self.rows)

    @property
    def has_unrated_suppressed(self) -> bool:
        """Some row's RAG is not shown beside its "x": the counts need a column for them."""
        return any(row.rag is rules.Rag.SUPPRESSED for row in self.rows)

    @property
    def has_ranges(self) -> bool:
        """Some row is judged against an anticipated range: the counts need its columns."""
        return any(row.rag.is_range for row in self.rows)

    @property
    def rows(self) -> list[Row]:
        return [row for summary in self.priorities for row in summary.rows]


def load_scorecard(
    month: Month,
    *,
    months_shown: int = 3,
    history_months: int = 0,
    priority: Priority | None = None,
    published_only: bool = True,
    suppress: bool | None = None,
    published: set[Month] | None = None,
    benchmarks: bool = True,
) -> Scorecard:
    """The scorecard for ``month``: every active headline measure with its last
    ``months_shown`` figures, target, RAG, direction and the month's commentary.

    ``history_months`` loads that many months (ending at ``month``) for charts.
    ``priority`` limits it to one priority's table. ``published_only`` (what a viewer gets)
    leaves out every figure and comment of a month that is not published. ``suppress``
    (default: as ``published_only``) shows small counts as "x". ``published``: the published
    months, when the caller has them (an editor's view reads them otherwise).

    Queries: 1. the headline measures (PriorityIndicator joined to Priority and Indicator),
    2. the figures for the months shown and the charts' history, 3. the targets of those
    indicators, 4. the commentary for the month, 5. the populations (rates' implied counts,
    and the key), 6. the events on the charts (and their SPC rebases); and for an editor
    (``published_only`` off), 7. the published months (what is marked draft). With
    ``benchmarks`` (each row's DfE comparators, ``row.benchmark``), when an indicator is
    linked to a LAIT measure: the council and its comparators (``benchmarks_for_loaded``),
    before the figures.
    """
    suppress = published_only if suppress is None else suppress
    shown_months = month.months_back(months_shown)
    loaded_from = month.plus(-(max(history_months, months_shown + 1) - 1))
    # The month before the first shown one is needed for the first direction of travel.
    loaded_from = min(loaded_from, shown_months[0].previous())

    links = list(PriorityIndicator.objects.for_scorecard(priority))
    lait = benchmarks_for_loaded([link.indicator for link in links]) if benchmarks else {}
    # The DfE year shown may describe months before the charts' history: whether the
    # council's own DfE figure may be shown beside ours depends on them (benchmarks.shown).
    needed = [shown.first_month_needed(found, month) for found in lait.values()]
    figures_from = min([loaded_from, *[first for first in needed if first]])
    figures = _visible(
        Value.objects.for_scorecard(priority).between(figures_from, month), published_only
    ).figures_by_indicator()
    spans = Target.objects.for_scorecard(priority).spans_by_indicator()
    commentary = dict(
        _visible(
            Commentary.objects.for_scorecard(priority).in_month(month), published_only
        ).values_list("indicator_id", "text")
    )
    populations = list(Population.objects.all())
    events = _visible(Event.objects.all(), published_only).marks_by_indicator(month)
    if published_only:
        published = None
    elif published is None:
        published = published_months()

    rows = judge_rows(
        MonthLoaded(
            month=month,
            shown_months=tuple(shown_months),
            indicators=tuple((link.priority.number, link.indicator) for link in links),
            figures=figures,
            target_spans=spans,
            commentary=commentary,
            populations=tuple(populations),
            suppress=suppress,
            benchmarks=lait,
            every_benchmark_year=False,
            rows_from=loaded_from,
            events=events,
        )
    )
    summaries: dict[int, PrioritySummary] = {}
    for link, row in zip(links, rows, strict=True):
        summaries.setdefault(link.priority_id, PrioritySummary(link.priority)).rows.append(row)
    return Scorecard(month, shown_months, list(summaries.values()), populations, published)


def targets_in_full(rows: Iterable[Row]) -> list[KeySection]:
    """The key's section giving in full each target the tables print short
    (``rules.short_target``: ``850-1,000 (range)``); none when every target fits."""
    entries = []
    for row in rows:
        unit, places = row.indicator.unit, row.indicator.decimal_places
        short = rules.short_target(row.target, unit, places)
        if short != row.target_display:
            entries.append(KeyEntry(f"{row.indicator.reference}: {short}", row.target_display))
    return [KeySection("Targets written short in the tables", entries)] if entries else []


def key_for(
    month: Month,
    populations: Iterable[Population],
    target_spans: Iterable[Iterable[TargetSpan]],
) -> list[KeySection]:
    """The key (``scorecard.key``) with the populations in force in ``month`` (from a
    loaded scorecard or history: no query); trajectories and ranges explained only when one
    of the rows' ``target_spans`` is one (the charts draw every span, so not only the
    month's)."""
    moving = any(span.is_trajectory or span.is_range for spans in target_spans for span in spans)
    return key_sections(populations_in_force(populations, month), moving_targets=moving)


def grouped_commentary(rows: Iterable[Row]) -> list[CommentGroup]:
    """The seed writes one comment for several indicators ("34/35; ..."): show it once."""
    grouped: dict[str, list[str]] = {}
    for row in rows:
        if row.commentary:
            grouped.setdefault(row.commentary, []).append(row.indicator.reference)
    return [{"references": refs, "text": text} for text, refs in grouped.items()]


def revisions(rows: Iterable[Row]) -> list[RevisionNote]:
    """The shown figures of ``rows`` revised after their month was published, in the table's
    order: [{"reference", "month", "text"}], for the list under a headline measures table."""
    return [
        {"reference": row.indicator.reference, "month": month, "text": row.revision_text(month)}
        for row in rows
        for month in row.revised_months
    ]


def available_months(published_only: bool = True) -> list[Month]:
    """Months that have figures (published ones only, for a viewer), newest first."""
    return _visible(Value.objects.all(), published_only).months()


def milestone_updates(
    priority: Priority, month: Month, published_only: bool = True
) -> QuerySet[MilestoneUpdate]:
    """One priority's milestone updates for the month, in the table's order: one query."""
    updates = MilestoneUpdate.objects.filter(milestone__priority=priority).in_month(month)
    updates = _visible(updates.select_related("milestone"), published_only)
    return updates.order_by("milestone__display_order")


@dataclass(frozen=True)
class PriorityStatusPair:
    """A priority's RAG status in the month and the month before (indicators.models.Progress;
    "Not stated" where none was set, or where a viewer may not see the month yet)."""

    month: Month
    previous: Progress
    current: Progress

    @property
    def previous_month(self) -> Month:
        return self.month.previous()


def priority_status(
    priority: Priority, month: Month, published_only: bool = True
) -> PriorityStatusPair:
    """The priority's status this month and last: one query."""
    months = [month.first_day, month.previous().first_day]
    statuses = PriorityStatus.objects.filter(priority=priority, period__in=months)
    found = {status.period: status.progress for status in _visible(statuses, published_only)}
    return _status_pair(month, found)


def priority_statuses(month: Month, published_only: bool = True) -> dict[int, PriorityStatusPair]:
    """{priority id: its status this month and last} for every priority with one set (the
    pack): one query. A priority with none is "Not stated" both months (``no_status``)."""
    months = [month.first_day, month.previous().first_day]
    statuses = _visible(PriorityStatus.objects.filter(period__in=months), published_only)
    found: dict[int, dict[date, str]] = {}
    for status in statuses:
        found.setdefault(status.priority_id, {})[status.period] = status.progress
    return {priority_id: _status_pair(month, by_month) for priority_id, by_month in found.items()}


def no_status(month: Month) -> PriorityStatusPair:
    """A priority's status pair when none was set for the month or the month before."""
    return _status_pair(month, {})


def _status_pair(month: Month, by_month: Mapping[date, str]) -> PriorityStatusPair:
    return PriorityStatusPair(
        month=month,
        previous=Progress(by_month.get(month.previous().first_day, Progress.NOT_STATED)),
        current=Progress(by_month.get(month.first_day, Progress.NOT_STATED)),
    )


def milestone_updates_by_priority(
    month: Month, published_only: bool = True
) -> dict[int, list[MilestoneUpdate]]:
    """{priority id: [updates]} for every priority at once (the pack): one query."""
    updates = _visible(MilestoneUpdate.objects.in_month(month), published_only)
    by_priority: dict[int, list[MilestoneUpdate]] = {}
    for update in updates.select_related("milestone").order_by("milestone__display_order"):
        by_priority.setdefault(update.milestone.priority_id, []).append(update)
    return by_priority


# An indicator's history -------------------------------------------------------------------
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
    draft: bool = False  # a month not yet published (an editor's view only)
    revision_text: str = ""  # "Revised on 3 Nov 2023 from 57.0%: ..." after publication


@dataclass
class IndicatorHistory:
    row: Row
    records: list[HistoryRecord]  # newest first
    commentaries: list[Commentary]  # newest first
    benchmarks: list[Benchmark]
    # Every authority's DfE value for the year row.benchmark shows (the indicator page's
    # chart), when asked for and the indicator is linked.
    distribution: Distribution | None = None
    # The events on the indicator's charts this viewer may see, oldest first (the page lists
    # them; the row carries those up to its month for the charts and SPC).
    events: list[EventMark] = field(default_factory=list)

    @property
    def lettered_events(self) -> list[tuple[str, EventMark]]:
        """The events with the letter the charts draw them with ("" for one after the row's
        month, which no chart reaches yet)."""
        drawn = len(self.row.events)
        return [
            (letter(index) if index < drawn else "", mark) for index, mark in enumerate(self.events)
        ]

    @property
    def draft_months(self) -> list[Month]:
        return [record.month for record in reversed(self.records) if record.draft]

    @property
    def key(self) -> list[KeySection]:
        return key_for(self.row.month, self.row.populations, [self.row.target_spans])


def indicator_events(indicator: Indicator, published_only: bool) -> dict[int, list[EventMark]]:
    """The events on ``indicator``'s charts, its own and its priorities', as
    ``MonthLoaded.events`` takes them (a viewer: published months only). One query."""
    events = Event.objects.filter(
        Q(indicator=indicator) | Q(priority__priorityindicator__indicator=indicator)
    )
    return _visible(events, published_only).marks_by_indicator()


def load_indicator_history(
    indicator: Indicator,
    month: Month | None = None,
    published_only: bool = True,
    suppress: bool | None = None,
    distribution: bool = False,
) -> IndicatorHistory:
    """Everything the indicator page shows, in six queries: figures, targets, commentary,
    benchmarks, populations and events (and, for an editor, the published months, for the draft
    marks). ``month`` defaults to the latest month with a figure. An indicator linked to a
    LAIT measure also reads the council and its comparators (``row.benchmark``) and, with
    ``distribution``, the neighbours, every authority's value for the year shown and its
    stored comparators (``authority_values``)."""
    suppress = published_only if suppress is None else suppress
    values = _visible(Value.objects.filter(indicator=indicator), published_only)
    figures = values.figures_by_indicator().get(indicator.id, {})
    spans = Target.objects.filter(indicator=indicator).spans_by_indicator().get(indicator.id, [])
    if month is None:
        month = max(figures) if figures else Month.current()
    council = Council.current() if indicator.lait_measure_id else None
    events = indicator_events(indicator, published_only)
    (row,) = judge_rows(
        MonthLoaded(
            month=month,
            shown_months=(month,),
            indicators=((0, indicator),),
            figures={indicator.id: figures},
            target_spans={indicator.id: spans},
            populations=tuple(Population.objects.all()),
            suppress=suppress,
            benchmarks=benchmarks_for_loaded([indicator], council=council),
            events=events,
        )
    )
    spread: Distribution | None = None
    if distribution and row.benchmark is not None:
        year = row.benchmark.latest.year.year
        spread = authority_values(row.benchmark.measure_code, year, council=council)
    published = None if published_only else published_months()
    records = [_history_record(row, *entry, published) for entry in reversed(row.history())]
    commentaries = list(_visible(indicator.commentaries.all(), published_only).order_by("-period"))
    return IndicatorHistory(
        row,
        records,
        commentaries,
        list(indicator.benchmarks.all()),
        distribution=spread,
        events=events.get(indicator.id, []),
    )


_STATUS_LABELS = dict(Value.Status.choices)


def _history_record(row, month, figure, span, published=None):
    indicator = row.indicator
    draft = published is not None and month not in published
    rag, rag_name, direction = row.judged(month, span)
    target_display = rules.describe_target(span, indicator.unit, indicator.decimal_places)
    return HistoryRecord(
        month=month,
        display=row.display(month),
        fraction="" if row.is_suppressed(month) else _fraction(figure),
        status_label=_STATUS_LABELS.get(figure.status, figure.status)
        + (" (synthetic)" if figure.synthetic else "")
        + (" (draft: not published)" if draft else ""),
        target_display=target_display,
        rag=rag,
        rag_name=rag_name,
        direction=direction,
        synthetic=figure.synthetic,
        draft=draft,
        revision_text=row.revision_text(month),
    )


def _fraction(figure):
    if figure.numerator is None or figure.denominator is None:
        return ""
    return f"{format_number(figure.numerator, 0)}/{format_number(figure.denominator, 0)}"


# The quarterly report ---------------------------------------------------------------------
def _report_indicators():
    return Indicator.objects.active().exclude(report_section="")


def _figures_of_report():
    """The filter for rows of the report and the counts their rates are worked out from."""
    rows = _report_indicators()
    return Q(indicator__in=rows.values("pk")) | Q(
        indicator__in=rows.exclude(rate_of=None).values("rate_of")
    )


def available_quarters(published_only: bool = True) -> list[Quarter]:
    """Quarters with real (not synthetic) figures for the report's rows, newest first."""
    values = Value.objects.filter(_figures_of_report(), synthetic=False)
    found: list[Quarter] = []
    for month in _visible(values, published_only).months():
        if month.quarter not in found:
            found.append(month.quarter)
    return found


def load_quarterly_report(
    quarter: Quarter, published_only: bool = True
) -> quarterly_report.QuarterlyReport:
    """Every table of the report for ``quarter``, in a fixed number of queries: the rows,
    the tables' own columns, the yearly figures, the benchmarks, the quarter's monthly
    figures, the populations, and the quarters there are figures for; and, when a row is
    linked to a DfE LAIT measure, the council and its comparators. Viewers see published
    months only; synthetic demonstration figures are never read."""
    indicators = list(
        _report_indicators()
        .select_related("rate_of")
        .order_by("report_section", "report_order", "reference")
    )
    layouts = {
        layout.title: layout for layout in ReportSection.objects.filter(quarter=quarter.label)
    }
    year_labels = quarterly_report.year_labels(quarter, layouts.values())
    annual: dict[int, dict[str, AnnualFigure]] = {}
    for figure in AnnualFigure.objects.filter(_figures_of_report(), year_label__in=year_labels):
        annual.setdefault(figure.indicator_id, {})[figure.year_label] = figure
    benchmarks: dict[int, list[Benchmark]] = {}
    for benchmark in Benchmark.objects.filter(indicator__in=_report_indicators().values("pk")):
        benchmarks.setdefault(benchmark.indicator_id, []).append(benchmark)
    lait = benchmarks_for_loaded(indicators)
    # The previous years' months too: a year's total is withheld when a month of it is.
    first = quarterly_report.first_month_shown(quarter)
    values = Value.objects.filter(_figures_of_report(), synthetic=False)
    monthly = _visible(values.between(first, quarter.months[-1]), published_only)
    monthly = monthly.figures_by_indicator()
    return quarterly_report.build(
        quarter,
        indicators=indicators,
        annual=annual,
        monthly=monthly,
        populations=list(Population.objects.all()),
        layouts=layouts,
        benchmarks=benchmarks,
        quarters=available_quarters(published_only),
        lait=lait,
    )
