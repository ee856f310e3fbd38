"""The month at a glance (``scorecard.glance``) drawn: each priority's ratings as a stacked
bar and its share on target over 12 months as a line, as Plotly figure dicts with their
words."""

from collections.abc import Sequence

from indicators import rules
from scorecard.charts import (
    Chart,
    PlotlyFigure,
    PlotlyPart,
    chart_context,
    chart_layout,
    monthly_ticks,
    scatter_trace,
)
from scorecard.glance import SEGMENTS, PriorityGlance

# The tags' colours, with a text colour readable on each (the segment's words say it too).
RAG_BAR_COLOURS = {
    rules.Rag.RED: ("#d4351c", "#ffffff"),
    rules.Rag.AMBER: ("#ffdd00", "#0b0c0c"),
    rules.Rag.GREEN: ("#00703c", "#ffffff"),
    # An anticipated range's marks: the tags' colours (static/css/scorecard.css).
    rules.Rag.WITHIN_RANGE: ("#bfe3e0", "#10403c"),
    rules.Rag.ABOVE_RANGE: ("#dbd5e9", "#3d2375"),
    rules.Rag.BELOW_RANGE: ("#fcd6c3", "#6e3619"),
    rules.Rag.MONITOR: ("#1d70b8", "#ffffff"),
    rules.Rag.NO_DATA: ("#b1b4b6", "#0b0c0c"),
    rules.Rag.SUPPRESSED: ("#ffffff", "#0b0c0c"),
}
PRIORITY_LINE_STYLES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"]


def rag_bars_figure(
    glances: Sequence[PriorityGlance], *, height: int | None = None
) -> PlotlyFigure:
    """Per priority, one bar of its red / amber / green / monitor / no-data counts, each
    segment labelled with its count and word, so the colour is never the only sign."""
    # The axis names each priority by number: its title is beside it in the counts table.
    labels = [f"Priority {glance.priority.number}" for glance in glances]
    traces: list[PlotlyPart] = []
    for rag, word in SEGMENTS:
        counts = [glance.counts[rag] for glance in glances]
        if not any(counts):
            continue
        fill, text_colour = RAG_BAR_COLOURS[rag]
        traces.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": word.capitalize(),
                "y": labels,
                "x": counts,
                "text": [f"{count} {word}" if count else "" for count in counts],
                "textposition": "inside",
                "insidetextanchor": "middle",
                "textfont": {"color": text_colour},
                "marker": {"color": fill, "line": {"color": "#505a5f", "width": 1}},
                "hovertemplate": "%{y}: %{x} " + word + "<extra></extra>",
            }
        )
    layout = chart_layout(height or 80 + 44 * len(glances), "")
    layout.update(
        barmode="stack",
        hovermode="closest",
        margin={"l": 80, "r": 16, "t": 48, "b": 40},
        legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
    )
    layout["xaxis"] = {"title": {"text": "Indicators"}, "gridcolor": "#e5e6e7"}
    layout["yaxis"] = {"autorange": "reversed", "automargin": True}
    return {"data": traces, "layout": layout}


def rag_bars_summary(glances: Sequence[PriorityGlance]) -> str:
    return "Bar chart of each priority's indicators by rating: " + "; ".join(
        f"{glance.label}: {glance.counts_in_words}" for glance in glances
    )


def on_target_figure(glances: Sequence[PriorityGlance], *, height: int = 320) -> PlotlyFigure:
    """Per priority, the share of its rated indicators on target in each of the last 12
    months: one line per priority, each in its own dash pattern and named in the legend."""
    # The line starts where targets start: months before any priority had a rated indicator
    # are left off, not drawn as an empty stretch of axis.
    rated = [i for g in glances for i, share in enumerate(g.shares) if share.percent is not None]
    first = min(rated, default=0)
    traces = []
    for index, glance in enumerate(glances):
        shares = glance.shares[first:]
        traces.append(
            scatter_trace(
                [share.month.first_day.isoformat() for share in shares],
                [share.percent for share in shares],
                f"Priority {glance.priority.number}",
                mode="lines+markers",
                line={"dash": PRIORITY_LINE_STYLES[index % len(PRIORITY_LINE_STYLES)]},
                connectgaps=False,
                hovertemplate="%{x|%b-%y}: %{y}% on target<extra>"
                + f"Priority {glance.priority.number}</extra>",
            )
        )
    layout = chart_layout(height, "%")
    monthly_ticks(layout, len(glances[0].shares) - first if glances else 0)
    layout["yaxis"].update(range=[0, 105], title={"text": "On target"})
    layout["margin"]["t"] = 48
    layout["legend"] = {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"}
    return {"data": traces, "layout": layout}


def on_target_summary(glances: Sequence[PriorityGlance]) -> str:
    trends = "; ".join(f"{glance.label}: {glance.trend_in_words}" for glance in glances)
    return (
        "Line chart of the share of each priority's rated indicators on target over the "
        f"last 12 months: {trends}"
    )


def glance_charts(
    glances: Sequence[PriorityGlance], prefix: str = "chart-glance", *, height: int | None = None
) -> dict[str, Chart]:
    """The month at a glance's two charts, as ``partials/glance.html`` draws them."""
    return {
        "ratings": chart_context(
            f"{prefix}-ratings", rag_bars_figure(glances, height=height), rag_bars_summary(glances)
        ),
        "share": chart_context(
            f"{prefix}-share",
            on_target_figure(glances, height=height or 320),
            on_target_summary(glances),
        ),
    }
