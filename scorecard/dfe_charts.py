"""The DfE benchmarks drawn for the indicator page: the comparators as steps on the history
chart, and where the council sits among every authority for the year shown, each with its
text alternative. Data in (``indicators.dfe.shown``, ``scorecard.dfe_queries.Distribution``),
Plotly figure dicts out (as ``charts``); no ORM access.

Only bar and scatter traces: the partial plotly.js bundle (static/plotly/) has no others.
"""

from collections.abc import Sequence
from typing import Any

from indicators import rules, units
from indicators.dfe.shown import ShownBenchmarks, ShownYear, YearComparators, year_drawn_at
from indicators.judgement import Row
from indicators.periods import Month
from scorecard import charts
from scorecard.charts import PlotlyFigure, PlotlyPart
from scorecard.dfe_queries import AuthorityValue, Distribution
from scorecard.queries import IndicatorHistory

# GOV.UK palette; each comparator has its own dash too, so colour is never the only sign.
COMPARATORS = [
    # (attribute of YearComparators, colour, dash)
    ("england", "#912b88", "dot"),
    ("region", "#00703c", "dashdot"),
    ("statistical_neighbours", "#d4351c", "longdash"),
]
OTHER_AUTHORITY = "#b1b4b6"
NEIGHBOUR = "#5694ca"
COUNCIL = "#0b0c0c"
NEIGHBOURS_MEAN = "Statistical neighbours' mean"


def comparator_name(attribute: str, year: YearComparators) -> str:
    """ "England", the region's name ("South West") or "Statistical neighbours' mean"."""
    if attribute == "england":
        return "England"
    if attribute == "region":
        return year.region_name or "Region"
    return NEIGHBOURS_MEAN


def comparator_steps(dfe: ShownBenchmarks | None, months: Sequence[Month]) -> list[PlotlyPart]:
    """One scatter trace per comparator (England, region, the neighbours' mean): each year's
    figure held across the months it stands for (``shown.months_drawn``) and stepping where
    the next year starts, over the chart's ``months`` (oldest first); a gap where DfE
    publishes no figure. Only the years ``dfe`` (what ``indicators.dfe.shown`` shows) holds:
    those ended by its month."""
    if dfe is None or not months:
        return []
    years = [shown.year for shown in dfe.years]
    by_year = {shown.year.year: shown for shown in dfe.years}
    # The year each month stands beside, worked out once for the three comparators.
    beside = [year_drawn_at(years, month) for month in months]
    latest = dfe.latest.year
    x = [month.first_day.isoformat() for month in months]
    traces = []
    for attribute, colour, dash in COMPARATORS:
        name = comparator_name(attribute, latest)
        values, texts = [], []
        for year in beside:
            value = getattr(year, attribute) if year is not None else None
            values.append(None if value is None else float(value))
            texts.append(
                ""
                if year is None or value is None
                else f"{comparator_name(attribute, year)} {by_year[year.year].period}: "
                f"{by_year[year.year].text(value)}"
            )
        if all(value is None for value in values):
            continue
        traces.append(
            charts.scatter_trace(
                x,
                values,
                f"{name} (DfE)",
                mode="lines",
                line={"color": colour, "dash": dash, "width": 2, "shape": "hv"},
                text=texts,
                hovertemplate="%{text}<extra></extra>",
                connectgaps=False,
            )
        )
    return traces


def steps_summary(dfe: ShownBenchmarks | None, months: Sequence[Month]) -> str:
    """The comparator steps in words, for the history chart's text alternative."""
    if dfe is None or not months:
        return ""
    years = [shown.year for shown in dfe.years]
    drawn = {year_drawn_at(years, month) for month in months} - {None}
    if not drawn:
        return ""
    shown = [item for item in dfe.years if item.year in drawn]
    first, last = shown[0], shown[-1]
    names = [
        comparator_name(attribute, last.year)
        for attribute, _, _ in COMPARATORS
        if getattr(last.year, attribute) is not None
    ]
    span = first.period if first is last else f"{first.period} to {last.period}"
    return (
        f" Stepped lines: DfE's {_listed(names)} for each year, {span}; in {last.period} "
        f"England {last.england_text}, {comparator_name('region', last.year)} "
        f"{last.region_text}, statistical neighbours' mean {last.statistical_neighbours_text}."
    )


