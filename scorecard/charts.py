"""Plotly figure builders: data in, figure out. No ORM access, so the web page and the PDF
pack draw the same figure from the same rows."""

import plotly.graph_objects as go

from indicators import rules

# GOV.UK palette: the figure's colours match the page's tags.
LINE = "#1d70b8"
TARGET = "#505a5f"
SYNTHETIC = "#b1b4b6"
BENCHMARK_COLOURS = ["#912b88", "#00703c", "#d4351c", "#f47738"]


def _number(value):
    return None if value is None else float(value)


def indicator_figure(row, *, title=None, height=320, benchmarks=()):
    """The indicator's figures with its target drawn as steps (a trajectory steps where the
    target changes) and benchmarks as labelled reference lines."""
    indicator = row.indicator
    history = row.history()
    months = [month.first_day.isoformat() for month, _, _ in history]
    suffix = rules.UNIT_SUFFIX.get(indicator.unit, "")
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

    fig = go.Figure()
    hover = "%{x|%b-%y}: %{y:,." + str(indicator.decimal_places) + "f}" + suffix
    if any(v is not None for v in synthetic):
        fig.add_trace(
            go.Scatter(
                x=months,
                y=synthetic,
                name="Synthetic demonstration history",
                mode="lines",
                line={"color": SYNTHETIC, "dash": "dot"},
                hovertemplate=hover + "<extra>synthetic</extra>",
                connectgaps=False,
            )
        )
    fig.add_trace(
        go.Scatter(
            x=months,
            y=published,
            name="Figure",
            mode="lines+markers",
            line={"color": LINE, "width": 3},
            marker={"size": 7},
            hovertemplate=hover + "<extra></extra>",
            connectgaps=False,
        )
    )
    targets = [_number(span.value) if span else None for _, _, span in history]
    if any(t is not None for t in targets):
        fig.add_trace(
            go.Scatter(
                x=months,
                y=targets,
                name="Target",
                mode="lines",
                line={"color": TARGET, "dash": "dash", "shape": "hv"},
                hovertemplate="Target %{y}" + suffix + "<extra></extra>",
            )
        )
    for colour, benchmark in zip(BENCHMARK_COLOURS, benchmarks, strict=False):
        fig.add_hline(
            y=float(benchmark.value),
            line={"color": colour, "dash": "dot", "width": 1.5},
            annotation_text=f"{benchmark.display_name} {benchmark.period_label}",
            annotation_position="top left",
        )
    fig.update_layout(
        title={"text": title, "font": {"size": 16}} if title else None,
        height=height,
        margin={"l": 56, "r": 16, "t": 40 if title else 16, "b": 40},
        font={"family": "Arial, sans-serif", "size": 13, "color": "#0b0c0c"},
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
        legend={"orientation": "h", "y": -0.18},
        hovermode="x unified",
    )
    fig.update_xaxes(showgrid=False, tickformat="%b-%y", linecolor="#b1b4b6")
    fig.update_yaxes(gridcolor="#e5e6e7", ticksuffix=suffix, rangemode="tozero")
    return fig


def chart_summary(row):
    """A text alternative for the chart: what a sighted reader takes from it."""
    history = [
        (m, f) for m, f, _ in row.history() if f.value is not None and not row.is_suppressed(m)
    ]
    if not history:
        return f"No figures for {row.indicator.reference}."
    (first_month, first), (last_month, last) = history[0], history[-1]
    unit, places = row.indicator.unit, row.indicator.decimal_places
    text = (
        f"Line chart of {row.indicator.description} from {first_month.label} to "
        f"{last_month.label}: {rules.format_value(first.value, unit, places)} to "
        f"{rules.format_value(last.value, unit, places)}."
    )
    if row.target is not None:
        text += f" Target {row.target_display}."
    return text
