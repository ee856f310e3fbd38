"""An indicator's figures drawn: its chart (figures, target, trajectories, anticipated
ranges, reference lines) as a Plotly figure, the chart in words, and the headline tables'
small line; and what every chart shares (the layout, ``chart_context``). The SPC chart is in
``spc_charts``, the month at a glance in ``glance_charts``, the DfE benchmarks in
``dfe_charts``.

Plotly figure builders: data in, figure out. No ORM access, so the web page and the PDF
pack draw the same figure from the same rows.

Figures are built as Plotly's JSON figure schema (dicts) rather than through
plotly.graph_objects: the objects validate every attribute on assignment, which cost ~30 ms a
chart, 1.3 s for a pack's 39. tests/test_charts.py validates the dicts against Plotly's
schema instead, so a mistake is still caught.
"""

import datetime as dt
import textwrap
from collections.abc import Sequence
from typing import Any

from indicators import rules, units
from indicators.events import EventMark, letter
from indicators.judgement import HistoryEntry, Row
from indicators.models import Benchmark
from indicators.numbers import Number
from indicators.periods import month_range

# Plotly's JSON figure schema, as the builders write it: a figure is {"data": [trace, ...],
# "layout": {...}}; a trace, the layout, a shape and an annotation are each a dict too.
type PlotlyFigure = dict[str, Any]
type PlotlyPart = dict[str, Any]
# What partials/chart.html draws (chart_context): the element id, the figure and its words.
type Chart = dict[str, Any]

# GOV.UK palette: the figure's colours match the page's tags.
LINE = "#1d70b8"
TARGET = "#505a5f"
SYNTHETIC = "#b1b4b6"
BENCHMARK_COLOURS = ["#912b88", "#00703c", "#d4351c", "#f47738"]


def _number(value: Number | None) -> float | None:
    return None if value is None else float(value)


# The traces of the indicator's own figures (_figure_traces): a target line alone is no chart.
FIGURE_TRACES = ("Figure", "Synthetic demonstration history")


def nothing_drawn(figure: PlotlyFigure) -> bool:
    """Whether a line chart has no figure to draw (every one suppressed, or none yet): the
    page then says so in words (chart_summary), not with empty axes whose ticks would hint
    at the hidden counts."""
    own = [trace for trace in figure["data"] if trace.get("name") in FIGURE_TRACES]
    return not any(y is not None for trace in own for y in trace.get("y", []))


def web_chart(chart_id: str, figure: PlotlyFigure, summary: str, **extra: object) -> Chart:
    """``chart_context`` for a page: a chart with nothing to draw is given as its words only
    (``partials/chart.html``)."""
    return chart_context(chart_id, None if nothing_drawn(figure) else figure, summary, **extra)


def chart_context(
    chart_id: str, figure: PlotlyFigure | None, summary: str, **extra: object
) -> Chart:
    """What ``partials/chart.html`` draws: the element id, the figure (a dict, serialised
    once by the template) and the summary in words that names it."""
    return {"id": chart_id, "figure": figure, "summary": summary, **extra}


def indicator_figure(
    row: Row,
    *,
    title: str | None = None,
    height: int = 320,
    benchmarks: Sequence[Benchmark] = (),
    legend: bool = True,
) -> PlotlyFigure:
    """The indicator's figures with its target drawn as steps (a trajectory steps where the
    target changes) and benchmarks as labelled reference lines. Without ``legend`` (the
    pack's small charts) the key explains the lines instead."""
    indicator = row.indicator
    history = row.history()
    months = [month.first_day.isoformat() for month, _, _ in history]
    suffix = units.get(indicator.unit).suffix
    hover = "%{x|%b-%y}: %{y:,." + str(indicator.decimal_places) + "f}" + suffix
    traces = _figure_traces(row, history, months, hover)
    # A trajectory is drawn as its own line and a range as a band (below), not as steps.
    fixed = [span if span and span.kind == rules.FIXED_TARGET else None for _, _, span in history]
    targets = [_number(span.value) if span else None for span in fixed]
    if any(t is not None for t in targets):
        traces.append(
            scatter_trace(
                months,
                targets,
                "Target",
                mode="lines",
                line={"color": TARGET, "dash": "dash", "shape": "hv"},
                hovertemplate="Target %{y}" + suffix + "<extra></extra>",
            )
        )
    traces += _range_traces(history, months, suffix)
    trajectory_traces, goal_notes = _trajectory_traces(row, history, suffix)
    traces += trajectory_traces
    layout = chart_layout(height, suffix, top=40 if title else 16)
    monthly_ticks(layout, len(months))
    layout["yaxis"]["rangemode"] = "tozero"
    if units.get(indicator.unit).whole_numbers:
        _whole_number_axis(layout, traces)
    if not legend:
        layout["showlegend"] = False
        layout["margin"].update(l=44, b=28, t=8 if not title else 40)
    layout["shapes"], layout["annotations"] = _benchmark_lines(benchmarks)
    layout["annotations"] += goal_notes
    if title:
        layout["title"] = {"text": title, "font": {"size": 16}}
    figure = {"data": traces, "layout": layout}
    add_events(figure, row.events, months, small=not legend)
    return figure


