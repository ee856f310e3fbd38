"""A consortium's shared measures drawn: every member's figures over time, one line each, as
the comparison page shows them (a figure shown as "x" is a gap, never a point), with the
chart in words. Data in, figure out: no ORM access."""

from indicators import rules, units
from indicators.periods import Month
from scorecard.charts import (
    Chart,
    PlotlyFigure,
    chart_context,
    chart_layout,
    monthly_ticks,
    scatter_trace,
)
from scorecard.consortium_queries import ComparedMeasure, MemberFigure

# Eight colours told apart by most readers (Okabe and Ito's, black for the eighth); the
# lines are dashed differently too, so colour is never the only way to tell them apart.
COLOURS = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#7a6a00", "#000000"]
DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"]


def _points(figure: MemberFigure, months: list[Month]) -> list[float | None]:
    row = figure.row
    if row is None or not figure.comparable:
        return [None] * len(months)
    points: list[float | None] = []
    for month in months:
        found = row.figure(month)
        if found is None or found.value is None or row.is_suppressed(month):
            points.append(None)
        else:
            points.append(float(found.value))
    return points


def measure_figure(
    measure: ComparedMeasure, months: list[Month], height: int = 340
) -> PlotlyFigure:
    """Every member's line for ``measure`` over ``months`` (oldest first)."""
    suffix = units.get(measure.definition.unit).suffix
    x = [month.first_day.isoformat() for month in months]
    hover = "%{x|%b-%y}: %{y:,." + str(measure.decimal_places) + "f}" + suffix
    traces = []
    for index, figure in enumerate(measure.figures):
        if figure.row is None:
            continue  # a member not sharing it has no line (it is named under the table)
        colour = COLOURS[index % len(COLOURS)]
        traces.append(
            scatter_trace(
                x,
                _points(figure, months),
                figure.council.display_name,
                mode="lines+markers",
                line={"color": colour, "width": 2, "dash": DASHES[index % len(DASHES)]},
                marker={"color": colour, "size": 6},
                hovertemplate=f"{figure.council.display_name}<br>{hover}<extra></extra>",
            )
        )
    layout = chart_layout(height, suffix)
    layout["margin"]["b"] = 64
    layout["legend"]["y"] = -0.22
    layout["yaxis"]["rangemode"] = "tozero"
    layout["showlegend"] = True  # with one member's line too: the legend names the council
    monthly_ticks(layout, len(months))
    return {"data": traces, "layout": layout}


def measure_summary(measure: ComparedMeasure, months: list[Month]) -> str:
    """The chart in words: each member's first and latest figure shown."""
    parts = []
    for figure in measure.figures:
        shown = [
            (m, p) for m, p in zip(months, _points(figure, months), strict=True) if p is not None
        ]
        if not shown:
            continue
        (first, start), (last, end) = shown[0], shown[-1]
        unit, places = measure.definition.unit, measure.decimal_places
        parts.append(
            f"{figure.council.display_name} {rules.format_value(start, unit, places)} "
            f"({first.label}) to {rules.format_value(end, unit, places)} ({last.label})"
        )
    name = measure.definition.name
    if not parts:
        return f"No chart of {name}: no member has a figure that can be shown for these months."
    return f"Line chart of {name}, one line per member: " + "; ".join(parts) + "."


def drawn_months(measure: ComparedMeasure, months: list[Month]) -> list[Month]:
    """``months`` from the first with a figure shown (at least the last three): a line that
    starts in July is not drawn on an axis empty since last October."""
    shown = [
        month
        for figure in measure.figures
        for month, point in zip(months, _points(figure, months), strict=True)
        if point is not None
    ]
    first = min([*shown, months[-1].plus(-2)]) if months else None
    return [month for month in months if first is not None and month >= first]


def measure_charts(measures: list[ComparedMeasure], month: Month, count: int) -> list[Chart]:
    """A chart (or its words, with nothing to draw) per measure, ``count`` months to ``month``."""
    charts = []
    for index, measure in enumerate(measures):
        months = drawn_months(measure, month.months_back(count))
        figure = measure_figure(measure, months)
        summary = measure_summary(measure, months)
        has_points = any(y is not None for trace in figure["data"] for y in trace["y"])
        charts.append(
            chart_context(
                f"consortium-chart-{index}",
                figure if has_points else None,
                summary,
                title=measure.definition.name,
            )
        )
    return charts