def _listed(names: list[str]) -> str:
    names = [name if name != NEIGHBOURS_MEAN else "statistical neighbours' mean" for name in names]
    if len(names) < 2:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def distribution_figure(
    distribution: Distribution, year: ShownYear, *, height: int = 360
) -> PlotlyFigure:
    """Every authority's value for the year shown, lowest first, as bars: the council's (when
    it may be shown beside our figures: ``year.council_withheld``), its statistical
    neighbours' and the others', with England and the neighbours' mean as labelled lines."""
    authorities = _drawn(distribution, year)
    order = [authority.name for authority in authorities]
    suffix = units.get(year.unit).suffix
    hover = (
        "%{x}: %{y:,."
        + str(year.decimal_places)
        + "f}"
        + suffix
        + "<extra>%{fullData.name}</extra>"
    )

    def bars(name: str, colour: str, chosen: list[AuthorityValue]) -> PlotlyPart:
        return {
            "type": "bar",
            "name": name,
            "x": [authority.name for authority in chosen],
            "y": [float(authority.value) for authority in chosen],
            "marker": {"color": colour},
            "hovertemplate": hover,
        }

    council = [a for a in authorities if a.is_council]
    neighbours = [a for a in authorities if a.is_neighbour and not a.is_council]
    others = [a for a in authorities if not a.is_neighbour and not a.is_council]
    traces = [bars("Other authorities", OTHER_AUTHORITY, others)]
    if neighbours:
        traces.append(bars("Statistical neighbours", NEIGHBOUR, neighbours))
    if council:
        traces.append(bars(council[0].name, COUNCIL, council))
    layout = charts.chart_layout(height, suffix, top=24)
    layout["hovermode"] = "closest"
    layout["barmode"] = "overlay"
    layout["bargap"] = 0.15
    layout["xaxis"] = {
        "type": "category",
        "categoryorder": "array",
        "categoryarray": order,
        "showticklabels": False,
        "title": {"text": f"{len(order)} authorities, lowest to highest"},
        "linecolor": "#b1b4b6",
    }
    shapes, annotations = [], []
    for name, value, colour, dash in (
        ("England", distribution.england, COMPARATORS[0][1], "dot"),
        (NEIGHBOURS_MEAN, distribution.statistical_neighbours, COMPARATORS[2][1], "longdash"),
    ):
        if value is None:
            continue
        y = float(value)
        shapes.append(charts.hline(y, colour, dash, 2))
        annotations.append(
            {
                "text": f"{name} {year.text(value)}",
                "xref": "x domain",
                "x": 0 if name == "England" else 1,
                "xanchor": "left" if name == "England" else "right",
                "yref": "y",
                "y": y,
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"color": colour},
                "bgcolor": "rgba(255, 255, 255, 0.85)",
            }
        )
    if council:
        ours = council[0]
        annotations.append(
            {
                "text": f"{ours.name} {year.text(ours.value)}",
                "x": ours.name,
                "y": float(ours.value),
                "xref": "x",
                "yref": "y",
                "showarrow": True,
                "arrowhead": 2,
                "ax": 0,
                "ay": -40,
                "bgcolor": "#ffffff",
            }
        )
    layout["shapes"], layout["annotations"] = shapes, annotations
    return {"data": traces, "layout": layout}


def _drawn(distribution: Distribution, year: ShownYear) -> list[AuthorityValue]:
    """The authorities drawn: all with a value, less the council's when it is withheld."""
    return [
        authority
        for authority in distribution.authorities
        if not (authority.is_council and year.council_withheld)
    ]


def distribution_summary(
    distribution: Distribution, year: ShownYear, measure_title: str, council_name: str
) -> str:
    """The distribution chart in words: the range, the council's place, the comparators."""
    authorities = _drawn(distribution, year)
    if not authorities:
        return f"No authority has a published figure for {measure_title} in {year.period}."
    low, high = authorities[0], authorities[-1]
    text = (
        f"Bar chart of {len(authorities)} authorities' {_lower_first(measure_title)} in "
        f"{year.period}, lowest first: from {year.text(low.value)} ({low.name}) to "
        f"{year.text(high.value)} ({high.name})."
    )
    council = [a for a in authorities if a.is_council]
    if year.council_withheld:
        text += (
            f" {council_name}'s own figure is not shown: a figure of ours for the same period "
            f"is suppressed ({rules.SUPPRESSED_MARK}), and it would narrow it."
        )
    elif council:
        text += f" {council[0].name} {year.council_text}"
        if year.rank is not None:
            text += f", ranked {year.rank_text} (1 is best)"
        if year.quartile:
            text += f", quartile band {year.quartile} (A is the best quarter)"
        text += "."
    else:
        text += f" {council_name} has no published figure for {year.period}."
    if distribution.england is not None:
        text += f" England {year.text(distribution.england)}."
    if distribution.statistical_neighbours is not None:
        text += (
            f" Statistical neighbours' mean {year.text(distribution.statistical_neighbours)};"
            " the neighbours' bars are pale blue."
        )
    return text


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def history_figure(row: Row, **options: Any) -> PlotlyFigure:
    """``charts.indicator_figure`` with the row's DfE comparators as steps (``row.benchmark``)."""
    figure = charts.indicator_figure(row, **options)
    figure["data"] += comparator_steps(row.benchmark, [month for month, _, _ in row.history()])
    return figure


def history_summary(row: Row) -> str:
    """``charts.chart_summary`` and, when the chart has them, the comparator steps."""
    months = [month for month, _, _ in row.history()]
    return charts.chart_summary(row) + steps_summary(row.benchmark, months)


def panel(history: IndicatorHistory, council_name: str) -> dict[str, Any] | None:
    """The indicator page's benchmark panel (``partials/benchmark_panel.html``): the year
    shown and the chart of every authority's value for it; None when the indicator has no
    DfE benchmarks for its month."""
    benchmark = history.row.benchmark
    if benchmark is None:
        return None
    year = benchmark.latest
    chart = None
    if history.distribution is not None:
        chart = charts.chart_context(
            "chart-distribution",
            distribution_figure(history.distribution, year),
            distribution_summary(history.distribution, year, benchmark.measure_title, council_name),
        )
    return {"benchmark": benchmark, "year": year, "chart": chart, "council_name": council_name}
