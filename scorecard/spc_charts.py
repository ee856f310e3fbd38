"""The indicator page's SPC chart (XmR: figures, mean, process limits, target and
special-cause points) as a Plotly figure dict, and the chart in words."""

from indicators import rules, spc, units
from indicators.judgement import Row
from indicators.models import Indicator
from scorecard.charts import (
    TARGET,
    PlotlyFigure,
    PlotlyPart,
    chart_layout,
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
    first = result.baseline_start
    limit_x = months[first:]
    traces = [
        figure_trace(months, values, colour=TARGET, width=2, marker={"size": 5, "color": TARGET}),
        scatter_trace(
            limit_x,
            [result.mean] * len(limit_x),
            "Mean",
            mode="lines",
            line={"color": "#0b0c0c", "width": 1.5},
        ),
        _process_limit(limit_x, result.upper_limit, "Upper process limit"),
        _process_limit(limit_x, result.lower_limit, "Lower process limit"),
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
    return {"data": traces, "layout": chart_layout(height, suffix)}


def _process_limit(months: list[str], limit: float, name: str) -> PlotlyPart:
    """A process limit drawn dashed across the months of the baseline and after."""
    return scatter_trace(
        months,
        [limit] * len(months),
        name,
        mode="lines",
        line={"color": "#505a5f", "dash": "dash", "width": 1.5},
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
    return text
