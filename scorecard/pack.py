"""The committee pack: the same scorecard, tables, partials and Plotly figures as the web
pages, laid out for A4 landscape and printed by Chromium (scorecard.pdf)."""

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import django_tables2 as tables
from django.template.loader import render_to_string
from django.utils import timezone
from django_tables2.columns import BoundColumn

from indicators.judgement import SPC_MONTHS, Row
from indicators.models import Council, Priority
from indicators.periods import Month, month_range
from indicators.published import publications
from scorecard import charts, glance, meeting_actions, queries
from scorecard.charts import Chart, PlotlyFigure
from scorecard.glance_charts import glance_charts
from scorecard.meeting_actions import ACTIONS_TITLE
from scorecard.pdf import content_size, renderer
from scorecard.since_committee import since_committee
from scorecard.tables import HeadlineMeasuresTable, spc_words

# The pack prints at 90%: the type sizes councillors know from its first editions (Chromium
# shrank those to fit because their charts ran past the page; now nothing does).
PACK_SCALE = 0.9
# The charts' grid (pack.css .pack-charts): three across with this gap, at most three rows to a
# page; each chart this tall (pixels at 96 per inch). A chart is drawn at its cell's width, so
# it never runs into its neighbour or off the page.
CHART_COLUMNS, CHART_GAP_MM, CHART_ROWS_PER_PAGE = 3, 6, 3
PACK_CHART_HEIGHT = 130
# The month at a glance (pack.css .pack .glance): two charts across with this gap.
GLANCE_COLUMNS, GLANCE_GAP_MM = 2, 8
PACK_GLANCE_HEIGHT = 280
# At most this many month labels on a chart's axis; the last is always the pack's month.
MONTH_TICKS = 6


def cell_width(columns: int, gap_mm: float) -> int:
    """A grid cell's width in CSS pixels on the printed page (a pixel short, for rounding)."""
    page_width = content_size(PACK_SCALE)[0]
    gap = gap_mm * 96 / 25.4
    return math.floor((page_width - (columns - 1) * gap) / columns) - 1


def fit_chart(figure: PlotlyFigure, width: int, month: Month) -> PlotlyFigure:
    """The figure drawn at ``width`` pixels, its month axis labelled in whole months with
    ``month`` (the pack's) always among them and never cut off; the axis runs on past it only
    where the figure has more to show (a trajectory's goal). Plotly's own ticks can land
    between months (one month labelled four times) or leave the latest month unlabelled."""
    layout = figure["layout"]
    layout["width"], layout["autosize"] = width, False
    layout["margin"] = {**layout.get("margin", {}), "r": 24}
    layout["font"] = {**layout.get("font", {}), "size": 11}
    days = [
        dt.date.fromisoformat(str(x)[:10])
        for trace in figure["data"]
        for x in trace.get("x", [])
        if x
    ]
    first = min([Month.from_date(min(days)), month]) if days else month
    last = max([Month.from_date(max(days)), month]) if days else month
    months = month_range(first, last)
    step = math.ceil(len(months) / MONTH_TICKS)
    anchor = months.index(month)
    # On a long axis the first month sits close to the y axis, where its label would run into
    # the y axis's: it is left out (unless it is the pack's month).
    crowded = len(months) > MONTH_TICKS
    ticks = [
        m
        for index, m in enumerate(months)
        if (index - anchor) % step == 0 and (index or index == anchor or not crowded)
    ]
    half_month = dt.timedelta(days=16)
    layout["xaxis"] = {
        **layout.get("xaxis", {}),
        "tickmode": "array",
        "tickvals": [m.first_day.isoformat() for m in ticks],
        "ticktext": [m.label for m in ticks],
        "range": [
            (first.first_day - half_month).isoformat(),
            (last.first_day + half_month).isoformat(),
        ],
    }
    return figure


def balanced[T](items: Sequence[T], per_page: int) -> list[Sequence[T]]:
    """``items`` over as few pages as hold them, as evenly as can be: 13 charts at nine to a
    page are seven and six, never nine and a lone four (or one)."""
    if not items:
        return []
    pages = math.ceil(len(items) / per_page)
    size, extra = divmod(len(items), pages)
    groups: list[Sequence[T]] = []
    start = 0
    for index in range(pages):
        end = start + size + (1 if index < extra else 0)
        groups.append(items[start:end])
        start = end
    return groups


class PackHeadlineTable(HeadlineMeasuresTable):
    """The page's headline measures table with each cell named by its column
    (``pack-col--target``; every month ``pack-col--month``), so pack.css can give the printed
    table fixed column widths: a long target wraps in its own column and never runs into the
    RAG."""

    # Paper cannot open the page's details: SPC in words in a column of its own, last, so a
    # row's figures sit on the line of its name.
    spc = tables.Column(verbose_name="Variation and assurance", empty_values=(), orderable=False)

    class Meta(HeadlineMeasuresTable.Meta):
        # mypy infers the base's sequence as a tuple of seven; this one has eight.
        sequence = (*HeadlineMeasuresTable.Meta.sequence, "spc")  # type: ignore[assignment]

    def render_spc(self, record: Row) -> str:
        words = spc_words(record)
        shown = record.benchmark.latest if record.benchmark else None
        if shown is None:
            return words
        # The DfE quartile band, which the page gives in the row's details.
        return f"{words} Quartile (A best): {shown.quartile_text}."

    def get_column_class_names(
        self, classes_set: Iterable[str], bound_column: BoundColumn
    ) -> set[str]:
        classes = set(super().get_column_class_names(classes_set, bound_column))
        name = "month" if bound_column.name.startswith("month_") else bound_column.name
        return classes | {f"pack-col--{name.replace('_', '-')}"}