EVENT = "#6f3c9a"  # GOV.UK purple: not a colour the figures, targets or RAG use
# Event labels sit in rows above the plot, each event in the next row (at most this many rows,
# then round again), so two labels never share a row beside each other.
EVENT_ROWS = 3
# The pack's small charts are a known width: about this many characters of a label fit
# across the whole plot (10 px Arial); a longer label is shortened to the room it has.
PACK_LABEL_CHARACTERS = 44
# A legend entry is not wrapped by Plotly: an event's is broken into lines this long, which fit
# beside the legend's line on a phone.
LEGEND_LINE = 34


def add_events(
    figure: PlotlyFigure,
    marks: Sequence[EventMark],
    months: Sequence[str],
    *,
    small: bool = False,
    in_legend: bool = True,
) -> None:
    """Each event drawn as a labelled vertical line at its month across the plot, its label
    above the plot (never over a figure), the top margin grown to hold the labels
    (``months``: the chart's x values, oldest first). A label in the later half of the chart
    reads leftwards from its line, so it is not cut off at the right edge; successive events'
    labels are in successive rows, so they do not overlap.

    On the web each event is lettered (A, B...) and named in the legend in full; a narrow
    chart (static/js/charts.js) shows the letter alone above its line. The pack's small charts
    have no legend: the label is printed, shortened to the room beside its line if need be
    (the chart's text alternative names each in full). The month axis is fixed to the
    figure's months, so a long label cannot stretch it. Without ``in_legend`` (the XmR chart,
    whose legend is long already) the letters are those of the indicator page's list of
    events, just above the chart."""
    layout = figure["layout"]
    # Lettered by their place among all the row's events, so each chart letters one alike.
    drawn = [
        (letter(index), mark)
        for index, mark in enumerate(marks)
        if months and months[0] <= mark.month.first_day.isoformat() <= months[-1]
    ]
    if not drawn:
        return
    middle = months[len(months) // 2]
    row_height = 14 if small else 18
    for row, (event_letter, mark) in enumerate(drawn):
        x = mark.month.first_day.isoformat()
        later = x >= middle
        layout.setdefault("shapes", []).append(
            {
                "type": "line",
                "xref": "x",
                "x0": x,
                "x1": x,
                "yref": "paper",
                "y0": 0,
                "y1": 1,
                "line": {"color": EVENT, "dash": "dashdot", "width": 1.5},
            }
        )
        if small:
            room = _room(months, x, later)
            text = _shortened(mark.label, int(PACK_LABEL_CHARACTERS * room))
        else:
            text = f"{event_letter}: {mark.label}"
            if in_legend:
                figure["data"].append(_event_legend(event_letter, mark, x))
        layout.setdefault("annotations", []).append(
            {
                "text": text,
                "name": f"Event {event_letter}",  # charts.js shows the letter alone when narrow
                "hovertext": f"{mark.label} ({mark.month.label})",
                "x": x,
                "xref": "x",
                "y": 1,
                "yref": "paper",
                "yanchor": "bottom",
                "yshift": (row % EVENT_ROWS) * row_height,
                "xanchor": "right" if later else "left",
                "xshift": 2 if later else -2,  # the label's edge meets its line
                "showarrow": False,
                "font": {"color": EVENT, "size": 10 if small else 12},
            }
        )
    rows = min(len(drawn), EVENT_ROWS)
    layout["margin"]["t"] = layout["margin"].get("t", 0) + rows * row_height + 2
    _fix_month_axis(figure)


def _event_legend(letter: str, mark: EventMark, x: str) -> PlotlyPart:
    """A legend entry naming an event in full beside the line it is drawn as."""
    changed = ", the process changed" if mark.changed_process else ""
    name = f"{letter}: {mark.label} ({mark.month.label}{changed})"
    return scatter_trace(
        [x],
        [None],
        "<br>".join(textwrap.wrap(name, LEGEND_LINE)),
        mode="lines",
        line={"color": EVENT, "dash": "dashdot", "width": 1.5},
        hoverinfo="skip",
    )


def _room(months: Sequence[str], x: str, later: bool) -> float:
    """The share of the plot's width beside ``x`` on the side its label reads to."""
    position = months.index(x) / max(len(months) - 1, 1) if x in months else 0.5
    return position if later else 1 - position


def _shortened(label: str, characters: int) -> str:
    characters = max(characters, 8)
    return label if len(label) <= characters else label[: characters - 1].rstrip() + "…"


def _fix_month_axis(figure: PlotlyFigure) -> None:
    """The month axis fixed to the first and last month any trace draws, with half a month
    either side (as Plotly's own range would be), so a label cannot widen it."""
    dates = [
        dt.date.fromisoformat(x)
        for trace in figure["data"]
        for x, y in zip(trace.get("x", ()), trace.get("y", ()), strict=False)
        if isinstance(x, str) and y is not None
    ]
    if dates:
        pad = dt.timedelta(days=15)
        first, last = min(dates) - pad, max(dates) + pad
        figure["layout"]["xaxis"].update(
            range=[first.isoformat(), last.isoformat()], autorange=False
        )


def events_sentence(marks: Sequence[EventMark]) -> str:
    """The events drawn, in words, for a chart's text alternative; "" with none."""
    if not marks:
        return ""
    told = [
        f"{mark.label} ({mark.month.label}"
        + (", a change in the process" if mark.changed_process else "")
        + ")"
        for mark in marks
    ]
    return f" Events marked: {'; '.join(told)}."


# Below this, Plotly's own ticks for a count go in halves (0, 0.5, 1): half a child.
SMALL_COUNT_AXIS = 5


def _whole_number_axis(layout, traces):
    """A count's axis ticks whole numbers: when every figure drawn is below five (zeros, with
    the counts of one to four shown as x), it runs 0 to 5 in ones."""
    drawn = [y for trace in traces for y in trace.get("y", ()) if isinstance(y, int | float)]
    if not drawn or max(drawn) < SMALL_COUNT_AXIS:
        layout["yaxis"].update(range=[0, SMALL_COUNT_AXIS], dtick=1)


RANGE = "#28a197"  # GOV.UK turquoise: the anticipated range's band
RANGE_FILL = "rgba(40, 161, 151, 0.15)"


def _range_traces(
    history: Sequence[HistoryEntry], months: list[str], suffix: str
) -> list[PlotlyPart]:
    """An anticipated range as a band between its lower and upper ends, across each month it
    is in force (the band steps where the range changes; it runs on to the start of the month
    after the last, so a single month shows as a band too)."""
    ranges = [span if span and span.is_range else None for _, _, span in history]
    if not any(ranges):
        return []
    line = {"color": RANGE, "dash": "dot", "width": 1.5, "shape": "hv"}
    lower = [_number(span.lower) if span else None for span in ranges]
    upper = [_number(span.upper) if span else None for span in ranges]
    months = [*months, history[-1][0].plus(1).first_day.isoformat()]
    lower, upper = [*lower, lower[-1]], [*upper, upper[-1]]
    return [
        scatter_trace(
            months,
            lower,
            "Anticipated range (lower end)",
            mode="lines",
            line=line,
            hovertemplate="Range from %{y}" + suffix + "<extra></extra>",
            connectgaps=False,
            showlegend=False,
        ),
        scatter_trace(
            months,
            upper,
            "Anticipated range",
            mode="lines",
            line=line,
            fill="tonexty",
            fillcolor=RANGE_FILL,
            hovertemplate="Range to %{y}" + suffix + "<extra></extra>",
            connectgaps=False,
        ),
    ]


def _trajectory_traces(
    row: Row, history: Sequence[HistoryEntry], suffix: str
) -> tuple[list[PlotlyPart], list[PlotlyPart]]:
    """(traces, annotations): each trajectory as a dashed straight line from its start (or
    the first month charted) to its goal month, on past the latest figure into the future,
    with the goal marked and, for the one in force, whether the figure is on track."""
    indicator = row.indicator
    first = history[0][0] if history else row.month
    traces: list[PlotlyPart] = []
    notes: list[PlotlyPart] = []
    for span in row.target_spans:
        if not span.is_trajectory:
            continue
        _, start_month, goal_value, goal_month = span.trajectory_line
        if goal_month < first:
            continue
        months = [m for m in rules.trajectory_months(start_month, goal_month) if m >= first]
        goal = rules.format_value(goal_value, indicator.unit, indicator.decimal_places)
        name = f"Trajectory to {goal} by {goal_month.label}"
        traces.append(
            scatter_trace(
                [m.first_day.isoformat() for m in months],
                [_number(span.trajectory_value(m)) for m in months],
                name,
                mode="lines",
                line={"color": TARGET, "dash": "dash", "width": 2},
                hovertemplate="Trajectory %{y}" + suffix + "<extra></extra>",
            )
        )
        text = f"Goal {goal} by {goal_month.label}"
        progress = row.trajectory_progress
        in_force = row.trajectory is not None and row.trajectory.valid_from == span.valid_from
        if in_force and progress is not None and progress.on_track is not None:
            text += f": {progress.label.lower()}"
        notes.append(
            {
                "text": text,
                "x": goal_month.first_day.isoformat(),
                "y": _number(goal_value),
                "xref": "x",
                "yref": "y",
                "showarrow": True,
                "arrowhead": 0,
                "ax": 0,
                "ay": -24,
                "xanchor": "right",
                "bgcolor": "rgba(255, 255, 255, 0.85)",  # legible over the line it labels
            }
        )
    return traces, notes


def _figure_traces(
    row: Row, history: Sequence[HistoryEntry], months: list[str], hover: str
) -> list[PlotlyPart]:
    """The published figures as one line, and the synthetic demonstration history (if any)
    as a dotted grey line joined to the first real point."""
    # A suppressed figure is left out of the chart: a point would give its value away.
    values = [None if row.is_suppressed(m) else _number(f.value) for m, f, _ in history]
    published = [
        v if not f.synthetic else None for v, (_, f, _) in zip(values, history, strict=True)
    ]
    synthetic = [v if f.synthetic else None for v, (_, f, _) in zip(values, history, strict=True)]
    # Join the demonstration history to the first real point so the line is continuous.
    for index, (_, figure, _) in enumerate(history):
        if not figure.synthetic and index and history[index - 1][1].synthetic:
            synthetic[index] = values[index]
            break
    traces = []
    if any(v is not None for v in synthetic):
        traces.append(
            scatter_trace(
                months,
                synthetic,
                "Synthetic demonstration history",
                mode="lines",
                line={"color": SYNTHETIC, "dash": "dot"},
                hovertemplate=hover + "<extra>synthetic</extra>",
                connectgaps=False,
            )
        )
    traces.append(
        figure_trace(
            months,
            published,
            colour=LINE,
            width=3,
            marker={"size": 7},
            hovertemplate=hover + "<extra></extra>",
            connectgaps=False,
        )
    )
    return traces


def hline(y: float, colour: str, dash: str, width: float) -> PlotlyPart:
    """A line across the whole chart at ``y``, as Plotly's add_hline draws it."""
    return {
        "type": "line",
        "xref": "x domain",
        "x0": 0,
        "x1": 1,
        "yref": "y",
        "y0": y,
        "y1": y,
        "line": {"color": colour, "dash": dash, "width": width},
    }


def _benchmark_lines(
    benchmarks: Sequence[Benchmark],
) -> tuple[list[PlotlyPart], list[PlotlyPart]]:
    """(shapes, annotations): a labelled reference line across the whole chart per
    benchmark."""
    shapes, annotations = [], []
    for colour, benchmark in zip(BENCHMARK_COLOURS, benchmarks, strict=False):
        y = float(benchmark.value)
        shapes.append(hline(y, colour, "dot", 1.5))
        annotations.append(
            {
                "text": f"{benchmark.display_name} {benchmark.period_label}",
                "xref": "x domain",
                "x": 0,
                "xanchor": "left",
                "yref": "y",
                "y": y,
                "yanchor": "bottom",
                "showarrow": False,
            }
        )
    return shapes, annotations


def chart_layout(height: int, suffix: str, top: int = 16) -> PlotlyPart:
    """The layout every chart shares: GOV.UK colours and type, a legend below."""
    return {
        "height": height,
        "margin": {"l": 56, "r": 16, "t": top, "b": 40},
        "font": {"family": "Arial, sans-serif", "size": 13, "color": "#0b0c0c"},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "legend": {"orientation": "h", "y": -0.18},
        "hovermode": "x unified",
        "xaxis": {"showgrid": False, "tickformat": "%b-%y", "linecolor": "#b1b4b6"},
        "yaxis": {"gridcolor": "#e5e6e7", "ticksuffix": suffix},
    }


# Up to six months, a month axis is ticked once a month: left to itself, Plotly ticks
# two months at half-months and labels each twice ("Oct-26, Oct-26, Nov-26, Nov-26").
MONTHLY_TICKS_UP_TO = 6  # more, monthly, would crowd a phone's axis


def monthly_ticks(layout: PlotlyPart, month_count: int) -> None:
    """Tick ``layout``'s month axis once a month when it spans few months."""
    if month_count <= MONTHLY_TICKS_UP_TO:
        layout["xaxis"].update(dtick="M1", tick0="2000-01-01")


def figure_trace(
    x: Sequence[str],
    y: Sequence[float | None],
    *,
    colour: str,
    width: float,
    marker: dict[str, object],
    **attributes: object,
) -> PlotlyPart:
    """The indicator's own figures as a line with markers, named "Figure" (one of
    ``FIGURE_TRACES``: what ``nothing_drawn`` looks for)."""
    line = {"color": colour, "width": width}
    return scatter_trace(
        x, y, "Figure", mode="lines+markers", line=line, marker=marker, **attributes
    )


def scatter_trace(
    x: Sequence[str], y: Sequence[float | None], name: str, **attributes: object
) -> PlotlyPart:
    """A line or markers trace: ``x`` and ``y`` with its legend's ``name``."""
    return {"type": "scatter", "x": x, "y": y, "name": name, **attributes}


def chart_summary(row: Row) -> str:
    """A text alternative for the chart: what a sighted reader takes from it."""
    history = [
        (m, f) for m, f, _ in row.history() if f.value is not None and not row.is_suppressed(m)
    ]
    if not history:
        hidden = [m for m, f, _ in row.history() if f.value is not None and row.is_suppressed(m)]
        if hidden:
            return (
                f"No chart: every figure of {row.indicator.reference} from {hidden[0].label} "
                f"to {hidden[-1].label} is shown as x (fewer than 5 children), so there is "
                "nothing that can be drawn."
            )
        return f"No chart: there are no figures for {row.indicator.reference} yet."
    (first_month, first), (last_month, last) = history[0], history[-1]
    unit, places = row.indicator.unit, row.indicator.decimal_places
    text = (
        f"Line chart of {row.indicator.description} from {first_month.label} to "
        f"{last_month.label}: {rules.format_value(first.value, unit, places)} to "
        f"{rules.format_value(last.value, unit, places)}."
    )
    if row.target is not None:
        text += f" Target {row.target_display}."
    if row.trajectory_progress is not None:
        text += f" {row.trajectory_progress.sentence}"
    return text + events_sentence(row.chart_events())


def sparkline(row: Row, *, width: int = 96, height: int = 24) -> dict[str, object] | None:
    """A small line of the row's figures over time (the chart's figures, suppressed ones left
    out): {"segments": ["x,y x,y", ...], "last": (x, y), "width", "height"}, or None with
    fewer than two figures. A month with no figure breaks the line."""
    history = row.history()
    if not history:
        return None
    values: list[float | None] = []
    for month in month_range(history[0][0], history[-1][0]):
        figure = row.figure(month)
        shown = None if figure is None or row.is_suppressed(month) else figure.value
        values.append(None if shown is None else float(shown))
    known = [value for value in values if value is not None]
    if len(known) < 2:
        return None
    low, high = min(known), max(known)
    spread = (high - low) or 1.0
    step = (width - 4) / max(len(values) - 1, 1)
    segments: list[str] = []
    current: list[str] = []
    last = None
    for index, value in enumerate(values):
        if value is None:
            if len(current) > 1:
                segments.append(" ".join(current))
            current = []
            continue
        x = 2 + index * step
        y = height - 2 - (value - low) / spread * (height - 4)
        current.append(f"{x:.1f},{y:.1f}")
        last = (round(x, 1), round(y, 1))
    if len(current) > 1:
        segments.append(" ".join(current))
    return {"segments": segments, "last": last, "width": width, "height": height}
