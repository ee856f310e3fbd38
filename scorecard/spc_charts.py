"""The indicator page's SPC chart (XmR: figures, mean, process limits, target and
special-cause points) as a Plotly figure dict, and the chart in words."""

from indicators import rules, spc, units
from indicators.judgement import Row
from indicators.models import Indicator
from scorecard.charts import (
    TARGET,
    PlotlyFigure,
    PlotlyPart,
    add_events,
    chart_layout,
    events_sentence,
    figure_trace,
    scatter_trace,
)

SPECIAL = {
    # (colour, marker symbol): the symbol differs too, so colour is never the only sign.
    "improvement": ("#1d70b8", "circle"),
    "concern": ("#a84300", "diamond"),
    "neither": ("#6f3c9a", "square"),
}


def xmr_figure(row: Row, result: spc.XmR, *, height: int = 360) -> PlotlyFigure:
    """The XmR chart: figures, mean, process limits, target, and special-cause points
    marked by whether they are an improvement or a concern (the same result as the table)."""
    indicator = row.indicator
    history = row.spc_history()
    months = [month.first_day.isoformat() for month, _, _ in history]
    suffix = units.get(indicator.unit).suffix
    values: list[float | None] = [None] * len(history)
    for point in result.points:
        values[point.index] = point.value
    traces = [
        figure_trace(months, values, colour=TARGET, width=2, marker={"size": 5, "color": TARGET}),
        _segment_line(months, result, "mean", "Mean", {"color": "#0b0c0c", "width": 1.5}),
        _segment_line(months, result, "upper", "Upper process limit", LIMIT_LINE),
        _segment_line(months, result, "lower", "Lower process limit", LIMIT_LINE),
    ]
    if row.target is not None and row.target.value is not None:
        target = float(row.target.value)
        traces.append(
            scatter_trace(
                months,
                [target] * len(months),
                "Target",
                mode="lines",
                line={"color": "#00703c", "dash": "dot", "width": 1.5},
            )
        )
    for kind, (colour, symbol) in SPECIAL.items():
        chosen = [p for p in result.points if p.special and special_kind(p, indicator) == kind]
        if chosen:
            traces.append(
                scatter_trace(
                    [months[p.index] for p in chosen],
                    [p.value for p in chosen],
                    f"Special cause: {kind}",
                    mode="markers",
                    marker={"size": 11, "color": colour, "symbol": symbol},
                )
            )
    figure = {"data": traces, "layout": chart_layout(height, suffix)}
    # Its legend is long already: the letters are the page's list of events, just above it.
    add_events(figure, row.events, months, in_legend=False)
    return figure


LIMIT_LINE = {"color": "#505a5f", "dash": "dash", "width": 1.5}


def _segment_line(
    months: list[str], result: spc.XmR, which: str, name: str, line: dict[str, object]
) -> PlotlyPart:
    """The mean or a process limit across each segment's months (from the baseline, or from
    a change in the process): a step where the process changed, nothing over a segment with
    too few figures to be judged."""
    y: list[float | None] = [None] * len(months)
    for segment in result.segments:
        if segment.limits is not None:
            value = getattr(segment.limits, which)
            for index in range(segment.start, segment.end + 1):
                y[index] = value
    return scatter_trace(
        months, y, name, mode="lines", line={**line, "shape": "hv"}, connectgaps=False
    )


def special_kind(point: spc.Point, indicator: Indicator) -> str:
    """ "improvement", "concern" or "neither": how a special-cause point is marked."""
    return spc.variation(point.side, indicator.polarity).kind


def xmr_summary(row: Row, result: spc.XmR) -> str:
    """The SPC chart in words."""
    unit, places = row.indicator.unit, row.indicator.decimal_places

    def fmt(number: float) -> str:
        return rules.format_value(number, unit, places)

    text = (
        f"XmR chart: average {fmt(result.mean)}, expected range (process limits) "
        f"{fmt(result.lower_limit)} to {fmt(result.upper_limit)}. "
        f"Latest month: {result.variation.label.lower()}"
    )
    sentences = result.latest.sentences
    text += f": {'; '.join(sentences)}." if sentences else "."
    special = sum(1 for point in result.points if point.special)
    if special:
        verb = "is unusual (a special cause)" if special == 1 else "are unusual (special causes)"
        text += f" {special} of the {len(result.points)} months {verb}."
    if result.assurance is not None:
        text += f" {result.assurance.label}."
    text += rebase_sentences(row, result)
    return text + events_sentence(row.chart_events(row.spc_history()[0][0]))


def rebase_sentences(row: Row, result: spc.XmR) -> str:
    """The changes in the process in words: where the limits are worked out again, which
    months are too few to be judged, and any change still waiting for enough months."""
    history = row.spc_history()
    text = ""
    if result.rebased:
        starts = [history[segment.start][0].label for segment in result.segments[1:]]
        text += (
            f" The process changed: the average and expected range are worked out again from "
            f"{' and from '.join(starts)}; the figures above are the latest."
        )
        unjudged = [s for s in result.segments if s.limits is None]
        if unjudged:
            first, last = history[unjudged[0].start][0], history[unjudged[-1].end][0]
            text += (
                f" {first.label} to {last.label} are too few months for an expected range of "
                "their own: they are drawn, not judged."
            )
    if result.pending_rebases:
        waiting = [history[index][0].label for index in result.pending_rebases]
        text += (
            f" The process changed in {' and '.join(waiting)}: the expected range will be "
            f"worked out again once there are {spc.MIN_POINTS} months of figures after it."
        )
    return text