def _chart(priority: Priority, row: Row, month: Month) -> Chart:
    figure = charts.indicator_figure(row, height=PACK_CHART_HEIGHT, legend=False)
    return charts.chart_context(
        f"chart-{priority.number}-{row.indicator.reference}",
        fit_chart(figure, cell_width(CHART_COLUMNS, CHART_GAP_MM), month),
        charts.chart_summary(row),
        row=row,
        caption=f"{row.indicator.reference} {row.indicator.description}",
        # As on the page: no figure to draw (every one an x, or none yet) is said in words,
        # not drawn as empty axes whose ticks would hint at the hidden counts.
        drawn=not charts.nothing_drawn(figure),
    )


def _glance(scorecard: queries.Scorecard, month: Month) -> dict[str, Chart]:
    pictures = glance_charts(
        glance.glance(scorecard), "chart-pack-glance", height=PACK_GLANCE_HEIGHT
    )
    width = cell_width(GLANCE_COLUMNS, GLANCE_GAP_MM)
    pictures["ratings"]["figure"]["layout"].update(width=width, autosize=False)
    fit_chart(pictures["share"]["figure"], width, month)
    return pictures


@dataclass(frozen=True)
class PackOptions:
    committee: str = ""
    meeting_date: dt.date | None = None
    published_only: bool = True


def pack_context(month: Month, options: PackOptions) -> dict[str, Any]:
    # A pack is published material: small numbers are always suppressed.
    scorecard = queries.load_scorecard(
        month,
        history_months=SPC_MONTHS,
        published_only=options.published_only,
        suppress=True,
    )
    updates = queries.milestone_updates_by_priority(month, options.published_only)
    statuses = queries.priority_statuses(month, options.published_only)
    since = since_committee(month, published_only=options.published_only)
    council = Council.current()
    sections: list[dict[str, Any]] = []
    for summary in scorecard.priorities:
        priority = summary.priority
        section_charts = [_chart(priority, row, month) for row in summary.rows]
        sections.append(
            {
                "priority": priority,
                "title": f"Priority {priority.number}: {priority.title}",
                "summary": summary,
                "table": PackHeadlineTable(summary.rows, scorecard.shown_months),
                "revisions": queries.revisions(summary.rows),
                "commentary": queries.grouped_commentary(summary.rows),
                "updates": updates.get(priority.id, []),
                "status": statuses.get(priority.id) or queries.no_status(month),
                "charts": section_charts,
                "chart_pages": balanced(section_charts, CHART_COLUMNS * CHART_ROWS_PER_PAGE),
            }
        )
    contents = [
        {"id": "glance", "title": f"At a glance, {month.label}"},
        {"id": "key", "title": "Key"},
        {"id": "exceptions", "title": f"Exceptions: red or worsening, {month.label}"},
        {"id": "since-committee", "title": since.title},
        {"id": "last-actions", "title": ACTIONS_TITLE},
        *[
            {"id": f"priority-{section['priority'].number}", "title": section["title"]}
            for section in sections
        ],
    ]
    return {
        "month": month,
        "contents": contents,
        "glance": _glance(scorecard, month),
        "draft_months": _unpublished_months_drawn(scorecard),
        "scorecard": scorecard,
        "key": scorecard.key,
        "sections": sections,
        "exceptions": [s for s in scorecard.priorities if s.exceptions],
        "since": since,
        # The previous meeting is the one "Since the last committee" compares with.
        "last_actions": meeting_actions.raised_at(since.meeting, timezone.localdate()),
        "options": options,
        "publication": publications().get(month),
        "council_name": council.display_name,
        "service_name": council.service_name,
        "committee": options.committee or council.committee_name,
    }


def _unpublished_months_drawn(scorecard: queries.Scorecard) -> list[Month]:
    """Every month the pack shows a figure of (tables and charts) that is not published:
    an editor's pack of a published month with published history has none."""
    if scorecard.published is None:
        return []
    shown = {month for row in scorecard.rows for month in row.figures} | set(scorecard.shown_months)
    return sorted(month for month in shown if month not in scorecard.published)


def pack_html(month: Month, options: PackOptions) -> str:
    return render_to_string("pack/pack.html", pack_context(month, options))


def pack_document(month: Month, options: PackOptions) -> tuple[bytes, list[Month]]:
    """(the pack as PDF bytes, the draft months it shows): every page of a pack holding
    draft figures says DRAFT in its footer."""
    context = pack_context(month, options)
    footer = f"{context['council_name']} · Scorecard, {month.long_label}"
    if context["draft_months"]:
        footer = f"DRAFT, not published · {footer}"
    html = render_to_string("pack/pack.html", context)
    return renderer.render(html, footer=footer, scale=PACK_SCALE), context["draft_months"]


def pack_pdf(month: Month, options: PackOptions) -> bytes:
    return pack_document(month, options)[0]
